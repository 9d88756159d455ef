"""The archive pass: a Wayback Machine snapshot from when the author cited a link.

Runs over links already judged dead, soft-404, error or timeout (or over all links
with `--archive all`). The chosen snapshot is the latest capture with status 200
on or before the citation's date (its access date if stated, else its publication
date), otherwise the earliest capture after it; and it must not itself be an
archived not-found page, judged by the same site rules as live pages.

This module is the pass over verdicts; the pure Wayback functions are in
`citecheck.judge.wayback`, the client in `citecheck.judge.archiveclient`, Save Page
Now in `citecheck.judge.archivesave`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from citecheck.judge.verdicts import LinkVerdict
from citecheck.judge.wayback import (
    ARCHIVE_VERDICTS,
    ArchiveFound,
    ArchiveMode,
    ArchiveResult,
    ArchiveSkipped,
    archivable,
    citation_date,
)
from citecheck.probe.links import Link, normalize_url

# The client and the citation types are annotations only.
if TYPE_CHECKING:
    from citecheck.cite.citation import Citation, CitedDocument
    from citecheck.judge.archiveclient import ArchiveClient


@dataclass(frozen=True)
class ArchivePass:
    """Verdicts with `archive_url`/`archive_timestamp` filled in, every lookup's result,
    and one warning per reason some lookups were skipped."""

    verdicts: tuple[LinkVerdict, ...]
    results: tuple[ArchiveResult, ...]
    warnings: tuple[str, ...]


def wants_lookup(verdict: LinkVerdict, mode: ArchiveMode) -> bool:
    """Whether the archive pass in `mode` looks up a snapshot for this verdict."""
    wanted = mode == "all" or (mode == "failed" and verdict.verdict in ARCHIVE_VERDICTS)
    return wanted and archivable(verdict.url)


def archive_pass(
    verdicts: Sequence[LinkVerdict],
    links: Sequence[Link],
    client: ArchiveClient,
    mode: ArchiveMode = "failed",
    on_lookup: Callable[[int, int], None] | None = None,
) -> ArchivePass:
    """Look up a dated snapshot for each failing link (every link with mode `all`).

    The date is the link's latest citation date (`Link.dates`: access date where
    stated, else publication date; see `citation_date`). Never raises for archive trouble: skipped
    lookups are counted in `warnings` and leave their verdicts without an archive URL.
    `on_lookup(done, total)` hears of the pass before the first lookup and after each one
    (the archive allows about 20 requests a minute, so a person wants to see it move).
    """
    if mode == "none":
        return ArchivePass(tuple(verdicts), (), ())
    dates = {link.normalized_url: link.dates for link in links}
    updated: list[LinkVerdict] = []
    results: list[ArchiveResult] = []
    wanted = [wants_lookup(verdict, mode) for verdict in verdicts]
    total = sum(wanted)
    if on_lookup is not None and total:
        on_lookup(0, total)
    for verdict, looked_for in zip(verdicts, wanted, strict=True):
        if not looked_for:
            updated.append(verdict)
            continue
        cited_on = citation_date(dates.get(verdict.normalized_url, ()))
        result = client.find_snapshot(verdict.url, cited_on)
        results.append(result)
        if on_lookup is not None:
            on_lookup(len(results), total)
        if isinstance(result, ArchiveFound):
            updated.append(
                replace(
                    verdict, archive_url=result.snapshot_url, archive_timestamp=result.timestamp
                )
            )
        else:
            updated.append(verdict)
    skipped: dict[str, int] = {}
    for result in results:
        if isinstance(result, ArchiveSkipped):
            reason = result.reason.removesuffix("; further archive lookups skipped")
            skipped[reason] = skipped.get(reason, 0) + 1
    warnings = tuple(
        f"archive lookup skipped for {count} link(s): {reason}" for reason, count in skipped.items()
    )
    return ArchivePass(tuple(updated), tuple(results), warnings)


# --- optional: archived copies in the bibliography ----------------------------------------


def archived_citations(
    cited: Sequence[CitedDocument], verdicts: Sequence[LinkVerdict]
) -> tuple[CitedDocument, ...]:
    """The citations with an `addendum` naming the archived copy of each failing link.

    For `extract --format bibtex --with-archive`: a work whose URL was judged dead,
    soft-404, error or timeout and has a snapshot gets `Archived copy: <snapshot URL>
    (captured YYYY-MM-DD)` (biblatex's general `addendum` field, which every entry type
    accepts), so authors can publish a link that still works. The URL and `urldate`
    stay as the author cited them.
    """
    archived = {
        v.normalized_url: v
        for v in verdicts
        if v.archive_url and v.archive_timestamp and v.verdict in ARCHIVE_VERDICTS
    }
    if not archived:
        return tuple(cited)

    def with_addendum(citation: Citation) -> Citation:
        notes: list[str] = []
        for url in citation.urls:
            verdict = archived.get(normalize_url(url))
            if verdict is not None and verdict.archive_timestamp and verdict.archive_url:
                stamp = verdict.archive_timestamp
                captured = f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}"
                notes.append(f"Archived copy: {verdict.archive_url} (captured {captured})")
        if not notes:
            return citation
        existing = citation.fields.get("addendum")
        fields = dict(citation.fields)
        fields["addendum"] = "; ".join(filter(None, [existing, *notes]))
        return replace(citation, fields=fields)

    return tuple(
        replace(
            document,
            notes=tuple(
                replace(note, citations=tuple(with_addendum(c) for c in note.citations))
                for note in document.notes
            ),
        )
        for document in cited
    )
