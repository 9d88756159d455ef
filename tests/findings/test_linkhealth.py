"""Link findings from verdicts, flapping protection, and what changed since the last audit."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from citecheck.findings.finding import FindingKind, Severity
from citecheck.findings.history import (
    AuditState,
    StateProblem,
    changes_since,
    extend_history,
    load_state,
    save_state,
    summarise,
)
from citecheck.findings.linkhealth import AuditRecord, FlappingPolicy, confirmed_dead, link_findings
from citecheck.judge.verdicts import LinkVerdict, VerdictWord
from citecheck.read.model import Place

URL = "http://www.example.org/report.htm"
PLACE = Place("a.txt", 3, 42)


def _verdict(word: VerdictWord, **extra: str | int | None) -> LinkVerdict:
    return LinkVerdict(
        url=URL,
        normalized_url=URL,
        verdict=word,
        reason=str(extra.pop("reason", "HTTP 404")),
        cited_in=(PLACE,),
        **extra,  # type: ignore[arg-type]
    )


def _history(*items: tuple[str, str]) -> tuple[AuditRecord, ...]:
    return tuple(AuditRecord(at, verdict) for at, verdict in items)


@pytest.mark.parametrize(
    ("history", "dead"),
    [
        ((), False),
        ((("2026-11-20T03:00:00+00:00", "dead"),), False),
        # two failures, only an hour apart: one bad night
        ((("2026-11-20T03:00:00+00:00", "dead"), ("2026-11-20T04:00:00+00:00", "dead")), False),
        # two failures a day apart
        ((("2026-11-20T03:00:00+00:00", "dead"), ("2026-11-21T03:00:00+00:00", "dead")), True),
        ((("2026-11-20T03:00:00Z", "dead"), ("2026-11-27T03:00:00Z", "dead")), True),
        # a success in between restarts the count
        (
            (
                ("2026-11-10T03:00:00+00:00", "dead"),
                ("2026-11-15T03:00:00+00:00", "ok"),
                ("2026-11-20T03:00:00+00:00", "dead"),
            ),
            False,
        ),
        # a timeout after a failure ends the run: it is no evidence that the link is dead
        ((("2026-11-20T03:00:00+00:00", "dead"), ("2026-11-22T03:00:00+00:00", "timeout")), False),
    ],
)
def test_confirmed_dead(history: tuple[tuple[str, str], ...], dead: bool) -> None:
    assert confirmed_dead(_history(*history), FlappingPolicy()) is dead


def test_policy_is_configurable() -> None:
    history = _history(("2026-11-20T03:00:00+00:00", "dead"), ("2026-11-20T09:00:00+00:00", "dead"))
    assert confirmed_dead(history, FlappingPolicy(min_span=timedelta(hours=6)))
    assert not confirmed_dead(history, FlappingPolicy(min_failures=3, min_span=timedelta(0)))


ARCHIVE = "https://web.archive.org/web/20160301000000/http://www.example.org/report.htm"


@pytest.mark.parametrize(
    ("verdict", "history", "kind", "severity"),
    [
        (_verdict("ok", reason="HTTP 200"), (), None, None),
        (_verdict("unchecked", reason="offline"), (), None, None),
        (
            _verdict("dead", status=404),
            (("2026-11-22T03:00:00+00:00", "dead"),),
            FindingKind.SUSPECT_LINK,
            Severity.MEDIUM,
        ),
        (
            _verdict("dead", status=404, archive_url=ARCHIVE),
            (("2026-11-15T03:00:00+00:00", "dead"), ("2026-11-22T03:00:00+00:00", "dead")),
            FindingKind.DEAD_LINK,
            Severity.HIGH,
        ),
        (
            _verdict("soft-404", reason="title says page not found"),
            (),
            FindingKind.SOFT_404,
            Severity.HIGH,
        ),
        (
            _verdict("blocked", reason="HTTP 403 from a bot wall"),
            (),
            FindingKind.BLOCKED,
            Severity.LOW,
        ),
        (
            _verdict("redirected", final_url="https://www.example.org/new.htm"),
            (),
            FindingKind.REDIRECTED,
            Severity.LOW,
        ),
        (
            _verdict("timeout", reason="no answer in 10 s"),
            (),
            FindingKind.SUSPECT_LINK,
            Severity.LOW,
        ),
    ],
)
def test_link_findings(
    verdict: LinkVerdict,
    history: tuple[tuple[str, str], ...],
    kind: FindingKind | None,
    severity: Severity | None,
) -> None:
    findings = link_findings([verdict], {URL: _history(*history)})
    if kind is None:
        assert findings == []
        return
    (finding,) = findings
    assert (finding.kind, finding.severity, finding.places) == (kind, severity, (PLACE,))


def test_dead_link_message_offers_the_archived_copy() -> None:
    verdict = _verdict("dead", status=404, archive_url=ARCHIVE)
    history = {URL: _history(("2026-11-15T03:00:00Z", "dead"), ("2026-11-22T03:00:00Z", "dead"))}
    (finding,) = link_findings([verdict], history)
    assert finding.message == (
        f"{URL} is dead (HTTP 404) since 2026-11-15T03:00:00Z; "
        f"replace it with (or add) the archived copy {ARCHIVE}."
    )
    assert finding.archive_url == ARCHIVE


def test_successor_is_preferred_to_the_archive() -> None:
    verdict = _verdict("soft-404", archive_url=ARCHIVE, successor_url="https://new.example.org/r")
    (finding,) = link_findings([verdict], {})
    assert "replace it with its successor https://new.example.org/r." in finding.message


def test_history_grows_once_per_observation(tmp_path: Path) -> None:
    first = extend_history({}, [_verdict("dead", checked_at="2026-11-20T03:00:00Z")], "x")
    again = extend_history(first, [_verdict("dead", checked_at="2026-11-20T03:00:00Z")], "y")
    later = extend_history(again, [_verdict("dead", checked_at="2026-11-21T04:00:00Z")], "z")
    offline = extend_history(later, [_verdict("unchecked")], "w")
    assert [r.at for r in offline[URL]] == ["2026-11-20T03:00:00Z", "2026-11-21T04:00:00Z"]
    state = AuditState("2026-11-21T04:00:00Z", offline, {})
    save_state(tmp_path / "state.json", state)
    assert load_state(tmp_path / "state.json") == state


def test_missing_state_is_a_first_audit_and_bad_state_a_problem(tmp_path: Path) -> None:
    assert load_state(tmp_path / "none.json") == AuditState()
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    problem = load_state(bad)
    assert isinstance(problem, StateProblem)
    assert problem.path == str(bad)


def test_changes_since_last_audit() -> None:
    broken_before = link_findings([_verdict("dead", status=404)], {})
    other = LinkVerdict("http://b.org/x", "http://b.org/x", "ok", "HTTP 200")
    previous = AuditState("2026-11-15T00:00:00Z", {}, summarise(broken_before))
    now_archived = link_findings([_verdict("dead", status=404, archive_url=ARCHIVE)], {})
    newly = link_findings([LinkVerdict("http://b.org/x", "http://b.org/x", "dead", "HTTP 410")], {})
    changes = changes_since(previous, [*now_archived, *newly])
    assert [(c.change, c.url) for c in changes] == [
        ("newly-broken", "http://b.org/x"),
        ("newly-archived", URL),
    ]
    recovered = changes_since(previous, link_findings([other], {}))
    assert [(c.change, c.url, c.detail) for c in recovered] == [
        ("recovered", URL, "was suspect-link")
    ]


SUCCESSOR = "https://documents.un.org/api/symbol/access?s=A/68/98&l=en&t=pdf"
ARCHIVED = "https://web.archive.org/web/2016/http://www.example.org/report.htm"


@pytest.mark.parametrize(
    ("word", "extra", "says"),
    [
        ("dead", {"successor_url": SUCCESSOR}, f"its successor {SUCCESSOR} is known"),
        ("dead", {"archive_url": ARCHIVED}, f"use the archived copy {ARCHIVED}"),
        ("timeout", {"successor_url": SUCCESSOR, "reason": "timed out"}, SUCCESSOR),
        ("dead", {}, "check it by hand if urgent."),
    ],
)
def test_suspect_links_say_what_to_use_instead(
    word: VerdictWord, extra: dict[str, str], says: str
) -> None:
    """A link that failed once is suspect, and its finding names the successor or archived
    copy citecheck already knows (issue 16), as a dead link's does."""
    history = _history(("2026-11-22T03:00:00Z", word))
    (finding,) = link_findings([_verdict(word, **extra)], {URL: history})
    assert finding.kind is FindingKind.SUSPECT_LINK
    assert says in finding.message


def test_the_trend_keeps_dead_and_suspect_counts_per_audit(tmp_path: Path) -> None:
    from citecheck.findings.history import TrendPoint, extend_trend  # noqa: PLC0415

    dead = _verdict("dead")
    findings = link_findings([dead], {URL: _history(("2026-11-22T03:00:00Z", "dead"))})
    first = extend_trend((), findings, "2026-11-22T03:00:00Z")
    assert first == (TrendPoint("2026-11-22T03:00:00Z", 0, 1),)
    many: tuple[TrendPoint, ...] = first
    for day in range(10, 50):
        many = extend_trend(many, [], f"2027-01-{day}")
    assert len(many) == 30 and many[-1].at == "2027-01-49"
    path = tmp_path / "state.json"
    save_state(path, AuditState(audited_at="x", trend=first))
    loaded = load_state(path)
    assert isinstance(loaded, AuditState) and loaded.trend == first
