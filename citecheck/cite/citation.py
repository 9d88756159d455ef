"""The values the citation stage hands on: `Citation`, `CitedNote`, `CitedDocument`.

Every later stage (export, probe, judge, findings, reports) reads these and nothing else of
the cite stage; `citation_json` is their JSON shape in `citecheck extract --format json`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from citecheck.read.model import Place


@dataclass(frozen=True)
class Citation:
    """One cited work as it stands in one note.

    `fields` uses biblatex field names (author, editor, title, journaltitle,
    booktitle, date, urldate, volume, number, pages, publisher, location,
    institution, langid, note, …). A back reference (Ibid., a short form)
    carries the key of the full citation it points to in `refers_to` and
    shares that work's `key`.

    Extra fields beyond biblatex's, all documented in the README: `date_written` (the
    date as the note writes it), `origtitle` (004's parallel Chinese title),
    `origpublisher`, `origdate` (the Chinese publisher and date written beside it).
    """

    key: str
    type: str
    fields: Mapping[str, str]
    place: Place
    raw: str
    urls: tuple[str, ...] = ()
    un_symbols: tuple[str, ...] = ()
    refers_to: str | None = None
    problems: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class CitedNote:
    """The citations found in one note, in the order they stand."""

    number: int
    line: int
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class CitedDocument:
    """The cited notes of one document, in order; `works` gives each distinct work once."""

    path: str
    notes: tuple[CitedNote, ...]

    @property
    def works(self) -> tuple[Citation, ...]:
        """The first citation of every distinct work, in order: what a .bib file holds."""
        seen: set[str] = set()
        found: list[Citation] = []
        for note in self.notes:
            for citation in note.citations:
                if citation.key not in seen:
                    seen.add(citation.key)
                    found.append(citation)
        return tuple(found)


def citation_json(citation: Citation) -> dict[str, object]:
    """The JSON shape of one citation (README: extract --format json)."""
    return {
        "key": citation.key,
        "type": citation.type,
        "fields": dict(citation.fields),
        "urls": list(citation.urls),
        "un_symbols": list(citation.un_symbols),
        "refers_to": citation.refers_to,
        "problems": list(citation.problems),
    }
