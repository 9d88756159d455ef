"""fmprc.gov.cn rule: article-id generations, the mfa.gov.cn mirror, retries, soft 404s."""

from __future__ import annotations

import pytest

from citecheck.judge.sites import live_successor, rule_for
from citecheck.judge.sites.fmprc import RULE, article_id, mirror_url, url_form
from tests.support.sites_helpers import observed

LEGACY = "http://www.fmprc.gov.cn/mfa_eng/wjdt_665385/zyjh_665391/t869580.shtml"
DATED = "https://www.fmprc.gov.cn/mfa_eng/xw/zyxw/202212/t20221225_10994828.html"


@pytest.mark.parametrize(
    ("url", "form", "article"),
    [
        (LEGACY, "fmprc.legacy-id", "869580"),
        (
            "www.fmprc.gov.cn/mfa_eng/wjdt_665385/zyjh_665391/t1327570.shtml",
            "fmprc.legacy-id",
            "1327570",
        ),
        (
            "http://www.fmprc.gov.cn/mfa_chn/wjdt_611265/fyrbt_611275/t1050377.shtml",
            "fmprc.legacy-id",
            "1050377",
        ),
        ("https://www.mfa.gov.cn/mfa_eng/zxxx_662805/t1195235.shtml", "fmprc.legacy-id", "1195235"),
        (DATED, "fmprc.dated-id", "20221225_10994828"),
        (
            "https://www.mfa.gov.cn/eng/xw/zyjh/202405/t20240530_11305678.html",
            "fmprc.dated-id",
            "20240530_11305678",
        ),
        ("https://www.mfa.gov.cn/eng/xw/zyjh/", "fmprc.xw-section", None),
        ("https://www.fmprc.gov.cn/mfa_eng/xw/fyrbt/", "fmprc.xw-section", None),
        ("http://www.fmprc.gov.cn/mfa_eng/wjdt_665385/zyjh_665391/", "fmprc.section", None),
        ("http://www.fmprc.gov.cn/", "fmprc.section", None),
        ("https://www.fmprc.gov.cn/mfa_eng/rss.xml", "fmprc.page", None),
        ("https://www.mofcom.gov.cn/article/t123456.shtml", None, "123456"),
    ],
)
def test_article_id_generations(url: str, form: str | None, article: str | None) -> None:
    assert url_form(url) == form
    assert article_id(url) == article


@pytest.mark.parametrize(
    ("url", "mirror"),
    [
        (LEGACY, "https://www.mfa.gov.cn/mfa_eng/wjdt_665385/zyjh_665391/t869580.shtml"),
        ("https://www.mfa.gov.cn/eng/xw/zyjh/", "https://www.fmprc.gov.cn/eng/xw/zyjh/"),
        ("https://fmprc.gov.cn/eng/", None),
    ],
)
def test_mirror_serves_the_same_path(url: str, mirror: str | None) -> None:
    assert mirror_url(url) == mirror


def test_articles_have_only_the_mirror_as_successor_and_sections_none() -> None:
    assert RULE.successors(LEGACY) == (
        "https://www.mfa.gov.cn/mfa_eng/wjdt_665385/zyjh_665391/t869580.shtml",
    )
    assert RULE.successors("https://www.mfa.gov.cn/eng/xw/zyjh/") == ()


def test_connection_resets_are_retried_before_judging() -> None:
    rule = rule_for("https://www.mfa.gov.cn/eng/")
    assert rule is RULE
    assert RULE.connection_retries >= 2


@pytest.mark.parametrize(
    ("url", "fixture", "final_url", "reason"),
    [
        (LEGACY, "fmprc_article.html", None, None),
        (LEGACY, "fmprc_article.html", LEGACY.replace("http:", "https:"), None),
        (
            LEGACY,
            "fmprc_section.html",
            "https://www.fmprc.gov.cn/mfa_eng/wjdt_665385/zyjh_665391/",
            "article t869580 redirected to the section page "
            "https://www.fmprc.gov.cn/mfa_eng/wjdt_665385/zyjh_665391/",
        ),
        (
            LEGACY,
            "fmprc_section.html",
            "https://www.mfa.gov.cn/eng/",
            "article t869580 redirected to the section page https://www.mfa.gov.cn/eng/",
        ),
        (
            DATED,
            "fmprc_article.html",
            "https://www.fmprc.gov.cn/mfa_eng/xw/zyxw/202212/t20221226_10995000.html",
            "article t20221225_10994828 redirected to another article "
            "https://www.fmprc.gov.cn/mfa_eng/xw/zyxw/202212/t20221226_10995000.html",
        ),
        (LEGACY, "fmprc_not_found.html", None, "not-found page (title '404 页面不存在')"),
        ("https://www.mfa.gov.cn/eng/xw/zyjh/", "fmprc_section.html", None, None),
    ],
)
def test_fmprc_soft_404s(url: str, fixture: str, final_url: str | None, reason: str | None) -> None:
    assert RULE.soft_404_reason(observed(url, fixture, final_url=final_url)) == reason


def test_a_mirror_that_also_lands_on_a_section_page_is_not_a_successor() -> None:
    (mirror,) = RULE.successors(LEGACY)
    found, refused = live_successor(
        RULE,
        [(mirror, observed(mirror, "fmprc_section.html", final_url="https://www.mfa.gov.cn/eng/"))],
    )
    assert found is None
    assert refused == (
        f"{mirror}: article t869580 redirected to the section page https://www.mfa.gov.cn/eng/",
    )
