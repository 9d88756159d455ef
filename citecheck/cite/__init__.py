"""Stage 2, cite: notes → `Citation`s (works split, fields parsed, back references linked)."""
