"""The values the read stage hands on: a decoded `Document`, and a `NotedDocument`.

Every reader (plain text, Markdown, DOCX, ODT, PDF, LaTeX, HTML) produces the same
`NotedDocument`, so everything after reading works on any format unchanged. Each value
remembers where it stands (line, and page or source file where the format has them), so
that a finding can point a person at `file:line` or `file p. N`.
"""

from __future__ import annotations

from dataclasses import dataclass


class DocumentError(Exception):
    """An input file that cannot be read; the message is one line naming it and the problem."""


@dataclass(frozen=True)
class Place:
    """Where something stands in the corpus, so a finding can point a person at `file:line`.

    `page` is set for paged formats (PDF); `label` for a note that has a mark instead of a
    number (`*`, `a`) or a number that restarts per section (`2.14`).
    """

    document: str
    note: int | None = None
    line: int | None = None
    page: int | None = None
    label: str | None = None
    file: str | None = None  # the file the line is in, when not the document (LaTeX \\input)


@dataclass(frozen=True)
class Document:
    """A decoded text. Line breaks are normalised to `\\n`; `encoding` says what was decoded."""

    path: str
    text: str
    encoding: str = "utf-8"


@dataclass(frozen=True)
class Problem:
    """Something about the notes themselves that an editor would want to know."""

    kind: str
    message: str
    note: int | None = None
    line: int | None = None


# What a `Note` is: a footnote or endnote (keyed to a marker in the body) or an entry of a
# reference list (a bibliography: one work, cited in the text by author and year or [N]).
NOTE = "note"
REFERENCE = "reference"


@dataclass(frozen=True)
class CitedEntry:
    """A work a note cites by key (LaTeX `\\cite{key}`), with its fields as read from a .bib.

    The cite stage turns it into a work of the note as it stands, without parsing text.
    """

    key: str
    entry_type: str
    fields: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Note:
    """One note: text with line breaks undone, URLs as a reader would click them.

    `number` is unique within the document and orders the notes: the printed number where
    the numbering runs through the document, otherwise the note's position in reading order.
    `label` is what the document displays when that differs from `number` (a custom mark
    `*`, a roman numeral, or `3` in chapter 2 when numbering restarts); `section` counts
    those restarts (0 when numbering never restarts). `page` is set for paged formats;
    `source` names the file the note stands in when it is not the document's own file
    (a LaTeX `\\input`), and `line` is then a line of that file.
    """

    number: int
    line: int
    text: str
    urls: tuple[str, ...] = ()
    label: str | None = None
    section: int = 0
    page: int | None = None
    source: str | None = None
    kind: str = NOTE
    entries: tuple[CitedEntry, ...] = ()


@dataclass(frozen=True)
class BodyUrl:
    """A URL that stands in the body of the text rather than in a note."""

    url: str
    line: int
    page: int | None = None


@dataclass(frozen=True)
class Marker:
    """An in-text note marker and the line it stands on."""

    number: int
    line: int
    page: int | None = None


def note_place(document: str, note: Note) -> Place:
    """Where a note stands, for the findings that point at it."""
    return Place(document, note.number, note.line, note.page, note.label, note.source)


@dataclass(frozen=True)
class NotedDocument:
    """One document's notes, markers and body URLs, whatever format it was read from."""

    path: str
    markers: tuple[int, ...]
    notes: tuple[Note, ...]
    body_urls: tuple[BodyUrl, ...] = ()
    problems: tuple[Problem, ...] = ()
    marker_places: tuple[Marker, ...] = ()
    format: str = "text"
