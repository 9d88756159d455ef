"""apec.org rule: the old /Meeting-Papers/…aspx generation, home-page landings, successors."""

from __future__ import annotations

import pytest

from citecheck.judge.sites import live_successor, rule_for
from citecheck.judge.sites.apec import RULE, url_form
from tests.support.sites_helpers import observed

OLD = "http://www.apec.org/Meeting-Papers/Ministerial-Statements/Telecommunications-and-Information"
NEW = "https://www.apec.org/meeting-papers/sectoral-ministerial-meetings"


@pytest.mark.parametrize(
    ("url", "form"),
    [
        (f"{OLD}/2002_tel/annex_a.aspx", "apec.meeting-papers-aspx"),
        (f"{OLD}/2002_tel/", "apec.meeting-papers-aspx"),
        ("https://www.apec.org/About-Us/About-APEC.aspx", "apec.meeting-papers-aspx"),
        (f"{NEW}/telecommunications-and-information/2002_tel/annex_a", "apec.meeting-papers"),
        ("http://www.apec.org/", "apec.home"),
        ("https://apec.org", "apec.home"),
        ("https://www.apec.org/publications/2019/11/x", "apec.page"),
        ("https://www.apec.org.example.com/Meeting-Papers/x.aspx", None),
    ],
)
def test_url_generations(url: str, form: str | None) -> None:
    assert url_form(url) == form


@pytest.mark.parametrize(
    ("url", "candidates"),
    [
        (
            f"{OLD}/2002_tel/annex_a.aspx",
            (
                f"{NEW}/telecommunications-and-information/2002_tel/annex_a",
                f"{NEW}/telecommunicationsandinformation/2002_tel/annex_a",
            ),
        ),
        (
            f"{OLD}/2002_tel/",
            (
                f"{NEW}/telecommunications-and-information/2002_tel",
                f"{NEW}/telecommunicationsandinformation/2002_tel",
            ),
        ),
        (
            "http://www.apec.org/Meeting-Papers/Leaders-Declarations/2001/2001_aelm/appendix2_eAPEC_strategy.aspx",
            (
                "https://www.apec.org/meeting-papers/leaders-declarations/2001/2001_aelm/"
                "appendix2_eapec_strategy",
            ),
        ),
        (
            "http://www.apec.org/Meeting-Papers/Ministerial-Statements/Annual/2002/2002_amm.aspx",
            ("https://www.apec.org/meeting-papers/annual-ministerial-meetings/2002/2002_amm",),
        ),
        (
            "http://www.apec.org/Meeting-Papers/Ministerial-Statements/Trade/2014_trade.aspx",
            ("https://www.apec.org/meeting-papers/sectoral-ministerial-meetings/trade/2014_trade",),
        ),
        ("http://www.apec.org/", ()),
        (f"{NEW}/telecommunications-and-information/2002_tel/annex_a", ()),
    ],
)
def test_successor_candidates_follow_the_lower_case_scheme(
    url: str, candidates: tuple[str, ...]
) -> None:
    assert RULE.successors(url) == candidates


@pytest.mark.parametrize(
    ("url", "fixture", "final_url", "reason"),
    [
        (
            f"{OLD}/2002_tel/annex_a.aspx",
            "apec_home.html",
            "https://www.apec.org/",
            "deep link landed on the home page https://www.apec.org/",
        ),
        (
            f"{OLD}/2002_tel/annex_a.aspx",
            "apec_not_found.html",
            None,
            "not-found page (title 'Page Not Found | APEC')",
        ),
        (
            f"{NEW}/telecommunications-and-information/2002_tel/annex_a",
            "apec_paper.html",
            None,
            None,
        ),
        ("http://www.apec.org/", "apec_home.html", "https://www.apec.org/", None),
    ],
)
def test_apec_soft_404s(url: str, fixture: str, final_url: str | None, reason: str | None) -> None:
    assert RULE.soft_404_reason(observed(url, fixture, final_url=final_url)) == reason


def test_a_candidate_is_offered_only_when_it_answers_with_a_real_page() -> None:
    old = f"{OLD}/2002_tel/annex_a.aspx"
    assert rule_for(old) is RULE
    hyphenated, joined = RULE.successors(old)
    found, refused = live_successor(
        RULE,
        [
            (hyphenated, observed(hyphenated, "apec_home.html", final_url="https://www.apec.org/")),
            (joined, observed(joined, "apec_paper.html")),
        ],
    )
    assert found == joined
    assert refused == (f"{hyphenated}: deep link landed on the home page https://www.apec.org/",)


def test_no_candidate_is_offered_when_all_are_missing() -> None:
    old = f"{OLD}/2002_tel/annex_b.aspx"
    probed = [
        (url, observed(url, "apec_not_found.html", status=404)) for url in RULE.successors(old)
    ]
    found, refused = live_successor(RULE, probed)
    assert found is None
    assert len(refused) == 2
    assert all(r.endswith("status 404") for r in refused)
