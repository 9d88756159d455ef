"""Stage 5, findings: the `Finding`. What an editor should act on, and the places it concerns.

Analyses (dates, duplicates, link health, extraction problems) each produce
`Finding`s; reports only format them. A finding's `fingerprint` ignores line
numbers and wording so a baseline of accepted findings survives edits to a text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from citecheck.read.model import Place


class Severity(StrEnum):
    """How urgently a person should look; `high` blocks publication, `low` is a hint."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


SEVERITY_ORDER = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


class FindingKind(StrEnum):
    DEAD_LINK = "dead-link"
    SUSPECT_LINK = "suspect-link"
    SOFT_404 = "soft-404"
    BLOCKED = "blocked"
    REDIRECTED = "redirected"
    DATE_MISMATCH = "date-mismatch"
    SYMBOL_MISMATCH = "symbol-mismatch"
    SUGGESTED_URL = "suggested-url"
    DUPLICATE_SOURCE = "duplicate-source"
    NOTES = "notes"


LINK_KINDS = frozenset(
    {
        FindingKind.DEAD_LINK,
        FindingKind.SUSPECT_LINK,
        FindingKind.SOFT_404,
        FindingKind.BLOCKED,
        FindingKind.REDIRECTED,
    }
)


@dataclass(frozen=True)
class Variant:
    """One citation of a work inside a duplicate cluster, as it was written."""

    key: str
    place: Place
    title: str
    author: str
    date: str
    urls: tuple[str, ...]
    un_symbols: tuple[str, ...]
    raw: str


@dataclass(frozen=True)
class Conflict:
    """One field on which the variants of a work disagree, with every value seen."""

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Cluster:
    """Every full citation of one work, with a canonical BibTeX key and the disagreements."""

    key: str
    variants: tuple[Variant, ...]
    conflicts: tuple[Conflict, ...] = ()
    reasons: tuple[str, ...] = ()

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(sorted({v.place.document for v in self.variants}))


@dataclass(frozen=True)
class Finding:
    """One thing to act on.

    `subject` is what the finding is about (a URL, a citation key, a cluster key,
    a document) and, with the kind and the documents and notes, makes the
    fingerprint. `evidence` holds name/value pairs a report may show as detail.
    """

    kind: FindingKind
    severity: Severity
    message: str
    places: tuple[Place, ...]
    subject: str = ""
    url: str | None = None
    archive_url: str | None = None
    successor_url: str | None = None
    final_url: str | None = None
    evidence: tuple[tuple[str, str], ...] = ()
    cluster: Cluster | None = None

    @property
    def fingerprint(self) -> str:
        """A short stable id: kind, subject and the (document, note) pairs, not lines."""
        spots = sorted({f"{p.document}#{p.note}" for p in self.places})
        text = "\x1f".join([self.kind.value, self.subject, *spots])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def place_label(place: Place, show_path: Callable[[str], str] = str) -> str:
    """`file p. N` for a paged format, `file:line` when the line is known, else `file` (with
    the note's number or label if known). `file` is the included file a note stands in
    (LaTeX `\\input`) when there is one, else the document; `show_path` says how a report
    prints it (relative to where citecheck ran, say)."""
    where = show_path(place.file or place.document)
    if place.page is not None:
        return f"{where} p. {place.page}"
    if place.line is not None:
        return f"{where}:{place.line}"
    if place.note is not None:
        return f"{where} (note {place.label or place.note})"
    return where


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Order by first place (document, line), then severity, so reports read top to bottom."""

    def key(finding: Finding) -> tuple[str, int, int, str, str]:
        first = finding.places[0] if finding.places else Place("")
        return (
            first.document,
            first.line if first.line is not None else -1,
            SEVERITY_ORDER[finding.severity],
            finding.kind.value,
            finding.message,
        )

    return sorted(findings, key=key)


def parse_kinds(text: str) -> frozenset[FindingKind]:
    """Parse comma-separated kinds (as `--fail-on` takes); ValueError names a bad one."""
    kinds: set[FindingKind] = set()
    for word in (w.strip() for w in text.split(",")):
        if not word:
            continue
        if word == "none":
            continue
        try:
            kinds.add(FindingKind(word))
        except ValueError:
            known = ", ".join(k.value for k in FindingKind)
            raise ValueError(f"unknown finding kind {word!r} (known: {known}, none)") from None
    return frozenset(kinds)
