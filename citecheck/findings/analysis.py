"""Stage 5, findings: the analysis that gathers every finding, and what it hands the reports.

`analyse` is pure: notes, citations, verdicts and link history in, findings
and duplicate clusters out. `AuditResult` is everything a report may show;
reports never compute, they only format it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from citecheck.cite.citation import Citation
from citecheck.findings.dates import cluster_date_findings, date_findings
from citecheck.findings.duplicates import default_url_key, duplicate_findings, find_clusters
from citecheck.findings.finding import LINK_KINDS, Cluster, Finding, FindingKind, sort_findings
from citecheck.findings.history import Change, TrendPoint
from citecheck.findings.linkhealth import DEFAULT_POLICY, AuditRecord, FlappingPolicy, link_findings
from citecheck.findings.notes import note_findings
from citecheck.findings.symbols import suggested_url_findings, symbol_mismatch_findings
from citecheck.judge.verdicts import LinkVerdict
from citecheck.probe.links import normalize_url
from citecheck.read.model import NotedDocument

DEFAULT_FAIL_ON = frozenset({FindingKind.DEAD_LINK, FindingKind.SOFT_404})


@dataclass(frozen=True)
class DocumentSummary:
    path: str
    notes: int
    citations: int
    links: int


@dataclass(frozen=True)
class CitedWork:
    """The work a note cites, as reports name it beside a finding: title and author."""

    document: str
    note: int
    title: str
    author: str


def cited_works(citations: Iterable[Citation]) -> tuple[CitedWork, ...]:
    """One entry per (document, note) with a title or an author: the note's first citation."""
    seen: dict[tuple[str, int], CitedWork] = {}
    for citation in citations:
        note = citation.place.note
        if note is None or (citation.place.document, note) in seen:
            continue
        title = citation.fields.get("title", "")
        author = next(
            (
                citation.fields[f]
                for f in ("author", "editor", "institution", "organization")
                if citation.fields.get(f)
            ),
            "",
        )
        if title or author:
            seen[(citation.place.document, note)] = CitedWork(
                citation.place.document, note, title, author.replace("{", "").replace("}", "")
            )
    return tuple(seen.values())


@dataclass(frozen=True)
class AuditResult:
    """One audit, ready to format. `accepted` are findings the baseline silenced."""

    generated_at: str
    documents: tuple[DocumentSummary, ...]
    findings: tuple[Finding, ...]
    clusters: tuple[Cluster, ...] = ()
    verdicts: tuple[LinkVerdict, ...] = ()
    fail_on: frozenset[FindingKind] = DEFAULT_FAIL_ON
    accepted: tuple[Finding, ...] = ()
    changes: tuple[Change, ...] | None = None
    problems: tuple[str, ...] = field(default=())
    extracted: tuple[Mapping[str, Any], ...] = ()
    """Each text as `citecheck extract` prints it (same keys), for the JSON report."""
    trend: tuple[TrendPoint, ...] = ()
    """Dead and suspect link counts of the audits so far, this one last."""
    works: tuple[CitedWork, ...] = ()
    """What each note cites (title, author), so a report can name the work of a finding."""

    def work_at(self, document: str, note: int | None) -> CitedWork | None:
        return next((w for w in self.works if w.document == document and w.note == note), None)

    @property
    def failing(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.kind in self.fail_on)

    def counts(self) -> dict[FindingKind, int]:
        """Findings per kind, every kind present (zero included), in declaration order."""
        counted = Counter(f.kind for f in self.findings)
        return {kind: counted.get(kind, 0) for kind in FindingKind}

    def verdict_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(v.verdict for v in self.verdicts).items()))

    def link_status(self) -> dict[str, str]:
        """Each link's state in the findings' words, so a chart and a finding never disagree:
        a link with a link finding (reported or accepted) is that finding's kind (a link that
        failed once is `suspect-link`, not `dead`), a suggested one `suggested`, others their
        verdict (`ok`, `unchecked`)."""
        by_subject = {
            f.subject: f.kind.value
            for f in (*self.findings, *self.accepted)
            if f.kind in LINK_KINDS
        }
        status: dict[str, str] = {}
        for verdict in self.verdicts:
            if verdict.suggested_for is not None:
                status[verdict.normalized_url] = "suggested"
            else:
                status[verdict.normalized_url] = by_subject.get(
                    verdict.normalized_url, verdict.verdict
                )
        return status

    def link_health(self) -> dict[str, int]:
        """Links per state (`link_status`), worst first: dead-link, soft-404, suspect-link, ..."""
        counted = Counter(self.link_status().values())
        return {word: counted[word] for word in sorted(counted, key=_health_rank)}


HEALTH_ORDER = (
    "dead-link",
    "soft-404",
    "suspect-link",
    "blocked",
    "redirected",
    "ok",
    "unchecked",
    "suggested",
)


def _health_rank(word: str) -> tuple[int, str]:
    return (HEALTH_ORDER.index(word) if word in HEALTH_ORDER else len(HEALTH_ORDER), word)


def work_url_key(url: str) -> str:
    """The prober's normal form (dot segments, escapes, IDN), then scheme, `www.`, a trailing
    slash and index pages dropped: two spellings of one page name one work."""
    return default_url_key(normalize_url(url))


def analyse(
    documents: Sequence[NotedDocument],
    citations: Sequence[Citation],
    verdicts: Iterable[LinkVerdict],
    *,
    today: date,
    history: Mapping[str, Sequence[AuditRecord]] | None = None,
    policy: FlappingPolicy = DEFAULT_POLICY,
) -> tuple[list[Finding], list[Cluster]]:
    """Every finding over one corpus, sorted for reading, and the duplicate clusters."""
    clusters = find_clusters(citations, work_url_key)
    judged = list(verdicts)
    cited = [v for v in judged if v.suggested_for is None]  # the authors' own links
    findings = [
        *note_findings(documents),
        *date_findings(citations, today),
        *symbol_mismatch_findings(citations),
        *cluster_date_findings(clusters),
        *duplicate_findings(clusters),
        *link_findings(cited, history or {}, policy),
        *suggested_url_findings(v for v in judged if v.suggested_for is not None),
    ]
    return sort_findings(findings), clusters


def apply_baseline(
    findings: Iterable[Finding], accepted: frozenset[str]
) -> tuple[list[Finding], list[Finding]]:
    """Split findings into (reported, accepted by the baseline's fingerprints)."""
    reported: list[Finding] = []
    silenced: list[Finding] = []
    for finding in findings:
        (silenced if finding.fingerprint in accepted else reported).append(finding)
    return reported, silenced
