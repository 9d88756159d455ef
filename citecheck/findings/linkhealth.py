"""Link findings from verdicts, with flapping protection from the history of past audits.

A site that is down for one night must not be reported as dead: a link is a
`dead-link` only after it failed in at least `min_failures` audits spanning at
least `min_span`; before that it is a `suspect-link`. History is plain data
(`AuditRecord`s), read and written by `citecheck.findings.history`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from citecheck.findings.finding import Finding, FindingKind, Severity
from citecheck.judge.verdicts import LinkVerdict

FAILING_VERDICTS = frozenset({"dead"})
"""Verdicts that count towards confirming a link dead (errors and timeouts are too transient)."""


@dataclass(frozen=True)
class AuditRecord:
    """What one audit concluded about one link."""

    at: str
    verdict: str


@dataclass(frozen=True)
class FlappingPolicy:
    min_failures: int = 2
    min_span: timedelta = timedelta(days=1)


DEFAULT_POLICY = FlappingPolicy()


def parse_time(text: str) -> datetime | None:
    """An ISO timestamp (a trailing Z allowed; UTC when no zone is given), or None."""
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def confirmed_dead(history: Sequence[AuditRecord], policy: FlappingPolicy) -> bool:
    """True when the latest unbroken run of failures is long enough in count and in time.

    `history` is in time order and includes the current audit; one success ends a run.
    """
    run: list[datetime] = []
    for record in history:
        at = parse_time(record.at)
        if record.verdict in FAILING_VERDICTS and at is not None:
            run.append(at)
        else:
            run = []
    if len(run) < policy.min_failures:
        return False
    return max(run) - min(run) >= policy.min_span


def _span_words(span: timedelta) -> str:
    days = span.days
    if days >= 1 and span == timedelta(days=days):
        return "1 day" if days == 1 else f"{days} days"
    hours = int(span.total_seconds() // 3600)
    return "1 hour" if hours == 1 else f"{hours} hours"


def _replacement(verdict: LinkVerdict) -> str:
    if verdict.successor_url:
        return f"replace it with its successor {verdict.successor_url}"
    if verdict.archive_url:
        return f"replace it with (or add) the archived copy {verdict.archive_url}"
    return "find another copy; no archived copy was found"


def _known_copy(verdict: LinkVerdict) -> str:
    """For a link not (yet) confirmed dead: the better address already known, if any."""
    if verdict.successor_url:
        return f"; its successor {verdict.successor_url} is known: cite that instead"
    if verdict.archive_url:
        return f"; if it stays down, use the archived copy {verdict.archive_url}"
    return ""


def link_finding(
    verdict: LinkVerdict, history: Sequence[AuditRecord], policy: FlappingPolicy
) -> Finding | None:
    """The finding for one verdict, or None for a healthy or unchecked link."""
    url = verdict.url
    status = f"HTTP {verdict.status}" if verdict.status is not None else verdict.reason
    if verdict.verdict == "dead":
        if confirmed_dead(history, policy):
            since = next((r.at for r in history if r.verdict in FAILING_VERDICTS), None)
            kind, severity = FindingKind.DEAD_LINK, Severity.HIGH
            message = f"{url} is dead ({status}) since {since or 'the last audit'}; " + (
                _replacement(verdict) + "."
            )
        else:
            kind, severity = FindingKind.SUSPECT_LINK, Severity.MEDIUM
            message = (
                f"{url} failed ({status}); it counts as dead only if it fails again in "
                f"{policy.min_failures} audits at least {_span_words(policy.min_span)} apart, "
                "so check it by hand if urgent" + _known_copy(verdict) + "."
            )
    elif verdict.verdict == "soft-404":
        kind, severity = FindingKind.SOFT_404, Severity.HIGH
        message = (
            f"{url} answers but shows a 'not found' page ({verdict.reason}); "
            + _replacement(verdict)
            + "."
        )
    elif verdict.verdict == "blocked":
        kind, severity = FindingKind.BLOCKED, Severity.LOW
        message = f"{url} refused the checker ({verdict.reason}); open it in a browser to check."
    elif verdict.verdict == "redirected":
        kind, severity = FindingKind.REDIRECTED, Severity.LOW
        target = verdict.successor_url or verdict.final_url or "another address"
        message = f"{url} now redirects to {target}; cite the new address."
    elif verdict.verdict in ("timeout", "error"):
        kind, severity = FindingKind.SUSPECT_LINK, Severity.LOW
        message = (
            f"{url} could not be checked ({verdict.reason}); the next audit will retry"
            + _known_copy(verdict)
            + "."
        )
    else:
        return None
    return Finding(
        kind=kind,
        severity=severity,
        message=message,
        places=verdict.cited_in,
        subject=verdict.normalized_url,
        url=url,
        archive_url=verdict.archive_url,
        successor_url=verdict.successor_url,
        final_url=verdict.final_url,
        evidence=tuple(
            (name, value)
            for name, value in (
                ("verdict", verdict.verdict),
                ("reason", verdict.reason),
                ("status", "" if verdict.status is None else str(verdict.status)),
                ("rule", verdict.rule or ""),
                ("checked_at", verdict.checked_at or ""),
                ("archive_timestamp", verdict.archive_timestamp or ""),
            )
            if value
        ),
    )


def link_findings(
    verdicts: Iterable[LinkVerdict],
    history: Mapping[str, Sequence[AuditRecord]],
    policy: FlappingPolicy = DEFAULT_POLICY,
) -> list[Finding]:
    """Findings for every verdict; `history` is keyed by normalized URL and includes this audit."""
    findings: list[Finding] = []
    for verdict in verdicts:
        finding = link_finding(verdict, history.get(verdict.normalized_url, ()), policy)
        if finding is not None:
            findings.append(finding)
    return findings
