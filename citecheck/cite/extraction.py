"""The extract job: documents → notes, as plain data for the CLI and for Python callers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from citecheck.cite.citations import CitedDocument, citation_json
from citecheck.read.corpus import read_corpus
from citecheck.read.model import NOTE, DocumentError, Note, NotedDocument


def extract_paths(paths: Iterable[str | Path]) -> list[NotedDocument]:
    """Extract the notes of every document under `paths` (the bundled corpus when empty).

    Strict: any unreadable file, in a folder too, is a DocumentError. The CLI reads with
    `read_corpus` instead, which reports a folder's bad files and goes on.
    """
    corpus = read_corpus(paths)
    if corpus.unreadable:
        raise DocumentError(corpus.unreadable[0].message)
    return list(corpus.documents)


def noted_document_json(
    document: NotedDocument, cited: CitedDocument | None = None
) -> dict[str, Any]:
    """The stable JSON shape of one document (keys documented in the README).

    With `cited`, every note also carries its `citations` (issue 3).
    """
    by_number = {n.number: n.citations for n in cited.notes} if cited else {}
    notes: list[dict[str, Any]] = []
    for n in document.notes:
        note: dict[str, Any] = {
            "number": n.number,
            "line": n.line,
            "text": n.text,
            "urls": list(n.urls),
        }
        note.update(_where(n))
        if cited is not None:
            note["citations"] = [citation_json(c) for c in by_number.get(n.number, ())]
        notes.append(note)
    return {
        "path": document.path,
        "markers": list(document.markers),
        "notes": notes,
        "body_urls": [{"url": b.url, "line": b.line, **_page(b.page)} for b in document.body_urls],
        "problems": [asdict(p) for p in document.problems],
    }


def _page(page: int | None) -> dict[str, Any]:
    return {} if page is None else {"page": page}


def _where(note: Note) -> dict[str, Any]:
    """The keys that only some formats fill (label, section, page, source file, kind)."""
    extra: dict[str, Any] = _page(note.page)
    if note.label is not None:
        extra["label"] = note.label
    if note.section:
        extra["section"] = note.section
    if note.source is not None:
        extra["source"] = note.source
    if note.kind != NOTE:
        extra["kind"] = note.kind
    return extra
