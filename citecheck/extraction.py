"""The extract job: documents → notes, as plain data for the CLI and for Python callers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from citecheck.documents import collect_paths, read_document
from citecheck.notes import NotedDocument, extract_notes


def extract_paths(paths: Iterable[str | Path]) -> list[NotedDocument]:
    """Extract the notes of every document under `paths` (the bundled corpus when empty)."""
    return [extract_notes(read_document(path)) for path in collect_paths(paths)]


def noted_document_json(document: NotedDocument) -> dict[str, Any]:
    """The stable JSON shape of one document (keys documented in the README)."""
    return {
        "path": document.path,
        "markers": list(document.markers),
        "notes": [
            {"number": n.number, "line": n.line, "text": n.text, "urls": list(n.urls)}
            for n in document.notes
        ],
        "body_urls": [asdict(b) for b in document.body_urls],
        "problems": [asdict(p) for p in document.problems],
    }
