"""The extract job: documents → notes, as plain data for the CLI and for Python callers."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from citecheck.cite.citation import CitedDocument, citation_json
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


def extract_json_chunks(
    documents: Sequence[NotedDocument], cited: Sequence[CitedDocument]
) -> Iterator[str]:
    """The extract JSON (`{"documents": [...]}` as `json.dumps(..., ensure_ascii=False,
    indent=2)` writes it, character for character), one note at a time.

    The shape of a note-heavy text holds several times the input in small dicts; built
    and encoded note by note, only one note's shape exists at a time (issue 14).
    """
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2)

    def nested(value: Any, depth: int) -> str:  # JSON text never holds a raw newline
        return encoder.encode(value).replace("\n", "\n" + "  " * depth)

    yield '{\n  "documents": ['
    for index, (document, citations) in enumerate(zip(documents, cited, strict=True)):
        yield ("," if index else "") + "\n    {"
        shape = noted_document_json(document, citations, notes=False)
        for position, (key, value) in enumerate(shape.items()):
            yield ("," if position else "") + f"\n      {json.dumps(key)}: "
            if key != "notes":
                yield nested(value, 3)
                continue
            notes = iter_notes_json(document, citations)
            first = next(notes, None)
            if first is None:
                yield "[]"
                continue
            yield "[\n        " + nested(first, 4)
            for note in notes:
                yield ",\n        " + nested(note, 4)
            yield "\n      ]"
        yield "\n    }"
    yield "\n  ]\n}" if documents else "]\n}"


def noted_document_json(
    document: NotedDocument, cited: CitedDocument | None = None, *, notes: bool = True
) -> dict[str, Any]:
    """The stable JSON shape of one document (keys documented in the README).

    With `cited`, every note also carries its `citations` (issue 3). `notes=False` leaves
    the notes out (`[]`), for `extract_json_chunks`.
    """
    return {
        "path": document.path,
        "markers": list(document.markers),
        "notes": list(iter_notes_json(document, cited)) if notes else [],
        "body_urls": [{"url": b.url, "line": b.line, **_page(b.page)} for b in document.body_urls],
        "problems": [asdict(p) for p in document.problems],
    }


def iter_notes_json(
    document: NotedDocument, cited: CitedDocument | None = None
) -> Iterator[dict[str, Any]]:
    """The JSON shape of each note of `document`, one at a time."""
    by_number = {n.number: n.citations for n in cited.notes} if cited else {}
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
        yield note


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
