"""The plain-text reader: `.txt` and `.md` files decoded, then their notes found in the text."""

from __future__ import annotations

from pathlib import Path

from citecheck.read.document import read_document
from citecheck.read.model import NotedDocument
from citecheck.read.notes import extract_notes


def read_plain_text(path: Path) -> NotedDocument:
    """Decode the file and find its notes by their layout in the text."""
    return extract_notes(read_document(path))
