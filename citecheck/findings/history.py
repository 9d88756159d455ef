"""What one audit leaves for the next: per-link verdict history and a summary of findings.

Stored as one JSON file in the cache folder (written atomically), so scheduled
audits can confirm dead links over days (`linkhealth`) and `--since-last` can
say what changed. A missing file is a first audit; an unreadable one is a
`StateProblem`, never a crash.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from citecheck.findings.finding import LINK_KINDS, Finding, FindingKind
from citecheck.findings.linkhealth import AuditRecord
from citecheck.judge.verdicts import LinkVerdict
from citecheck.util.atomic import WriteError, write_text_atomic
from citecheck.util.quoting import quoted

STATE_FILE = "audit-state.json"
STATE_SCHEMA = 1
HISTORY_LENGTH = 20
"""Audits remembered per link: enough to confirm a failure run, small enough to stay readable."""


@dataclass(frozen=True)
class SummaryEntry:
    """The part of a finding the next audit compares against."""

    kind: str
    subject: str
    url: str | None = None
    archive_url: str | None = None


@dataclass(frozen=True)
class TrendPoint:
    """How many links one audit found dead and suspect: one point of the reports' trend."""

    at: str
    dead: int
    suspect: int


TREND_LENGTH = 30
"""Audits kept in the trend: a month of nightly runs."""


@dataclass(frozen=True)
class AuditState:
    audited_at: str | None = None
    history: Mapping[str, tuple[AuditRecord, ...]] = field(default_factory=dict)
    findings: Mapping[str, SummaryEntry] = field(default_factory=dict)
    trend: tuple[TrendPoint, ...] = ()


@dataclass(frozen=True)
class StateProblem:
    path: str
    reason: str


@dataclass(frozen=True)
class Change:
    """One difference from the previous audit: newly-broken, recovered or newly-archived."""

    change: str
    url: str
    detail: str


def load_state(path: Path) -> AuditState | StateProblem:
    if not path.exists():
        return AuditState()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("schema") != STATE_SCHEMA:
            return StateProblem(quoted(path), f"unknown schema {data.get('schema')!r}")
        history = {
            url: tuple(AuditRecord(r["at"], r["verdict"]) for r in records)
            for url, records in data["history"].items()
        }
        findings = {
            fingerprint: SummaryEntry(
                entry["kind"], entry["subject"], entry.get("url"), entry.get("archive_url")
            )
            for fingerprint, entry in data["findings"].items()
        }
        trend = tuple(
            TrendPoint(str(p["at"]), int(p["dead"]), int(p["suspect"]))
            for p in data.get("trend", [])
        )
        return AuditState(data.get("audited_at"), history, findings, trend)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        return StateProblem(quoted(path), f"unreadable audit state ({error})")


def save_state(path: Path, state: AuditState) -> None:
    payload: dict[str, Any] = {
        "schema": STATE_SCHEMA,
        "audited_at": state.audited_at,
        "history": {
            url: [{"at": r.at, "verdict": r.verdict} for r in records]
            for url, records in sorted(state.history.items())
        },
        "findings": {
            fingerprint: {
                "kind": e.kind,
                "subject": e.subject,
                "url": e.url,
                "archive_url": e.archive_url,
            }
            for fingerprint, e in sorted(state.findings.items())
        },
        "trend": [{"at": p.at, "dead": p.dead, "suspect": p.suspect} for p in state.trend],
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        reason = error.strerror or str(error)
        raise WriteError(error.errno or 0, f"{quoted(path)}: cannot write: {reason}") from None
    write_text_atomic(path, json.dumps(payload, ensure_ascii=False, indent=1) + "\n")


def record_state(path: Path, state: AuditState) -> AuditState:
    """Save this audit's `state`, merging its history with what other audits saved since
    this one read the file; returns what was saved.

    Audits sharing a cache each read the state, work, then write it back: written
    blindly, the last writer would erase the others' records (four audits at once kept
    one). So the read-merge-write runs under an exclusive lock on `PATH.lock`, and the
    per-link histories are united (`merge_histories`). The findings summary and the
    audit time are this audit's own: they describe the run that writes them.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as error:
        reason = error.strerror or str(error)
        raise WriteError(error.errno or 0, f"{quoted(path)}: cannot write: {reason}") from None
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        on_disk = load_state(path)
        if isinstance(on_disk, AuditState):
            state = replace(state, history=merge_histories(on_disk.history, state.history))
        save_state(path, state)
        return state
    finally:
        os.close(lock)  # closing releases the lock


def merge_histories(
    *histories: Mapping[str, Sequence[AuditRecord]],
) -> dict[str, tuple[AuditRecord, ...]]:
    """Every link's records from all `histories`, one per audit time, oldest first, the last
    HISTORY_LENGTH kept. The same time twice is one observation seen by two audits."""
    merged: dict[str, dict[str, AuditRecord]] = {}
    for history in histories:
        for url, records in history.items():
            by_time = merged.setdefault(url, {})
            for record in records:
                by_time[record.at] = record
    return {
        url: tuple(by_time[at] for at in sorted(by_time))[-HISTORY_LENGTH:]
        for url, by_time in sorted(merged.items())
    }


def extend_history(
    previous: Mapping[str, Sequence[AuditRecord]], verdicts: Iterable[LinkVerdict], now: str
) -> dict[str, tuple[AuditRecord, ...]]:
    """Append this audit's verdicts (unchecked ones, as when offline, add nothing)."""
    history = {url: tuple(records) for url, records in previous.items()}
    for verdict in verdicts:
        if verdict.verdict == "unchecked":
            continue
        at = verdict.checked_at or now
        records = history.get(verdict.normalized_url, ())
        if records and records[-1].at == at:
            continue
        history[verdict.normalized_url] = (*records, AuditRecord(at, verdict.verdict))[
            -HISTORY_LENGTH:
        ]
    return history


def summarise(
    findings: Iterable[Finding],
    previous: AuditState | None = None,
    unchecked: frozenset[str] = frozenset(),
) -> dict[str, SummaryEntry]:
    """This audit's findings, plus the previous ones about links it could not check."""
    summary = {
        f.fingerprint: SummaryEntry(f.kind.value, f.subject, f.url, f.archive_url) for f in findings
    }
    if previous is not None:
        for fingerprint, entry in previous.findings.items():
            if entry.subject in unchecked:
                summary.setdefault(fingerprint, entry)
    return summary


def extend_trend(
    previous: Sequence[TrendPoint], findings: Iterable[Finding], now: str
) -> tuple[TrendPoint, ...]:
    """The trend with this audit's dead and suspect link counts added (the last 30 audits)."""
    kinds = [f.kind for f in findings]
    point = TrendPoint(
        now, kinds.count(FindingKind.DEAD_LINK), kinds.count(FindingKind.SUSPECT_LINK)
    )
    kept = [p for p in previous if p.at != now]
    return (*kept, point)[-TREND_LENGTH:]


BROKEN_KINDS = frozenset({FindingKind.DEAD_LINK, FindingKind.SOFT_404, FindingKind.SUSPECT_LINK})


def changes_since(
    previous: AuditState, findings: Sequence[Finding], unchecked: frozenset[str] = frozenset()
) -> list[Change]:
    """Links newly broken, recovered (broken before, no link finding now) and newly archived.

    A link left `unchecked` this time (offline, not in the cache) has not recovered.
    """
    before_broken = {
        e.subject: e for e in previous.findings.values() if FindingKind(e.kind) in BROKEN_KINDS
    }
    before_archived = {e.subject for e in previous.findings.values() if e.archive_url}
    now_link = {f.subject: f for f in findings if f.kind in LINK_KINDS}
    changes: list[Change] = []
    for subject, finding in sorted(now_link.items()):
        if finding.kind in BROKEN_KINDS and subject not in before_broken:
            changes.append(Change("newly-broken", finding.url or subject, finding.kind.value))
        if finding.archive_url and subject not in before_archived:
            changes.append(Change("newly-archived", finding.url or subject, finding.archive_url))
    for subject, entry in sorted(before_broken.items()):
        if subject in unchecked:
            continue
        current = now_link.get(subject)
        if current is None or current.kind not in BROKEN_KINDS:
            changes.append(Change("recovered", entry.url or subject, f"was {entry.kind}"))
    return changes
