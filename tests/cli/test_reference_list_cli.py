"""A text cited author–date with a reference list, end to end: audit and BibTeX export."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from citecheck.cli.main import main
from tests.support.fakeweb import FakeHost, FakeWeb, page


@pytest.fixture(scope="module")
def site() -> Iterator[FakeHost]:
    with FakeWeb() as running:
        host = running.add_host()
        host.route("/ok", page("Fine"))
        host.route("/gone", page("Gone", status=410))
        yield host


def write_essay(tmp_path: Path, site: FakeHost) -> Path:
    gone = site.address_url("/gone")
    path = tmp_path / "essay.txt"
    path.write_text(
        "An essay that cites (Jones 2004, 12) and Smith (2010).\n\nReferences\n\n"
        f"Jones, A. 2004. A Book of Things. London: Example Press. {gone}\n"
        f"Smith, J. 2010. Another Work. Oxford: Example Press. {site.address_url('/ok')}\n",
        encoding="utf-8",
    )
    return path


def test_audit_reports_the_links_of_a_reference_list_with_their_lines(
    tmp_path: Path, site: FakeHost
) -> None:
    essay = write_essay(tmp_path, site)
    result = CliRunner().invoke(
        main,
        ["audit", "--allow-private", "--timeout", "2", "-q", str(essay),
         "--cache", str(tmp_path / "cache"), "--format", "json"],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)["findings"]
    gone = [f for f in findings if f.get("url") == site.address_url("/gone")]
    assert [f["kind"] for f in gone] == ["suspect-link"]
    assert gone[0]["places"] == [{"document": str(essay), "note": 1, "line": 5}]


def test_extract_exports_the_entries_of_a_reference_list_to_bibtex(
    tmp_path: Path, site: FakeHost
) -> None:
    essay = write_essay(tmp_path, site)
    result = CliRunner().invoke(main, ["extract", "--format", "bibtex", str(essay)])
    assert result.exit_code == 0, result.output
    assert "@book{jones2004book," in result.stdout
    assert "@book{smith2010another," in result.stdout
    assert "  title = {A Book of Things}," in result.stdout
    assert f"  url = {{{site.address_url('/gone')}}}" in result.stdout
