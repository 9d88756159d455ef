"""Stage 2: notes. Find the numbered footnotes/endnotes and the in-text markers of a document.

Layout detection and per-layout readers live here; URL repair inside a note
(rejoining broken lines, unwrapping `<url>` and `[text](url)`) is in `urltext`.
"""

from __future__ import annotations

from dataclasses import dataclass

from citecheck.documents import Document


@dataclass(frozen=True)
class Problem:
    """Something about the notes themselves that an editor would want to know."""

    kind: str
    message: str
    note: int | None = None
    line: int | None = None


@dataclass(frozen=True)
class Note:
    """One numbered note: text with line breaks undone, URLs as a reader would click them."""

    number: int
    line: int
    text: str
    urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class BodyUrl:
    """A URL that stands in the body of the text rather than in a note."""

    url: str
    line: int


@dataclass(frozen=True)
class NotedDocument:
    path: str
    markers: tuple[int, ...]
    notes: tuple[Note, ...]
    body_urls: tuple[BodyUrl, ...] = ()
    problems: tuple[Problem, ...] = ()


def extract_notes(document: Document) -> NotedDocument:
    """Split a document into body markers, notes, body URLs and problems."""
    raise NotImplementedError("notes extraction arrives with issue 2")
