"""Reference-list entries in author–date order, rewritten in the note order the parser reads.

`Jones, A. 2004. A Book of Things. London: Example Press. https://…` (author, year, title,
publication) becomes `A. Jones, A Book of Things (London: Example Press, 2004), https://…`,
the shape of a footnote citation, so that one parser serves notes and reference lists.
An entry in any other shape is returned unchanged.
"""

from __future__ import annotations

import re

_ENTRY = re.compile(
    r"(?P<author>[^()\d]{2,120}?)[.,]?\s+\(?(?P<year>(?:1[5-9]|20)[0-9]{2}[a-z]?|n\.d\.)\)?[.,]\s+"
    r"(?P<title>[^.?!]{2,300}[.?!])\s*(?P<rest>.*)"
)
_SURNAME_FIRST = re.compile(r"(?P<surname>[^,]+),\s+(?P<given>[^,]+?)\.?$")
_URL = re.compile(r"\s*(?:https?://|www\.)\S+")


def as_note_form(entry: str) -> str:
    """The entry in note order (author, title, (place: publisher, year), URL)."""
    match = _ENTRY.fullmatch(entry.strip())
    if match is None:
        return entry
    author = match.group("author").strip()
    single = _SURNAME_FIRST.fullmatch(author)
    if single is not None and " and " not in author and "&" not in author:
        author = f"{single.group('given').strip()}. {single.group('surname').strip()}".replace(
            "..", "."
        )
    title = match.group("title").rstrip(".")
    rest = match.group("rest")
    urls = [found.strip() for found in _URL.findall(rest)]
    publication = _URL.sub("", rest).strip().rstrip(".").strip()
    year = match.group("year")
    parts = [author, f"{title} ({publication}, {year})" if publication else f"{title} ({year})"]
    return ", ".join(parts + urls) + "."
