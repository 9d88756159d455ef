"""Small helpers every stage may use; nothing here imports a stage."""
