"""The audit job: extract → check → analyse → report, callable from Python as from the CLI.

`conclude` is the pure end of the job: given what the earlier stages produced
and what the previous audit left, it returns the result to report and the
state to leave for the next audit. `exit_status` turns a result into 0 or 1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from citecheck.cite.citation import Citation
from citecheck.findings.analysis import (
    DEFAULT_FAIL_ON,
    AuditResult,
    DocumentSummary,
    analyse,
    apply_baseline,
    cited_works,
)
from citecheck.findings.finding import FindingKind
from citecheck.findings.history import (
    AuditState,
    changes_since,
    extend_history,
    extend_trend,
    summarise,
)
from citecheck.findings.linkhealth import DEFAULT_POLICY, AuditRecord, FlappingPolicy, parse_time
from citecheck.judge.verdicts import LinkVerdict
from citecheck.read.model import NotedDocument

EXIT_CLEAN = 0
EXIT_FAILING = 1


@dataclass(frozen=True)
class Stages:
    """What extraction, citation parsing and the link check produced for one corpus."""

    documents: tuple[NotedDocument, ...]
    citations: tuple[Citation, ...]
    verdicts: tuple[LinkVerdict, ...]
    problems: tuple[str, ...] = ()
    extracted: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class Judgement:
    """How to judge: which kinds fail, what is accepted, how patient to be with flaky links."""

    fail_on: frozenset[FindingKind] = DEFAULT_FAIL_ON
    accepted: frozenset[str] = frozenset()
    policy: FlappingPolicy = DEFAULT_POLICY
    since_last: bool = False
    extra_problems: tuple[str, ...] = field(default=())


DEFAULT_JUDGEMENT = Judgement()


def conclude(
    stages: Stages,
    previous: AuditState,
    *,
    now: str,
    today: date,
    judgement: Judgement = DEFAULT_JUDGEMENT,
    observed: Mapping[str, Sequence[AuditRecord]] | None = None,
) -> tuple[AuditResult, AuditState]:
    """Analyse with the link history extended by this audit; leave the state for the next one.

    `observed` is history judged from the prober's cache (every observation of a
    link, not only those made during audits); it is merged with the audits' own.
    """
    history = extend_history(merge_history(previous.history, observed or {}), stages.verdicts, now)
    findings, clusters = analyse(
        stages.documents,
        stages.citations,
        stages.verdicts,
        today=today,
        history=history,
        policy=judgement.policy,
    )
    reported, accepted = apply_baseline(findings, judgement.accepted)
    unchecked = frozenset(v.normalized_url for v in stages.verdicts if v.verdict == "unchecked")
    changes = tuple(changes_since(previous, findings, unchecked)) if judgement.since_last else None
    trend = extend_trend(previous.trend, findings, now)
    result = AuditResult(
        generated_at=now,
        documents=_summaries(stages),
        findings=tuple(reported),
        clusters=tuple(clusters),
        verdicts=stages.verdicts,
        fail_on=judgement.fail_on,
        accepted=tuple(accepted),
        changes=changes,
        problems=(*stages.problems, *judgement.extra_problems),
        extracted=stages.extracted,
        trend=trend,
        works=cited_works(stages.citations),
    )
    return result, AuditState(
        audited_at=now,
        history=history,
        findings=summarise(findings, previous, unchecked),
        trend=trend,
    )


def merge_history(
    *histories: Mapping[str, Sequence[AuditRecord]],
) -> dict[str, tuple[AuditRecord, ...]]:
    """One time-ordered history per link; records of the same instant are kept once."""

    def instant(record: AuditRecord) -> tuple[float, str]:
        at = parse_time(record.at)
        return (at.timestamp(), "") if at is not None else (float("-inf"), record.at)

    merged: dict[str, dict[tuple[float, str], AuditRecord]] = {}
    for history in histories:
        for url, records in history.items():
            for record in records:
                merged.setdefault(url, {}).setdefault(instant(record), record)
    return {url: tuple(by[key] for key in sorted(by)) for url, by in merged.items()}


def _summaries(stages: Stages) -> tuple[DocumentSummary, ...]:
    def count_links(path: str) -> int:
        return sum(1 for v in stages.verdicts if any(p.document == path for p in v.cited_in))

    return tuple(
        DocumentSummary(
            path=d.path,
            notes=len(d.notes),
            citations=sum(1 for c in stages.citations if c.place.document == d.path),
            links=count_links(d.path),
        )
        for d in stages.documents
    )


def exit_status(result: AuditResult) -> int:
    return EXIT_FAILING if result.failing else EXIT_CLEAN
