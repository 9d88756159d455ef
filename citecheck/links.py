"""Stage 4: links. Every distinct URL to probe, once, with every place that cites it."""

from __future__ import annotations

from dataclasses import dataclass

from citecheck.documents import Place


@dataclass(frozen=True)
class Link:
    """A distinct URL (after normalisation) and where it is cited.

    `dates` are the citation dates (ISO, as precise as given) of the citing
    works, so the archive fallback can pick a snapshot from when it was cited.
    """

    url: str
    normalized_url: str
    cited_in: tuple[Place, ...] = ()
    dates: tuple[str, ...] = ()
    un_symbols: tuple[str, ...] = ()
