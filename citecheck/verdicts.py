"""Stage 6: verdicts. Judge what the prober saw; recomputed every run, never cached."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from citecheck.documents import Place

VerdictWord = Literal[
    "ok", "redirected", "dead", "soft-404", "blocked", "timeout", "error", "unchecked"
]


@dataclass(frozen=True)
class LinkVerdict:
    """The judgement on one link, with enough evidence for a report to explain itself."""

    url: str
    normalized_url: str
    verdict: VerdictWord
    reason: str
    status: int | None = None
    final_url: str | None = None
    redirects: tuple[str, ...] = ()
    checked_at: str | None = None
    cited_in: tuple[Place, ...] = ()
    rule: str | None = None
    successor_url: str | None = None
    archive_url: str | None = None
    archive_timestamp: str | None = None
