"""Hand-built Citation values for the analysis tests (so they do not depend on the parser)."""

from __future__ import annotations

from citecheck.cite.citation import Citation
from citecheck.read.model import Place


def cite(
    key: str,
    document: str = "a.txt",
    note: int = 1,
    line: int | None = None,
    *,
    title: str = "",
    author: str = "",
    date: str = "",
    urldate: str = "",
    urls: tuple[str, ...] = (),
    symbols: tuple[str, ...] = (),
    refers_to: str | None = None,
    type: str = "online",
    **fields: str,
) -> Citation:
    """A citation with the given biblatex fields; empty ones are left out, as the parser does."""
    given = {"title": title, "author": author, "date": date, "urldate": urldate, **fields}
    return Citation(
        key=key,
        type=type,
        fields={k: v for k, v in given.items() if v},
        place=Place(document, note, line if line is not None else 100 + note),
        raw=f"{author}, {title}, {date}",
        urls=urls,
        un_symbols=symbols,
        refers_to=refers_to,
    )
