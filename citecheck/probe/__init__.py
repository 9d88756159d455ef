"""Stage 3, probe: links → `Observation`s (what each fetch saw), cached, never judged."""
