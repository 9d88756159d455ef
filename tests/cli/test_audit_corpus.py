"""The audit of the five texts end to end, against a local stand-in for the sites they cite.

The UN, fmprc.gov.cn and apec.org answer on 127.0.0.x with the hand-written fixtures of
tests/fixtures/sites/ through the fake web's resolver (plain HTTP, called from Python with
hooks so the failing site modules can be exercised quickly; the forward-proxy/HTTPS run of
the unchanged CLI is tests/cli/test_end_to_end.py); a Wayback-compatible archive answers for
the archive pass; every other host does not resolve. The audit must report the
hand-checked date mismatches and duplicates, the fmprc.gov.cn speech that now lands on a
section page with its archived copy from when it was cited, and fail the run for that
soft 404.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from citecheck.cli.audit import run_audit
from citecheck.findings.accuracy import load_expected, score_dates, score_duplicates
from citecheck.findings.finding import FindingKind
from citecheck.judge.archiveclient import ArchiveClient, RateLimiter
from citecheck.judge.checking import CheckHooks
from citecheck.judge.sites import apec, fmprc, un
from citecheck.reports.load import load_audit
from tests.support.fakearchive import FakeCapture
from tests.support.fakeweb import FakeWeb
from tests.support.fakeweb.sites import FMPRC_SECTION, add_apec, add_archive, add_fmprc, add_un
from tests.support.paths import REPO_ROOT
from tests.support.sites_helpers import fixture_text

ROOT = REPO_ROOT
TEXT_000 = "references/000_78bce5da08b31058.txt"
SPEECH = f"http://www.fmprc.gov.cn{FMPRC_SECTION}t869580.shtml"  # 000 note 85
CAPTURES = {
    SPEECH: [
        FakeCapture("20111019233000", body=fixture_text("fmprc_article.html")),
        FakeCapture("20150601000000", body=fixture_text("fmprc_not_found.html")),
    ]
}


async def online() -> bool:
    return True


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    patch = pytest.MonkeyPatch()
    patch.chdir(ROOT)  # texts are named references/…, as a user in the repository sees them
    patch.setattr(un, "ACCESS_BASE", "http://documents.un.org/api/symbol/access")
    patch.setattr(un, "DOCUMENTS_BASE", "http://documents.un.org")
    patch.setattr(fmprc, "MIRROR_SCHEME", "http")
    patch.setattr(apec, "CURRENT_BASE", "http://www.apec.org")
    folder = tmp_path_factory.mktemp("audit")
    report = folder / "audit.json"
    try:
        with FakeWeb() as web:
            add_un(web)
            add_fmprc(web, resets_before_answer=0)
            add_apec(web)
            archive_host, _ = add_archive(web, CAPTURES)
            client = ArchiveClient(
                archive_host.address_url("").rstrip("/"),
                limiter=RateLimiter(1e6),
                replay_limiter=RateLimiter(1e6),
                timeout=5,
            )
            status = run_audit(
                paths=[], url_files=[], report_format="json", output=report, fail_on=None,
                since_last=False, baseline=None, write_baseline=None, config_path=None,
                color=False, timeout=2.0, concurrency=16, per_host=4, user_agent=None,
                allow_private=True, head_first=False, cache_dir=folder / "cache", no_cache=False,
                max_age="7d", max_failed_age="1d", offline=False, quiet=True,
                hooks=CheckHooks(resolver=web.resolver(), network_canary=online,
                                 archive_client=client),
                now=datetime(2026, 11, 22, 3, tzinfo=UTC),
            )  # fmt: skip
            yield status, report
    finally:
        patch.undo()


def test_the_soft_404_fails_the_run_and_offers_the_copy_from_when_it_was_cited(
    audited: tuple[int, Path],
) -> None:
    status, report = audited
    result = load_audit(report)
    assert status == 1
    failing = [f for f in result.failing if f.url == SPEECH]
    assert [(f.kind, f.places[0].document, f.places[0].note) for f in failing] == [
        (FindingKind.SOFT_404, TEXT_000, 85)
    ]
    assert failing[0].archive_url is not None
    assert "20111019233000" in failing[0].archive_url
    assert failing[0].archive_url in failing[0].message


def test_the_hand_checked_dates_and_duplicates_are_reported_and_nothing_else(
    audited: tuple[int, Path],
) -> None:
    _, report = audited
    result = load_audit(report)
    expected = load_expected(ROOT / "tests" / "expected" / "corpus_findings.toml")
    for score in (
        score_dates(result.findings, expected),
        score_duplicates(result.findings, expected),
    ):
        assert (score.kind, score.false_positives, score.misses) == (score.kind, (), ())


def test_unreachable_hosts_are_suspect_not_dead_on_a_first_audit(
    audited: tuple[int, Path],
) -> None:
    _, report = audited
    result = load_audit(report)
    kinds = {f.kind for f in result.findings}
    assert FindingKind.DEAD_LINK not in kinds
    assert FindingKind.SUSPECT_LINK in kinds
    assert all(f.places for f in result.findings)


def test_the_symbol_cited_without_a_url_gets_its_document_suggested(
    audited: tuple[int, Path],
) -> None:
    _, report = audited
    result = load_audit(report)
    suggested = [f for f in result.findings if f.kind is FindingKind.SUGGESTED_URL]
    access = "http://documents.un.org/api/symbol/access?s=A/54/213&l=en&t=pdf"
    assert [(f.places[0].document, f.places[0].note, f.message) for f in suggested] == [
        (TEXT_000, 36, f"A/54/213 has no URL; its document is at {access}, cite that.")
    ]
    assert not [f for f in result.findings if f.kind is FindingKind.SYMBOL_MISMATCH]
