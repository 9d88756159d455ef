"""Stage 5, findings: verdicts and citations → `Finding`s an editor acts on, and their history."""
