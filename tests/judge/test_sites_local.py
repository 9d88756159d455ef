"""Site rules, successors and the archive fallback end to end: `check_links` against a real
local web (tests/support/fakeweb) where the UN, fmprc.gov.cn, apec.org and a Wayback-compatible
archive answer with the hand-written fixtures of tests/fixtures/sites/."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from citecheck.judge.archiveclient import ArchiveClient, RateLimiter
from citecheck.judge.checking import (
    CheckHooks,
    CheckOptions,
    CheckResult,
    check_links,
    verdict_json,
)
from citecheck.judge.sites import apec, fmprc, un
from citecheck.probe.links import Link, normalize_url
from citecheck.probe.observation import ProbeSettings
from tests.support.fakearchive import FakeCapture
from tests.support.fakeweb import FakeWeb
from tests.support.fakeweb.sites import (
    APEC_NEW,
    APEC_OLD,
    FMPRC_SECTION,
    add_apec,
    add_archive,
    add_fmprc,
    add_un,
)
from tests.support.sites_helpers import fixture_text

VIEW_DOC = "http://www.un.org/ga/search/view_doc.asp?symbol=A/68/98"
DDS = "http://daccess-dds-ny.un.org/doc/UNDOC/GEN/N11/496/56/PDF/N1149656.pdf?OpenElement"
FMPRC_GONE = f"http://www.fmprc.gov.cn{FMPRC_SECTION}t869580.shtml"
FMPRC_FLAKY = f"http://www.fmprc.gov.cn{FMPRC_SECTION}t1327570.shtml"
ANNEX_A = f"http://www.apec.org{APEC_OLD}/annex_a.aspx"
ANNEX_B = f"http://www.apec.org{APEC_OLD}/annex_b.aspx"
ARTICLE = fixture_text("fmprc_article.html")
ANNEX = fixture_text("apec_paper.html")

CAPTURES = {
    FMPRC_GONE: [
        FakeCapture("20100101000000", body=ARTICLE),
        FakeCapture("20111019233000", body=ARTICLE),  # the day before it was cited
        FakeCapture("20111101000000", body=ARTICLE),
        FakeCapture("20150601000000", body=fixture_text("fmprc_not_found.html")),
    ],
    ANNEX_B: [
        FakeCapture("20020601000000", body=fixture_text("apec_not_found.html")),
        FakeCapture("20120301000000", body=ANNEX),
    ],
}

LINKS = (
    Link(VIEW_DOC, normalize_url(VIEW_DOC), dates=("2013-06-24",), un_symbols=("A/68/98",)),
    Link(DDS, normalize_url(DDS), dates=("2011-09-14",), un_symbols=("A/66/359",)),
    Link(FMPRC_GONE, normalize_url(FMPRC_GONE), dates=("2011-10-20",)),
    Link(FMPRC_FLAKY, normalize_url(FMPRC_FLAKY), dates=("2015-12-16",)),
    Link(ANNEX_A, normalize_url(ANNEX_A), dates=("2002-05-30",)),
    Link(ANNEX_B, normalize_url(ANNEX_B), dates=("2002-05-30",)),
)


async def online() -> bool:
    return True


@pytest.fixture(scope="module")
def checked() -> Iterator[tuple[CheckResult, FakeWeb]]:
    patch = pytest.MonkeyPatch()
    # The fake web speaks plain http; the rules' current hosts are https on the real web.
    patch.setattr(un, "ACCESS_BASE", "http://documents.un.org/api/symbol/access")
    patch.setattr(un, "DOCUMENTS_BASE", "http://documents.un.org")
    patch.setattr(fmprc, "MIRROR_SCHEME", "http")
    patch.setattr(apec, "CURRENT_BASE", "http://www.apec.org")
    settings = ProbeSettings(timeout=2, allow_private=True, backoff_base=0.01, max_retry_wait=0.2)
    try:
        with FakeWeb() as web:
            add_un(web)
            add_fmprc(web, resets_before_answer=settings.max_tries + 1)
            add_apec(web)
            archive_host, _ = add_archive(web, CAPTURES)
            client = ArchiveClient(
                archive_host.address_url("").rstrip("/"),
                limiter=RateLimiter(1e6),
                replay_limiter=RateLimiter(1e6),
                timeout=5,
            )
            hooks = CheckHooks(
                resolver=web.resolver(), network_canary=online, archive_client=client
            )
            result = check_links(LINKS, CheckOptions(probe=settings, cache_dir=None), hooks)
            yield result, web
    finally:
        patch.undo()


def _by_url(result: CheckResult) -> dict[str, dict[str, object]]:
    return {v.url: verdict_json(v) for v in result.verdicts}


@pytest.mark.parametrize(
    ("url", "verdict", "rule", "successor"),
    [
        (
            VIEW_DOC,
            "soft-404",
            "un",
            "http://documents.un.org/api/symbol/access?s=A/68/98&l=en&t=pdf",
        ),
        (DDS, "dead", "un", "http://documents.un.org/doc/undoc/gen/n11/496/56/pdf/n1149656.pdf"),
        (FMPRC_GONE, "soft-404", "fmprc", None),
        (FMPRC_FLAKY, "ok", "fmprc", None),
        (
            ANNEX_A,
            "soft-404",
            "apec",
            f"http://www.apec.org{APEC_NEW}/telecommunicationsandinformation/2002_tel/annex_a",
        ),
        (ANNEX_B, "soft-404", "apec", None),
    ],
)
def test_each_site_link_is_judged_by_its_rule_with_its_successor(
    checked: tuple[CheckResult, FakeWeb], url: str, verdict: str, rule: str, successor: str | None
) -> None:
    result, _ = checked
    entry = _by_url(result)[url]
    assert (entry["verdict"], entry["rule"], entry["successor_url"]) == (verdict, rule, successor)


def test_fmprc_resets_are_retried_before_judging(checked: tuple[CheckResult, FakeWeb]) -> None:
    _, web = checked
    tries = [r for r in web.requests if r.path.endswith("t1327570.shtml")]
    assert len(tries) == ProbeSettings().max_tries + 2  # resets, then the article


def test_the_archive_gives_the_snapshot_from_when_each_dead_link_was_cited(
    checked: tuple[CheckResult, FakeWeb],
) -> None:
    result, web = checked
    entries = _by_url(result)
    base = web.hosts["archive.test"].address_url("").rstrip("/")
    gone = entries[FMPRC_GONE]
    assert (gone["archive_url"], gone["archive_timestamp"]) == (
        f"{base}/web/20111019233000/{FMPRC_GONE}",
        "20111019233000",
    )
    # nothing before the citation; the earliest capture after it is an archived not-found page
    annex_b = entries[ANNEX_B]
    assert annex_b["archive_timestamp"] == "20120301000000"
    mirror = f"http://www.mfa.gov.cn{FMPRC_SECTION}t869580.shtml"
    assert any(r.host == "www.mfa.gov.cn" and mirror.endswith(r.path) for r in web.requests)
    # a live link is not looked up
    assert entries[FMPRC_FLAKY]["archive_url"] is None
    assert result.warnings == ()
