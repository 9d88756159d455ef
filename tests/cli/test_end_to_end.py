"""End to end: `citecheck audit` of the five texts, run as a user behind a proxy would run it.

citecheck runs in a subprocess, unchanged: the only settings are the standard
HTTP_PROXY/HTTPS_PROXY variables and SSL_CERT_FILE naming the test CA, exactly
what a user behind an intercepting proxy sets (and a temporary cache). The proxy
(tests/support/fakeweb/proxy.py) answers for the real host names from the fixtures in
tests/support/fakeweb/world.py. The report must carry every link's verdict, successor and
archived copy as modelled, the hand-checked date mismatches and duplicate clusters
(tests/expected/corpus_findings.toml) and nothing else of those kinds, each finding
pointing at its line.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from citecheck.findings.accuracy import load_expected, score_dates, score_duplicates
from citecheck.reports.load import load_audit
from tests.support.fakeweb import FakeWeb
from tests.support.fakeweb.proxy import FakeProxy
from tests.support.fakeweb.world import GONE_HOSTS, build_world
from tests.support.paths import REPO_ROOT

ROOT = REPO_ROOT
# As a user in the repository names them; the report's places repeat them.
TEXTS = sorted(f"references/{path.name}" for path in (ROOT / "references").glob("*.txt"))


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    work = tmp_path_factory.mktemp("e2e")
    with FakeWeb() as web, FakeProxy(web, work) as proxy:
        build_world(proxy)
        environ = {
            key: value
            for key, value in os.environ.items()
            if key.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
            and key not in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")
        }
        environ.update(proxy.environment())
        report_file = work / "audit.json"
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "citecheck",
                "audit",
                *TEXTS,
                "--format",
                "json",
                "-o",
                str(report_file),
                "--cache",
                str(work / "cache"),
                "--timeout",
                "5",
                "--quiet",
            ],
            cwd=ROOT,
            env=environ,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 1, done.stderr  # soft 404s fail the audit
        assert done.stderr == ""
        data = json.loads(report_file.read_text(encoding="utf-8"))
        data["file"] = str(report_file)
        data["asked"] = list(proxy.asked)
        yield data


def by_url(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {link["normalized_url"]: link for link in report["links"]}


UN_ACCESS = "https://documents.un.org/api/symbol/access?s={}&l=en&t=pdf"
APEC_NEW = "https://www.apec.org/meeting-papers/leaders-declarations/2001/2001_aelm/"
# normalized URL, verdict, reason (its start), successor URL, archived copy's timestamp.
Row = tuple[str, str, str, str | None, str | None]
EXPECTED: list[Row] = [
    (
        "http://www.un.org/ga/search/view_doc.asp?symbol=A/RES/53/70",
        "dead",
        "HTTP 404",
        UN_ACCESS.format("A/RES/53/70"),
        "20050312080000",
    ),
    (
        "http://www.un.org/en/ga/search/view_doc.asp?symbol=A/RES/53/59",
        "soft-404",
        "deep link redirected to the home page",
        UN_ACCESS.format("A/RES/53/59"),
        "20060101000000",
    ),
    # Retired but still answering: ok, with the current access URL offered all the same.
    (
        "http://www.un.org/en/ga/search/view_doc.asp?symbol=A/RES/55/28",
        "ok",
        "HTTP 200",
        UN_ACCESS.format("A/RES/55/28"),
        None,
    ),
    ("http://undocs.org/A/70/172", "ok", "HTTP 200", None, None),
    (
        "http://daccess-dds-ny.un.org/doc/UNDOC/GEN/N04/407/04/PDF/N0440704.pdf?OpenElement",
        "redirected",
        "moved permanently to https://documents.un.org/doc/undoc/gen/n04/407/04/pdf/n0440704.pdf",
        "https://documents.un.org/doc/undoc/gen/n04/407/04/pdf/n0440704.pdf",
        None,
    ),
    (
        "http://daccess-dds-ny.un.org/doc/UNDOC/GEN/N11/496/56/PDF/N1149656.pdf?OpenElement",
        "dead",
        "HTTP 404",
        "https://documents.un.org/doc/undoc/gen/n11/496/56/pdf/n1149656.pdf",
        "20120601000000",
    ),
    (
        "http://www.apec.org/Meeting-Papers/Leaders-Declarations/2001/2001_aelm/"
        "statement_on_counter-terrorism.aspx",
        "soft-404",
        "deep link landed on the home page",
        APEC_NEW + "statement_on_counter-terrorism",
        "20120115000000",
    ),
    (
        "http://www.fmprc.gov.cn/mfa_eng/wjdt_665385/zyjh_665391/t25077.shtml",
        "ok",
        "HTTP 200",
        None,
        None,
    ),
    (
        "http://www.fmprc.gov.cn/mfa_eng/wjdt_665385/zyjh_665391/t869580.shtml",
        "dead",
        "HTTP 404",
        None,
        "20111020000000",
    ),
    (
        "https://www.nytimes.com/2017/04/04/us/politics/syria-bashar-al-assad-trump.html",
        "ok",
        "HTTP 200",
        None,
        None,
    ),
    (
        "http://www.wsj.com/articles/the-authoritarian-Internet-power-grab-1477436573",
        "blocked",
        "HTTP 403",
        None,
        None,
    ),
    (
        "http://www.state.gov/secretary/remarks/2015/06/244208.htm",
        "redirected",
        "moved permanently to https://2009-2017.state.gov/secretary/remarks/2015/06/244208.htm",
        None,
        None,
    ),
    # A lapsed domain: the proxy cannot reach it (502); the archive kept a copy.
    (
        "http://www.newsecuritylearning.com/index.php/archive/"
        "75-chinas-mighty-telecom-footprint-in-africa",
        "error",
        "HTTP 502",
        None,
        "20140210000000",
    ),
]


@pytest.mark.parametrize("row", EXPECTED, ids=[row[0][:60] for row in EXPECTED])
def test_each_modelled_behaviour_gets_its_verdict(report: dict[str, Any], row: Row) -> None:
    url, verdict, reason, successor, archived = row
    link = by_url(report)[url]
    assert (link["verdict"], link["reason"].startswith(reason)) == (verdict, True), link
    assert link["successor_url"] == successor
    assert link["archive_timestamp"] == archived
    if archived is not None:
        assert link["archive_url"] == f"https://web.archive.org/web/{archived}/{url}"


def test_every_other_link_is_ok(report: dict[str, Any]) -> None:
    special = {row[0] for row in EXPECTED}
    others = {url: link["verdict"] for url, link in by_url(report).items() if url not in special}
    assert len(others) > 100
    assert {url: verdict for url, verdict in others.items() if verdict != "ok"} == {}


def test_links_of_gone_hosts_are_all_listed() -> None:
    gone = [row[0] for row in EXPECTED if any(f"//{host}/" in row[0] for host in GONE_HOSTS)]
    assert len(gone) == len(GONE_HOSTS)


def test_the_hand_checked_dates_and_duplicates_and_nothing_else(report: dict[str, Any]) -> None:
    findings = load_audit(Path(report["file"])).findings
    expected = load_expected(ROOT / "tests" / "expected" / "corpus_findings.toml")
    for score in (score_dates(findings, expected), score_duplicates(findings, expected)):
        assert (score.kind, score.false_positives, score.misses) == (score.kind, (), ())


def test_failing_links_are_findings_with_successor_and_archived_copy(
    report: dict[str, Any],
) -> None:
    found = {f["url"]: f for f in report["findings"] if f.get("url")}
    for url, verdict, _, successor, archived in EXPECTED:
        if verdict == "ok":
            assert url not in found
            continue
        finding = found[url]
        # A first audit calls a failing link suspect: dead only after two audits a day apart.
        assert finding["kind"] == {"dead": "suspect-link", "error": "suspect-link"}.get(
            verdict, verdict
        )
        assert finding["successor_url"] == successor
        if archived is not None:
            assert finding["archive_url"] == f"https://web.archive.org/web/{archived}/{url}"
    soft = found[EXPECTED[1][0]]
    assert soft["successor_url"] is not None and soft["successor_url"] in soft["message"]


LINK_KIND_NAMES = {"dead-link", "suspect-link", "soft-404", "blocked", "redirected"}


def test_every_finding_points_at_its_line(report: dict[str, Any]) -> None:
    texts = {name: (ROOT / name).read_text(encoding="utf-8").splitlines() for name in TEXTS}
    links = {link["url"]: link["cited_in"] for link in report["links"]}
    for finding in report["findings"]:
        if finding["kind"] == "notes":
            continue  # 001's markers without notes: a whole-text finding
        for place in finding["places"]:
            lines = texts[place["document"]]
            # The line is where the citing note starts: its number opens the line.
            opening = re.match(r"^[\s\-*>]*(\d+)", lines[place["line"] - 1])
            assert opening is not None and int(opening.group(1)) == place["note"], place
        # A link's finding points where the link is cited; a date finding about one citation
        # of a URL cited twice (004 notes 18 and 26) points at that citation only.
        if finding.get("url") and finding["kind"] in LINK_KIND_NAMES:
            cited = {(p["document"], p["note"], p["line"]) for p in links[finding["url"]]}
            assert {(p["document"], p["note"], p["line"]) for p in finding["places"]} == cited


def test_https_went_through_tunnels_and_http_in_absolute_form(report: dict[str, Any]) -> None:
    asked = set(report["asked"])
    assert {"www.nytimes.com", "www.un.org", "documents.un.org", "www.fmprc.gov.cn"} <= asked
    assert "unchecked" not in report["summary"]["verdicts"]
