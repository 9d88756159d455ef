"""Stage 1, read: files → `NotedDocument`s (decoded text, notes, markers, URLs, problems)."""
