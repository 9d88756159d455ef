"""The end of the audit job: history across audits, baseline, --since-last, exit status."""

from __future__ import annotations

from datetime import date

from citecheck.findings.audit import (
    EXIT_CLEAN,
    EXIT_FAILING,
    Judgement,
    Stages,
    conclude,
    exit_status,
    merge_history,
)
from citecheck.findings.finding import FindingKind
from citecheck.findings.history import AuditState
from citecheck.findings.linkhealth import AuditRecord
from citecheck.judge.verdicts import LinkVerdict, VerdictWord
from citecheck.read.model import Note, NotedDocument, Place
from tests.support.citefactory import cite

URL = "http://www.example.org/gone.htm"


def _stages(checked_at: str, verdict: VerdictWord = "dead") -> Stages:
    place = Place("a.txt", 1, 10)
    return Stages(
        documents=(NotedDocument("a.txt", (1,), (Note(1, 10, "x", (URL,)),)),),
        citations=(cite("k", "a.txt", 1, 10, title="Gone", date="2015", urls=(URL,)),),
        verdicts=(
            LinkVerdict(
                URL,
                URL,
                verdict,
                "HTTP 404",
                status=404,
                checked_at=checked_at,
                cited_in=(place,),
            ),
        ),
    )


def test_a_link_is_dead_only_in_the_second_audit_a_day_later() -> None:
    first, state = conclude(
        _stages("2026-11-20T03:00:00Z"),
        AuditState(),
        now="2026-11-20T03:00:00Z",
        today=date(2026, 11, 20),
    )
    assert [f.kind for f in first.findings] == [FindingKind.SUSPECT_LINK]
    assert exit_status(first) == EXIT_CLEAN
    second, state = conclude(
        _stages("2026-11-21T04:00:00Z"),
        state,
        now="2026-11-21T04:00:00Z",
        today=date(2026, 11, 21),
        judgement=Judgement(since_last=True),
    )
    assert [f.kind for f in second.findings] == [FindingKind.DEAD_LINK]
    assert exit_status(second) == EXIT_FAILING
    assert second.changes == ()  # it was already broken (suspect) last time
    assert second.documents[0].citations == 1 and second.documents[0].links == 1
    third, _ = conclude(
        _stages("2026-11-22T04:00:00Z", "ok"),
        state,
        now="2026-11-22T04:00:00Z",
        today=date(2026, 11, 22),
        judgement=Judgement(since_last=True),
    )
    assert third.findings == ()
    assert [(c.change, c.url) for c in third.changes or ()] == [("recovered", URL)]


def test_baseline_accepts_a_failing_finding() -> None:
    stages = _stages("2026-11-21T04:00:00Z")
    history_state = AuditState(history={})
    result, _ = conclude(
        stages,
        history_state,
        now="x",
        today=date(2026, 11, 21),
        judgement=Judgement(fail_on=frozenset({FindingKind.SUSPECT_LINK})),
    )
    assert exit_status(result) == EXIT_FAILING
    (finding,) = result.findings
    accepted, _ = conclude(
        stages,
        history_state,
        now="x",
        today=date(2026, 11, 21),
        judgement=Judgement(
            fail_on=frozenset({FindingKind.SUSPECT_LINK}), accepted=frozenset({finding.fingerprint})
        ),
    )
    assert accepted.findings == () and accepted.accepted == (finding,)
    assert exit_status(accepted) == EXIT_CLEAN


def test_merged_history_is_time_ordered_once_per_moment() -> None:
    audits = {URL: (AuditRecord("2026-11-21T04:00:00Z", "dead"),)}
    cache = {
        URL: (
            AuditRecord("2026-11-21T04:00:00+00:00", "dead"),
            AuditRecord("2026-11-20T03:00:00", "dead"),  # no zone: UTC
            AuditRecord("2026-11-21T04:00:00Z", "dead"),
        )
    }
    merged = merge_history(audits, cache)
    assert [r.at for r in merged[URL]] == ["2026-11-20T03:00:00", "2026-11-21T04:00:00Z"]


def test_cache_history_confirms_a_failure_seen_a_day_before_the_first_audit() -> None:
    observed = {URL: (AuditRecord("2026-11-19T02:00:00Z", "dead"),)}
    result, _ = conclude(
        _stages("2026-11-20T03:00:00Z"),
        AuditState(),
        now="2026-11-20T03:00:00Z",
        today=date(2026, 11, 20),
        observed=observed,
    )
    assert [f.kind for f in result.findings] == [FindingKind.DEAD_LINK]


def test_an_offline_audit_forgets_nothing_and_recovers_nothing() -> None:
    _, state = conclude(_stages("2026-11-20T03:00:00Z"), AuditState(), now="a",
                        today=date(2026, 11, 20))  # fmt: skip
    offline, after = conclude(
        _stages("2026-11-21T03:00:00Z", "unchecked"),
        state,
        now="b",
        today=date(2026, 11, 21),
        judgement=Judgement(since_last=True),
    )
    assert offline.changes == ()
    assert after.findings == state.findings
