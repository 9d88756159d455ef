"""End to end: `citecheck check` on the five texts, run as a user behind a proxy would run it.

citecheck runs in a subprocess, unchanged: the only settings are the standard
HTTP_PROXY/HTTPS_PROXY variables and SSL_CERT_FILE naming the test CA, exactly
what a user behind an intercepting proxy sets. The proxy (tests/fakeweb/proxy.py)
answers for the real host names from the fixtures in tests/fakeweb/world.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fakeweb import FakeWeb
from tests.fakeweb.proxy import FakeProxy
from tests.fakeweb.world import GONE_HOSTS, build_world

ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted(str(path) for path in (ROOT / "references").glob("*.txt"))


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
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "citecheck",
                "check",
                *TEXTS,
                "--format",
                "json",
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
        assert done.returncode == 1, done.stderr  # some links are dead
        assert done.stderr == ""
        data = json.loads(done.stdout)
        data["asked"] = list(proxy.asked)
        yield data


def by_url(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {link["normalized_url"]: link for link in report["links"]}


EXPECTED = [
    ("http://www.un.org/ga/search/view_doc.asp?symbol=A/RES/53/70", "dead", "HTTP 404"),
    (
        "http://www.un.org/en/ga/search/view_doc.asp?symbol=A/RES/53/59",
        "soft-404",
        "deep link redirected to the home page",
    ),
    ("http://undocs.org/A/70/172", "ok", ""),
    (
        "http://daccess-dds-ny.un.org/doc/UNDOC/GEN/N04/407/04/PDF/N0440704.pdf?OpenElement",
        "redirected",
        "",
    ),
    (
        "http://daccess-dds-ny.un.org/doc/UNDOC/GEN/N11/496/56/PDF/N1149656.pdf?OpenElement",
        "dead",
        "HTTP 404",
    ),
    (
        "http://www.apec.org/Meeting-Papers/Leaders-Declarations/2001/2001_aelm/statement_on_counter-terrorism.aspx",
        "soft-404",
        "deep link landed on the home page",
    ),
    (
        "http://www.apec.org/Meeting-Papers/Ministerial-Statements/Annual/2002/2002_amm.aspx",
        "soft-404",
        "deep link landed on the home page",
    ),
    ("http://news.xinhuanet.com/english2010/china/2010-06/08/c_13339232_8.htm", "dead", "HTTP 404"),
    ("http://www.intertrends.ru/thirteen/003.htm", "error", "HTTP 502"),
    ("http://theglobaljournal.net/article/view/1049/", "error", "HTTP 502"),
    ("http://www.fmprc.gov.cn/mfa_eng/wjdt_665385/zyjh_665391/t25077.shtml", "ok", ""),
    ("http://www.fmprc.gov.cn/mfa_eng/wjdt_665385/zyjh_665391/t869580.shtml", "dead", "HTTP 404"),
    ("https://www.nytimes.com/2017/04/04/us/politics/syria-bashar-al-assad-trump.html", "ok", ""),
    (
        "http://www.wsj.com/articles/the-authoritarian-Internet-power-grab-1477436573",
        "blocked",
        "HTTP 403",
    ),
    ("http://www.state.gov/secretary/remarks/2015/06/244208.htm", "redirected", ""),
    (
        "http://www.newsecuritylearning.com/index.php/archive/75-chinas-mighty-telecom-footprint-in-africa",
        "error",
        "HTTP 502",
    ),
    (
        "http://www.perspektivy.info/table/mezhdunarodnyje_dogovoronnosti_po_kiberprostranstvu_vozmozhen_li_konsensus_2013-10-24.htm",
        "error",
        "HTTP 502",
    ),
]


@pytest.mark.parametrize(("url", "verdict", "reason"), EXPECTED)
def test_each_modelled_behaviour_gets_its_verdict(
    report: dict[str, Any], url: str, verdict: str, reason: str
) -> None:
    link = by_url(report)[url]
    assert (link["verdict"], link["reason"].startswith(reason)) == (verdict, True), link


def test_every_other_link_is_ok(report: dict[str, Any]) -> None:
    special = {url for url, _, _ in EXPECTED}
    others = {url: link["verdict"] for url, link in by_url(report).items() if url not in special}
    assert len(others) > 100
    assert {url: verdict for url, verdict in others.items() if verdict != "ok"} == {}


def test_links_of_gone_hosts_are_all_listed() -> None:
    gone = [url for url, _, _ in EXPECTED if any(f"//{host}/" in url for host in GONE_HOSTS)]
    assert len(gone) == len(GONE_HOSTS)


def test_links_point_at_their_lines(report: dict[str, Any]) -> None:
    link = by_url(report)["http://www.fmprc.gov.cn/mfa_eng/wjdt_665385/zyjh_665391/t869580.shtml"]
    places = link["cited_in"]
    assert places and all(
        place["line"] > 0 and place["document"].endswith(".txt") for place in places
    )
    for place in places:
        lines = (ROOT / "references" / Path(place["document"]).name).read_text().splitlines()
        # The line is where the citing note starts; a long note wraps the URL onto the next.
        assert "t869580" in " ".join(lines[place["line"] - 1 : place["line"] + 3])


def test_https_went_through_tunnels_and_http_in_absolute_form(report: dict[str, Any]) -> None:
    asked = set(report["asked"])
    assert {"www.nytimes.com", "www.un.org", "documents.un.org", "www.fmprc.gov.cn"} <= asked
    assert report["summary"]["unchecked"] == 0
