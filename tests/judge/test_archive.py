"""The archive pass: snapshot choice by citation date, the two APIs, politeness, failures."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests
import responses
from click.testing import CliRunner

from citecheck.cite.citing import cite_corpus
from citecheck.cite.extraction import extract_paths
from citecheck.cli.main import main
from citecheck.judge.archive import archive_pass, archived_citations, wants_lookup
from citecheck.judge.archiveclient import ArchiveCache, ArchiveClient, RateLimiter
from citecheck.judge.archivesave import SaveCredentials, SaveResult, save_page
from citecheck.judge.checking import CheckOptions, CheckResult, check_links
from citecheck.judge.verdicts import LinkVerdict
from citecheck.judge.wayback import (
    ArchiveFormatError,
    ArchiveFound,
    ArchiveMissing,
    ArchiveMode,
    ArchiveSkipped,
    Capture,
    WaybackLayout,
    archivable,
    choose_snapshot,
    citation_date,
    cited_on_of,
    judge_snapshot,
    layout_for,
    original_of,
    parse_availability_json,
    parse_cdx_json,
    raw_snapshot_url,
    snapshot_order,
    wayback_timestamp,
)
from citecheck.probe.cache import ObservationCache
from citecheck.probe.links import Link, normalize_url
from citecheck.probe.observation import NetworkDecision, Observation, now_iso
from tests.support.fakearchive import FakeCapture, FakeWayback, serving
from tests.support.sites_helpers import fixture_text

CITED = "http://www.fmprc.gov.cn/mfa_eng/wjdt_665385/zyjh_665391/t869580.shtml"
ENDPOINT = "https://web.archive.org"


def capture(timestamp: str, status: int | None = 200) -> Capture:
    return Capture(timestamp, CITED, status, f"{ENDPOINT}/web/{timestamp}/{CITED}")


# --- pure: dates and choice ----------------------------------------------------------


@pytest.mark.parametrize(
    ("iso", "stamp"),
    [
        ("2015-07-22", "20150722235959"),
        ("2015-07", "20150731235959"),
        ("2016-02", "20160229235959"),
        ("2015", "20151231235959"),
        ("2015-07-22T10:00:00", "20150722235959"),
        ("2002-05-29/2002-05-30", "20020530235959"),
        ("2002/..", "20021231235959"),
        ("2015-21", None),
        ("2015-13", None),
        ("2015-02-30", None),
        ("n.d.", None),
        ("", None),
    ],
)
def test_citation_dates_become_the_end_of_the_period_they_name(iso: str, stamp: str | None) -> None:
    assert wayback_timestamp(iso) == stamp


@pytest.mark.parametrize(
    ("dates", "chosen"),
    [
        (("2016-01-05", "2015-07-22"), "2016-01-05"),  # access date, then publication date
        (("2015-06-01", "2015"), "2015-06-01"),  # the more precise date of the same year
        (("2002-05-29/2002-05-30", "2002"), "2002-05-29/2002-05-30"),
        (("undated", "2011-10"), "2011-10"),
        ((), None),
        (("undated",), None),
    ],
)
def test_the_latest_citation_date_is_used(dates: tuple[str, ...], chosen: str | None) -> None:
    assert citation_date(dates) == chosen


@pytest.mark.parametrize(
    ("fields", "cited_on"),
    [
        ({"date": "2011-10-20", "urldate": "2014-05-01"}, "2014-05-01"),
        ({"date": "2011-10-20"}, "2011-10-20"),
        ({"date": "2011-10-20", "urldate": "recently"}, "2011-10-20"),
        ({"title": "x"}, None),
    ],
)
def test_access_date_wins_over_publication_date(
    fields: dict[str, str], cited_on: str | None
) -> None:
    assert cited_on_of(fields) == cited_on


SEVERAL = [
    capture("20090105000000"),
    capture("20111015083000"),
    capture("20111020120000"),
    capture("20111021000000"),
    capture("20111101000000", status=302),
    capture("20120301000000"),
    capture("20150101000000"),
]


@pytest.mark.parametrize(
    ("cited_on", "timestamp"),
    [
        ("2011-10-20", "20111020120000"),  # same day counts as on or before
        ("2011-10", "20111021000000"),  # a month-precise date covers the whole month
        ("2011-10-19", "20111015083000"),
        ("2011-11-15", "20111021000000"),  # the 302 capture is never chosen
        ("2013", "20120301000000"),
        ("2008-06-01", "20090105000000"),  # nothing before: the earliest after
        ("2020", "20150101000000"),
        (None, "20150101000000"),  # no date: the latest
    ],
)
def test_latest_capture_on_or_before_else_earliest_after(
    cited_on: str | None, timestamp: str
) -> None:
    chosen = choose_snapshot(SEVERAL, cited_on)
    assert chosen is not None
    assert chosen.timestamp == timestamp


def test_preference_order_is_before_latest_first_then_after_earliest_first() -> None:
    order = [c.timestamp for c in snapshot_order(SEVERAL, "2011-10-19")]
    assert order == [
        "20111015083000",
        "20090105000000",
        "20111020120000",
        "20111021000000",
        "20120301000000",
        "20150101000000",
    ]


def test_no_usable_capture_chooses_nothing() -> None:
    assert choose_snapshot([capture("20111101000000", status=404)], "2011") is None
    assert choose_snapshot([], "2011") is None


# --- pure: the archive's answers -------------------------------------------------------


def test_cdx_json_rows_become_captures_with_replay_urls() -> None:
    text = (
        '[["timestamp","original","statuscode"],'
        f'["20111021000000","{CITED}","200"],'
        f'["2011","{CITED}","200"],'
        f'["20111101000000","{CITED}","-"],'
        "[],"
        '["resumekey"]]'
    )
    assert parse_cdx_json(text, "http://127.0.0.5:8080/web") == [
        Capture("20111021000000", CITED, 200, f"http://127.0.0.5:8080/web/20111021000000/{CITED}"),
        Capture("20111101000000", CITED, None, f"http://127.0.0.5:8080/web/20111101000000/{CITED}"),
    ]
    assert parse_cdx_json("[]", ENDPOINT) == []
    assert parse_cdx_json("", ENDPOINT) == []


def test_pywb_ndjson_rows_become_captures() -> None:
    text = (
        f'{{"urlkey": "cn,gov,fmprc)/x", "timestamp": "20111021000000", "url": "{CITED}", '
        '"mime": "text/html", "status": "200"}\n'
        f'{{"timestamp": "2011", "url": "{CITED}"}}\n\n'
    )
    assert parse_cdx_json(text, "http://127.0.0.6/my-web") == [
        Capture("20111021000000", CITED, 200, f"http://127.0.0.6/my-web/20111021000000/{CITED}")
    ]
    with pytest.raises(ArchiveFormatError):
        parse_cdx_json('{"timestamp": 1}\nnot json', ENDPOINT)


@pytest.mark.parametrize(
    ("endpoint", "layout"),
    [
        (
            "https://web.archive.org",
            WaybackLayout(
                "https://web.archive.org/cdx/search/cdx",
                "https://web.archive.org/wayback/available",
                "https://web.archive.org/web",
            ),
        ),
        (
            "http://127.0.0.7:8080/",
            WaybackLayout(
                "http://127.0.0.7:8080/cdx/search/cdx",
                "http://127.0.0.7:8080/wayback/available",
                "http://127.0.0.7:8080/web",
            ),
        ),
        (
            "http://pywb.local:8080/my-web/",
            WaybackLayout(
                "http://pywb.local:8080/my-web/cdx",
                None,
                "http://pywb.local:8080/my-web",
                pywb=True,
            ),
        ),
    ],
)
def test_endpoint_layouts(endpoint: str, layout: WaybackLayout) -> None:
    assert layout_for(endpoint) == layout


@pytest.mark.parametrize("text", ["<html>busy</html>", '[["urlkey","mimetype"],["x","y"]]'])
def test_cdx_answers_not_in_the_documented_form_are_errors(text: str) -> None:
    with pytest.raises(ArchiveFormatError):
        parse_cdx_json(text, ENDPOINT)


def test_a_cdx_answer_that_is_not_a_table_holds_no_captures() -> None:
    assert parse_cdx_json('{"a": 1}', ENDPOINT) == []


def test_availability_answer_keeps_the_snapshot_url_exactly() -> None:
    text = (
        '{"archived_snapshots": {"closest": {"available": true, "url": '
        f'"http://web.archive.org/web/20111021000000/{CITED}", '
        '"timestamp": "20111021000000", "status": "200"}}}'
    )
    assert parse_availability_json(text) == Capture(
        "20111021000000", CITED, 200, f"http://web.archive.org/web/20111021000000/{CITED}"
    )
    assert parse_availability_json('{"archived_snapshots": {}}') is None


@pytest.mark.parametrize(
    ("snapshot", "raw", "original"),
    [
        (
            f"{ENDPOINT}/web/20111021000000/{CITED}",
            f"{ENDPOINT}/web/20111021000000id_/{CITED}",
            CITED,
        ),
        (
            f"{ENDPOINT}/web/20111021000000im_/{CITED}",
            f"{ENDPOINT}/web/20111021000000id_/{CITED}",
            CITED,
        ),
        (
            "http://127.0.0.2/pywb/20111021000000/http://x.org/a?b=1",
            "http://127.0.0.2/pywb/20111021000000id_/http://x.org/a?b=1",
            "http://x.org/a?b=1",
        ),
    ],
)
def test_raw_replay_urls(snapshot: str, raw: str, original: str) -> None:
    assert raw_snapshot_url(snapshot) == raw
    assert original_of(snapshot) == original


def _raw(body_fixture: str | None, final: str | None = None, status: int = 200) -> Observation:
    body = fixture_text(body_fixture) if body_fixture else ""
    title = re.search(r"<title>([^<]*)</title>", body)
    return Observation(
        url=f"{ENDPOINT}/web/20111021000000id_/{CITED}",
        checked_at="2026-11-22T00:00:00Z",
        status=status,
        final_url=final or f"{ENDPOINT}/web/20111021000000id_/{CITED}",
        title=title.group(1) if title else None,
        body_excerpt=body,
    )


def test_snapshots_are_judged_by_the_same_site_rules_as_live_pages() -> None:
    assert judge_snapshot(CITED, _raw("fmprc_article.html")) is None
    section = f"{ENDPOINT}/web/20111021000000id_/https://www.fmprc.gov.cn/mfa_eng/"
    assert judge_snapshot(CITED, _raw("fmprc_section.html", final=section)) == (
        "archived soft 404: article t869580 redirected to the section page "
        "https://www.fmprc.gov.cn/mfa_eng/"
    )
    assert judge_snapshot(CITED, _raw("fmprc_not_found.html")) == (
        "archived soft 404: not-found page (title '404 页面不存在')"
    )
    assert judge_snapshot("http://example.org/x", _raw("apec_not_found.html")) == (
        "archived soft 404: not-found page (title 'Page Not Found | APEC')"
    )
    assert judge_snapshot(CITED, _raw(None, status=404)) == "snapshot answered 404"


# --- politeness ---------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds


def test_rate_limiter_spaces_requests_per_key() -> None:
    clock = FakeClock()
    limiter = RateLimiter(20, clock=clock, sleep=clock.sleep)
    for _ in range(3):
        limiter.wait("a api")
    limiter.wait("b api")  # another endpoint has its own budget
    assert clock.slept == [3.0, 3.0]
    limiter.hold("a api", 60)
    limiter.wait("a api")
    assert clock.slept[-1] == 60.0


# --- the client over `responses` -------------------------------------------------------


def fake_client(fake: FakeWayback, tmp_path: Path | None = None) -> tuple[ArchiveClient, FakeClock]:
    clock = FakeClock()
    client = ArchiveClient(
        fake.base,
        cache=ArchiveCache(tmp_path / "cache.sqlite") if tmp_path else None,
        limiter=RateLimiter(20, clock=clock, sleep=clock.sleep),
        replay_limiter=RateLimiter(60, clock=clock, sleep=clock.sleep),
    )
    return client, clock


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


def route(rsps: responses.RequestsMock, fake: FakeWayback) -> None:
    def callback(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        assert request.url is not None
        return fake.answer(request.url[len(fake.base) :])

    rsps.add_callback(responses.GET, re.compile(re.escape(fake.base) + "/.*"), callback=callback)


ARTICLE = fixture_text("fmprc_article.html")
SECTION = fixture_text("fmprc_section.html")


def test_cdx_picks_the_verified_capture_before_the_citation(
    mocked: responses.RequestsMock, tmp_path: Path
) -> None:
    fake = FakeWayback(
        ENDPOINT,
        {
            CITED: [
                FakeCapture("20100101000000", body=ARTICLE),
                FakeCapture("20111021000000", body=ARTICLE),
                FakeCapture("20130101000000", body=ARTICLE),
            ]
        },
    )
    route(mocked, fake)
    client, _ = fake_client(fake, tmp_path)
    result = client.find_snapshot(CITED, "2011-10-20")
    assert result == ArchiveFound(
        url=CITED,
        snapshot_url=f"{ENDPOINT}/web/20100101000000/{CITED}",
        timestamp="20100101000000",
        via="cdx",
        cited_on="2011-10-20",
        before_citation=True,
    )
    assert fake.requests[0].startswith("/cdx/search/cdx?")
    assert "filter=statuscode%3A200" in fake.requests[0]
    assert "sort=closest" in fake.requests[0]
    assert fake.requests[1] == f"/web/20100101000000id_/{CITED}"


def test_an_archived_soft_404_is_skipped_for_the_next_best_capture(
    mocked: responses.RequestsMock,
) -> None:
    fake = FakeWayback(
        ENDPOINT,
        {
            CITED: [
                FakeCapture("20111001000000", body=ARTICLE),
                FakeCapture("20140101000000", body=fixture_text("apec_not_found.html")),
                FakeCapture("20150101000000", body=fixture_text("fmprc_not_found.html")),
            ]
        },
    )
    route(mocked, fake)
    client, _ = fake_client(fake)
    result = client.find_snapshot(CITED, "2015-06")
    assert isinstance(result, ArchiveFound)
    assert result.timestamp == "20111001000000"
    assert len(result.refused) == 2
    assert "not-found page" in result.refused[0]


def test_every_capture_after_the_date_makes_a_second_query_for_the_last_before(
    mocked: responses.RequestsMock,
) -> None:
    later = [
        FakeCapture(f"2012{m:02d}{d:02d}000000", body=ARTICLE)
        for m in range(1, 13)
        for d in (1, 15, 28)
    ]
    fake = FakeWayback(ENDPOINT, {CITED: [FakeCapture("20050101000000", body=ARTICLE), *later]})
    route(mocked, fake)
    client, _ = fake_client(fake)
    result = client.find_snapshot(CITED, "2011-12-31")
    assert isinstance(result, ArchiveFound)
    assert result.timestamp == "20050101000000"
    assert "limit=-1" in fake.requests[1]


def test_availability_api_is_the_second_way(mocked: responses.RequestsMock) -> None:
    fake = FakeWayback(ENDPOINT, {CITED: [FakeCapture("20111021000000", body=ARTICLE)]})
    mocked.add(
        responses.GET,
        re.compile(re.escape(ENDPOINT) + "/cdx/.*"),
        body="<html>down</html>",
        status=503,
    )
    route(mocked, fake)
    client, _ = fake_client(fake)
    result = client.find_snapshot(CITED, "2012")
    assert isinstance(result, ArchiveFound)
    assert result.via == "availability"
    assert result.snapshot_url == f"{ENDPOINT}/web/20111021000000/{CITED}"


def test_nothing_archived_is_a_typed_missing_result(mocked: responses.RequestsMock) -> None:
    fake = FakeWayback(ENDPOINT, {})
    route(mocked, fake)
    client, _ = fake_client(fake)
    assert client.find_snapshot(CITED, "2012") == ArchiveMissing(
        CITED, "no capture with status 200 in the archive"
    )


def test_429_backs_off_then_succeeds(mocked: responses.RequestsMock) -> None:
    fake = FakeWayback(ENDPOINT, {CITED: [FakeCapture("20111021000000", body=ARTICLE)]}, throttle=1)
    route(mocked, fake)
    client, clock = fake_client(fake)
    result = client.find_snapshot(CITED, "2012")
    assert isinstance(result, ArchiveFound)
    assert 3.0 in clock.slept  # Retry-After: 3


def test_persistent_429_skips_this_and_every_later_lookup(mocked: responses.RequestsMock) -> None:
    fake = FakeWayback(ENDPOINT, {CITED: [FakeCapture("20111021000000")]}, throttle=99)
    route(mocked, fake)
    client, _ = fake_client(fake)
    reason = "archive rate limit (429) persisted after backing off"
    assert client.find_snapshot(CITED, "2012") == ArchiveSkipped(CITED, reason)
    asked = len(fake.requests)
    assert client.find_snapshot("http://www.apec.org/", "2012") == ArchiveSkipped(
        "http://www.apec.org/", reason
    )
    assert len(fake.requests) == asked == 2


def test_an_unreachable_archive_is_skipped_not_raised(mocked: responses.RequestsMock) -> None:
    mocked.add(
        responses.GET,
        re.compile(r"http://127\.0\.0\.9/.*"),
        body=requests.ConnectionError("refused"),
    )
    client = ArchiveClient(
        "http://127.0.0.9", limiter=RateLimiter(1e6), replay_limiter=RateLimiter(1e6)
    )
    first = client.find_snapshot(CITED, "2012")
    second = client.find_snapshot(CITED, "2012")
    third = client.find_snapshot(CITED, "2012")
    assert first == ArchiveSkipped(CITED, "archive unreachable (ConnectionError)")
    assert second == ArchiveSkipped(
        CITED, "archive unreachable (ConnectionError); further archive lookups skipped"
    )
    assert third == second
    assert len(mocked.calls) == 2


def test_cached_answers_are_not_asked_again(mocked: responses.RequestsMock, tmp_path: Path) -> None:
    fake = FakeWayback(ENDPOINT, {CITED: [FakeCapture("20111021000000", body=ARTICLE)]})
    route(mocked, fake)
    first, _ = fake_client(fake, tmp_path)
    assert isinstance(first.find_snapshot(CITED, "2012"), ArchiveFound)
    asked = len(fake.requests)
    again, _ = fake_client(fake, tmp_path)
    assert isinstance(again.find_snapshot(CITED, "2012"), ArchiveFound)
    assert len(fake.requests) == asked


# --- the client against a real local server -------------------------------------------


DATED_CITATIONS = [
    ("2011-10-20", "20111019233000"),  # latest before (same-day capture after 23:59? none)
    ("2011-10", "20111031120000"),
    ("2011-09-01", "20110515000000"),
    ("2009-01-01", "20100301000000"),  # nothing before: earliest after
]


def test_local_wayback_server_gives_the_snapshot_from_when_it_was_cited() -> None:
    captures = {
        CITED: [
            FakeCapture("20100301000000", body=ARTICLE),
            FakeCapture("20110515000000", body=ARTICLE),
            FakeCapture("20111019233000", body=ARTICLE),
            FakeCapture("20111025000000", status=404, body="gone"),
            FakeCapture("20111031120000", body=ARTICLE),
            FakeCapture("20120105000000", body=SECTION),
            FakeCapture("20160101000000", body=ARTICLE),
        ]
    }
    with serving(captures) as fake:
        client = ArchiveClient(
            fake.base + "/", limiter=RateLimiter(1e6), replay_limiter=RateLimiter(1e6), timeout=5
        )
        for cited_on, expected in DATED_CITATIONS:
            result = client.find_snapshot(CITED, cited_on)
            assert isinstance(result, ArchiveFound), (cited_on, result)
            assert result.timestamp == expected, cited_on
            assert result.snapshot_url == f"{fake.base}/web/{expected}/{CITED}"
        assert all(not r.startswith("http") for r in fake.requests)  # every request came here


def test_archive_command_uses_only_the_given_endpoint(tmp_path: Path) -> None:
    with serving({CITED: [FakeCapture("20111019233000", body=ARTICLE)]}) as fake:
        args = ["archive", CITED, "--cited-on", "2011-10-20", "--archive-endpoint", fake.base]
        result = CliRunner().invoke(main, [*args, "--cache", str(tmp_path)])
    assert result.exit_code == 0, result.output
    (entry,) = json.loads(result.output)["archive"]
    assert entry["archive_url"] == f"{fake.base}/web/20111019233000/{CITED}"
    assert entry["archive_timestamp"] == "20111019233000"
    assert entry["before_citation"] is True


def test_archive_command_rejects_a_date_it_cannot_read(tmp_path: Path) -> None:
    args = ["archive", CITED, "--cited-on", "last spring", "--cache", str(tmp_path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "not an ISO date" in result.output


# --- optional: Save Page Now ------------------------------------------------------------

KEYS = SaveCredentials("access", "secret")


def test_save_page_submits_then_polls_until_saved(mocked: responses.RequestsMock) -> None:
    mocked.add(responses.POST, f"{ENDPOINT}/save", json={"url": CITED, "job_id": "spn2-abc"})
    mocked.add(responses.GET, f"{ENDPOINT}/save/status/spn2-abc", json={"status": "pending"})
    mocked.add(
        responses.GET,
        f"{ENDPOINT}/save/status/spn2-abc",
        json={"status": "success", "timestamp": "20261122000000", "original_url": CITED},
    )
    clock = FakeClock()
    client = ArchiveClient(ENDPOINT, sleep=clock.sleep)
    result = save_page(client, CITED, KEYS, limiter=RateLimiter(4, clock=clock, sleep=clock.sleep))
    assert result == SaveResult(
        CITED, "saved", f"{ENDPOINT}/web/20261122000000/{CITED}", "20261122000000"
    )
    submitted = mocked.calls[0].request
    assert submitted.headers["Authorization"] == "LOW access:secret"
    assert submitted.body == urlencode({"url": CITED})


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ({"status": 429}, "Save Page Now answered 429"),
        ({"json": {"message": "no"}}, "Save Page Now gave no job id"),
        ({"body": requests.ConnectionError("down")}, "Save Page Now unreachable (ConnectionError)"),
    ],
)
def test_save_page_failures_are_values(
    mocked: responses.RequestsMock, answer: dict[str, object], reason: str
) -> None:
    mocked.add(responses.POST, f"{ENDPOINT}/save", **answer)  # type: ignore[arg-type]
    clock = FakeClock()
    client = ArchiveClient(ENDPOINT, sleep=clock.sleep)
    assert save_page(client, CITED, KEYS) == SaveResult(CITED, "failed", reason=reason)


def test_save_needs_credentials_from_the_environment(tmp_path: Path) -> None:
    assert SaveCredentials.from_env({"IA_ACCESS_KEY": "a"}) is None
    assert SaveCredentials.from_env({"IA_ACCESS_KEY": "a", "IA_SECRET_KEY": "b"}) == (
        SaveCredentials("a", "b")
    )
    args = ["archive", CITED, "--save", "--cache", str(tmp_path)]
    result = CliRunner().invoke(main, args, env={"IA_ACCESS_KEY": "", "IA_SECRET_KEY": ""})
    assert result.exit_code == 2
    assert "IA_ACCESS_KEY" in result.output


# --- the pass over verdicts -------------------------------------------------------------


def _verdict(url: str, word: str) -> LinkVerdict:
    return LinkVerdict(url=url, normalized_url=url, verdict=word, reason="r")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://www.fmprc.gov.cn/mfa_eng/t1.shtml", True),
        ("www.un.org/ga/search/view_doc.asp?symbol=A/68/98", True),
        ("http://8.8.8.8/x", True),
        ("http://127.0.0.3:8080/gone", False),
        ("http://10.1.2.3/", False),
        ("http://[::1]/x", False),
        ("http://localhost:8000/", False),
        ("http://www.example.test/gone", False),
        ("http://site.invalid/", False),
        ("http://[::1", False),
    ],
)
def test_only_public_urls_are_looked_up(url: str, expected: bool) -> None:
    assert archivable(url) is expected


def test_archive_pass_dates_lookups_by_citation_and_skips_live_links() -> None:
    dead = CITED
    live = "https://www.rand.org/pubs/x.html"
    captures = {
        dead: [
            FakeCapture("20111019233000", body=ARTICLE),
            FakeCapture("20160101000000", body=ARTICLE),
        ],
        live: [FakeCapture("20170101000000")],
    }
    links = [
        Link(url=dead, normalized_url=dead, dates=("2011-10-20",)),
        Link(url=live, normalized_url=live, dates=("2016",)),
    ]
    verdicts = [_verdict(dead, "dead"), _verdict(live, "ok")]
    with serving(captures) as fake:
        client = ArchiveClient(fake.base, limiter=RateLimiter(1e6), replay_limiter=RateLimiter(1e6))
        failed_only = archive_pass(verdicts, links, client)
        everything = archive_pass(verdicts, links, client, mode="all")
        nothing = archive_pass(verdicts, links, client, mode="none")
    first, second = failed_only.verdicts
    assert (first.archive_url, first.archive_timestamp) == (
        f"{fake.base}/web/20111019233000/{dead}",
        "20111019233000",
    )
    assert second.archive_url is None
    assert len(failed_only.results) == 1
    assert everything.verdicts[1].archive_timestamp == "20170101000000"
    assert nothing.verdicts == tuple(verdicts)
    assert failed_only.warnings == everything.warnings == ()


def test_archive_pass_finishes_and_says_what_was_skipped(mocked: responses.RequestsMock) -> None:
    fake = FakeWayback(ENDPOINT, {}, throttle=99)
    route(mocked, fake)
    client, _ = fake_client(fake)
    urls = [f"http://www.apec.org/Meeting-Papers/{n}.aspx" for n in range(3)]
    result = archive_pass(
        [_verdict(u, "soft-404") for u in urls],
        [Link(url=u, normalized_url=u) for u in urls],
        client,
    )
    assert [v.archive_url for v in result.verdicts] == [None, None, None]
    assert all(isinstance(r, ArchiveSkipped) for r in result.results)
    assert result.warnings == (
        "archive lookup skipped for 3 link(s): "
        "archive rate limit (429) persisted after backing off",
    )
    assert len(fake.requests) == 2  # gave up after one back-off, asked nothing more


def test_a_pywb_collection_is_asked_in_its_own_dialect(mocked: responses.RequestsMock) -> None:
    base = "http://127.0.0.6/my-web"
    asked: list[str] = []

    def cdx(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        assert request.url is not None
        asked.append(request.url)
        rows = [("20100101000000", "200"), ("20111019233000", "200"), ("20120101000000", "200")]
        lines = [json.dumps({"timestamp": t, "url": CITED, "status": s}) for t, s in rows]
        return 200, {"Content-Type": "text/x-ndjson"}, "\n".join(lines) + "\n"

    mocked.add_callback(responses.GET, re.compile(re.escape(base) + r"/cdx\?.*"), callback=cdx)
    mocked.add(
        responses.GET, f"{base}/20111019233000id_/{CITED}", body=ARTICLE, content_type="text/html"
    )
    client = ArchiveClient(base, limiter=RateLimiter(1e6), replay_limiter=RateLimiter(1e6))
    result = client.find_snapshot(CITED, "2011-10-20")
    assert isinstance(result, ArchiveFound)
    assert result.snapshot_url == f"{base}/20111019233000/{CITED}"
    assert "filter=%3Dstatus%3A200" in asked[0]
    assert len(mocked.calls) == 2  # CDX and one replay; no availability API asked


# --- optional: archived copies in the bibliography ------------------------------------------

NOTE_TEXT = (
    "China spoke at the First Committee.1\n\n"
    "1 Ministry of Foreign Affairs, ‘Statement on Cyberspace Security’ (20 October 2011), "
    f"{CITED}.\n"
)


def _dead_with_snapshot(url: str) -> LinkVerdict:
    return replace(
        _verdict(url, "soft-404"),
        normalized_url=normalize_url(url),
        archive_url=f"{ENDPOINT}/web/20111019233000/{url}",
        archive_timestamp="20111019233000",
    )


def test_dead_links_with_a_snapshot_gain_an_addendum(tmp_path: Path) -> None:
    text = tmp_path / "t.txt"
    text.write_text(NOTE_TEXT, encoding="utf-8")
    cited = cite_corpus(extract_paths([text]))
    live = replace(_dead_with_snapshot(CITED), verdict="ok")
    assert archived_citations(cited, [live]) == tuple(cited)
    (document,) = archived_citations(cited, [_dead_with_snapshot(CITED)])
    (citation,) = document.notes[0].citations
    assert citation.fields["addendum"] == (
        f"Archived copy: {ENDPOINT}/web/20111019233000/{CITED} (captured 2011-10-19)"
    )


def test_extract_with_archive_writes_the_addendum_into_the_bibtex(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = tmp_path / "t.txt"
    text.write_text(NOTE_TEXT, encoding="utf-8")
    seen: list[tuple[str, str]] = []

    def fake_check(links: Sequence[Link], options: CheckOptions) -> CheckResult:
        seen.extend((link.url, options.archive_endpoint) for link in links)
        return CheckResult(
            verdicts=(_dead_with_snapshot(CITED),),
            network=NetworkDecision("online", "test"),
            probed=1,
            from_cache=0,
        )

    monkeypatch.setattr("citecheck.judge.checking.check_links", fake_check)  # imported when used
    args = ["extract", str(text), "--format", "bibtex", "--with-archive"]
    result = CliRunner().invoke(main, [*args, "--archive-endpoint", "http://127.0.0.8"])
    assert result.exit_code == 0, result.output
    assert seen == [(CITED, "http://127.0.0.8")]
    assert "addendum = {Archived copy: https://web.archive.org/web/20111019233000/" in result.output
    assert "(captured 2011-10-19)}" in result.output


@pytest.mark.parametrize(
    ("url", "word", "mode", "expected"),
    [
        ("http://www.fmprc.gov.cn/a", "dead", "failed", True),
        ("http://www.fmprc.gov.cn/a", "timeout", "failed", True),
        ("http://www.fmprc.gov.cn/a", "ok", "failed", False),
        ("http://www.fmprc.gov.cn/a", "ok", "all", True),
        ("http://www.fmprc.gov.cn/a", "dead", "none", False),
        ("http://127.0.0.3:8080/gone", "dead", "failed", False),
        ("http://127.0.0.3:8080/gone", "ok", "all", False),
    ],
)
def test_wants_lookup(url: str, word: str, mode: ArchiveMode, expected: bool) -> None:
    assert wants_lookup(_verdict(url, word), mode) is expected


def test_check_with_nothing_to_look_up_builds_no_archive_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_client(*arguments: object, **options: object) -> ArchiveClient:
        raise AssertionError("an archive client was built with nothing to look up")

    monkeypatch.setattr("citecheck.judge.archiveclient.ArchiveClient", no_client)
    url = "http://www.fmprc.gov.cn/mfa_eng/t1.shtml"
    with ObservationCache(tmp_path) as cache:
        cache.record(url, Observation(url=url, checked_at=now_iso(), status=200))
    result = check_links([Link(url=url, normalized_url=url)], CheckOptions(cache_dir=tmp_path))
    assert [v.verdict for v in result.verdicts] == ["ok"]
    assert result.probed == 0
