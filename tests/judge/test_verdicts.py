"""Verdicts are pure functions of observations: input → expected tables."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from citecheck.judge.sites import installed_rule_lookup
from citecheck.judge.verdicts import (
    LinkVerdict,
    classify,
    judge,
    same_document,
    summarize,
)
from citecheck.probe.links import Link
from citecheck.probe.observation import Observation
from citecheck.read.model import Place

URL = "http://example.org/reports/2015/cyber.html"
STAMP = "2026-11-22T10:00:00Z"


def seen(**fields: object) -> Observation:
    return Observation(url=URL, checked_at=STAMP, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("observation", "verdict", "reason"),
    [
        (seen(status=200, title="Cyber report"), "ok", "HTTP 200"),
        (seen(status=204), "ok", "HTTP 204"),
        (
            seen(
                status=200,
                final_url="https://www.example.org/reports/2015/cyber.html/",
                redirects=("https://www.example.org/reports/2015/cyber.html/",),
                redirect_statuses=(301,),
            ),
            "ok",
            "after 1 redirect",
        ),
        (
            seen(
                status=200,
                final_url="http://example.org/archive/cyber-2015",
                redirects=("http://example.org/archive/cyber-2015",),
                redirect_statuses=(301,),
            ),
            "redirected",
            "moved permanently to http://example.org/archive/cyber-2015",
        ),
        (
            seen(
                status=200,
                final_url="http://example.org/b",
                redirects=("http://example.org/a", "http://example.org/b"),
                redirect_statuses=(302, 308),
            ),
            "redirected",
            "moved permanently to http://example.org/b",
        ),
        (
            seen(
                status=200,
                final_url="http://example.org/login",
                redirects=("http://example.org/login",),
                redirect_statuses=(302,),
            ),
            "ok",
            "after 1 redirect",
        ),
        (
            seen(
                status=200,
                final_url="http://example.org/",
                redirects=("http://example.org/",),
                redirect_statuses=(301,),
            ),
            "soft-404",
            "deep link redirected to the home page",
        ),
        (
            seen(
                status=200,
                final_url="http://example.org/index.php",
                redirects=("http://example.org/index.php",),
                redirect_statuses=(302,),
            ),
            "soft-404",
            "home page",
        ),
        (
            seen(
                status=200,
                final_url="http://example.org/errors/404.html",
                redirects=("http://example.org/errors/404.html",),
                redirect_statuses=(302,),
            ),
            "soft-404",
            "error page",
        ),
        (seen(status=200, title="Page Not Found | Example"), "soft-404", "title says not found"),
        (seen(status=200, title="404 - Example"), "soft-404", "title says not found"),
        (seen(status=200, title="Report A/70/404 of the Secretary-General"), "ok", "HTTP 200"),
        (seen(status=200, title="页面不存在"), "soft-404", "title says not found"),
        (
            seen(
                status=200,
                title="Example",
                body_excerpt="Sorry, the page you requested could not be found.",
            ),
            "soft-404",
            "text says not found",
        ),
        (seen(status=200, body_excerpt="x " * 2000 + "page not found"), "ok", "HTTP 200"),
        (seen(status=404), "dead", "HTTP 404"),
        (seen(status=410), "dead", "HTTP 410"),
        (
            seen(error="dns", error_detail="Name or service not known"),
            "dead",
            "name does not resolve",
        ),
        (seen(error="refused"), "dead", "connection refused"),
        (seen(status=401), "blocked", "HTTP 401"),
        (seen(status=403), "blocked", "HTTP 403"),
        (seen(status=429), "blocked", "HTTP 429 (persisted after waiting)"),
        (seen(status=503, title="Just a moment..."), "blocked", "bot challenge"),
        (seen(status=200, title="Access Denied"), "blocked", "bot challenge (HTTP 200)"),
        (
            seen(status=200, title="Report", body_excerpt="We studied captcha solving."),
            "ok",
            "HTTP 200",
        ),
        (seen(status=451), "blocked", "HTTP 451"),
        (seen(status=503), "error", "HTTP 503"),
        (seen(status=500), "error", "HTTP 500"),
        (seen(status=400), "error", "HTTP 400"),
        (seen(status=302), "error", "without a usable Location"),
        (seen(error="timeout"), "timeout", "no complete answer in time"),
        (seen(error="redirect-loop"), "error", "redirect loop"),
        (seen(error="too-many-redirects"), "error", "too many redirects"),
        (
            seen(error="tls", error_detail="certificate expired"),
            "error",
            "TLS failure: certificate expired",
        ),
        (seen(error="malformed"), "error", "malformed response"),
        (seen(error="reset"), "error", "connection reset"),
        (seen(error="private-address", error_detail="10.0.0.1"), "unchecked", "private address"),
        (seen(error="offline"), "unchecked", "network unreachable"),
        (seen(error="scheme", error_detail="ftp"), "unchecked", "non-http scheme: ftp"),
        (seen(error="excluded"), "unchecked", "excluded by configuration"),
        (seen(), "error", "no answer recorded"),
    ],
)
def test_classify(observation: Observation, verdict: str, reason: str) -> None:
    word, why = classify(observation)
    assert word == verdict
    assert reason in why


@dataclass(frozen=True)
class FakeRule:
    name: str = "example"
    connection_retries: int = 0

    def soft_404_reason(self, observation: Observation) -> str | None:
        return "site search page" if "search" in (observation.final_url or "") else None

    def successors(self, url: str) -> tuple[str, ...]:
        return ()


def test_a_site_rule_can_recognise_a_soft_404_and_is_named() -> None:
    link = Link(url=URL, normalized_url=URL)
    observation = seen(status=200, final_url="http://example.org/search?q=x")
    verdict = judge(link, observation, rule=FakeRule())
    assert (verdict.verdict, verdict.reason, verdict.rule) == (
        "soft-404",
        "site search page",
        "example",
    )
    assert judge(link, seen(status=200), rule=FakeRule()).verdict == "ok"


def test_judge_carries_the_evidence_and_the_places() -> None:
    place = Place("a.txt", 3, 30)
    link = Link(url=URL.upper(), normalized_url=URL, cited_in=(place,))
    observation = seen(status=404, final_url=URL)
    assert judge(link, observation) == LinkVerdict(
        url=URL.upper(),
        normalized_url=URL,
        verdict="dead",
        reason="HTTP 404",
        status=404,
        final_url=URL,
        checked_at=STAMP,
        cited_in=(place,),
    )


def test_judge_without_observation_is_unchecked_with_the_reason() -> None:
    verdict = judge(Link(URL, URL), None, unchecked_reason="offline, not in cache")
    assert (verdict.verdict, verdict.reason) == ("unchecked", "offline, not in cache")


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("http://a.org/x", "https://a.org/x", True),
        ("http://a.org/x", "http://www.a.org/x/", True),
        ("http://A.org/x", "http://a.org/x", True),
        ("http://a.org/x", "http://a.org/y", False),
        ("http://a.org/x?id=1", "http://a.org/x?id=2", False),
        ("http://a.org/x", "http://b.org/x", False),
    ],
)
def test_same_document(first: str, second: str, same: bool) -> None:
    assert same_document(first, second) is same


def test_summarize_counts_every_word_in_fixed_order() -> None:
    words = ["dead", "ok", "ok", "unchecked"]
    verdicts = [LinkVerdict(URL, URL, w, "") for w in words]  # type: ignore[arg-type]
    assert list(summarize(verdicts).items()) == [
        ("ok", 2),
        ("redirected", 0),
        ("dead", 1),
        ("soft-404", 0),
        ("blocked", 0),
        ("timeout", 0),
        ("error", 0),
        ("unchecked", 1),
    ]


def test_installed_rule_lookup_is_callable() -> None:
    lookup = installed_rule_lookup()
    assert callable(lookup)
    assert lookup("http://example.invalid/") is None
