"""Stage 3: citations. Split each note into the works it cites and parse their fields."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from citecheck.documents import Place


@dataclass(frozen=True)
class Citation:
    """One cited work as it stands in one note.

    `fields` uses biblatex field names (author, editor, title, journaltitle,
    booktitle, date, urldate, volume, number, pages, publisher, location,
    institution, langid, note, …). A back reference (Ibid., a short form)
    carries the key of the full citation it points to in `refers_to` and
    shares that work's `key`.
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
