"""`citecheck audit` end to end against the local fake web (127.0.0.x only)."""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from citecheck.cli.audit import run_audit
from citecheck.cli.main import check, main
from citecheck.probe.cache import ObservationCache
from citecheck.probe.links import normalize_url
from citecheck.probe.observation import Observation
from tests.support.fakeweb import FakeHost, FakeWeb, page, redirect


@pytest.fixture(scope="module")
def web() -> Iterator[FakeWeb]:
    with FakeWeb() as running:
        site = running.add_host()
        site.route("/ok", page("Fine"))
        site.route("/2015/05/02/ok", page("A dated piece"))
        site.route("/moved", redirect("/new"))
        site.route("/new", page("New"))
        site.route("/gone", page("Gone", status=410))
        yield running


@pytest.fixture
def site(web: FakeWeb) -> FakeHost:
    return next(iter(web.hosts.values()))


def write_text(tmp_path: Path, site: FakeHost, name: str = "essay.txt") -> Path:
    """A short text: a dead link, a moved one, a date that disagrees with its URL, a repeat."""
    path = tmp_path / name
    gone = site.address_url("/gone")
    path.write_text(
        "A claim.1 Another.2 A third.3 A fourth.4\n\nNotes\n\n"
        f"1 Jane Roe, “The Gone Report,” Example Press, June 8, 2010, {gone}.\n"
        f"2 John Doe, “Moved On,” Example News, March 3, 2014, {site.address_url('/moved')}.\n"
        "3 Ann Lee, “A Dated Piece,” Example Times, May 2, 2016, "
        f"{site.address_url('/2015/05/02/ok')}.\n"
        f"4 Jane Roe, “The Gone Report,” Example Press, June 8, 2010, {gone}.\n",
        encoding="utf-8",
    )
    return path


def audit(*args: str) -> Result:
    return CliRunner().invoke(
        main, ["audit", "--allow-private", "--timeout", "2", "-q", *args], catch_exceptions=False
    )


def findings(result: Result) -> list[dict[str, Any]]:
    payload = json.loads(result.stdout)
    assert payload["schema"] == 1
    found: list[dict[str, Any]] = payload["findings"]
    return found


def test_first_audit_reports_a_dead_link_as_suspect_and_passes(
    tmp_path: Path, site: FakeHost
) -> None:
    text = write_text(tmp_path, site)
    result = audit(str(text), "--cache", str(tmp_path / "cache"), "--format", "json")
    assert result.exit_code == 0, result.output
    kinds = sorted(f["kind"] for f in findings(result))
    assert kinds == ["date-mismatch", "duplicate-source", "redirected", "suspect-link"]
    date = next(f for f in findings(result) if f["kind"] == "date-mismatch")
    assert date["places"] == [{"document": str(text), "note": 3, "line": 7}]
    assert (tmp_path / "cache" / "audit-state.json").is_file()


def test_a_failure_seen_a_day_earlier_in_the_cache_makes_the_link_dead(
    tmp_path: Path, site: FakeHost
) -> None:
    """The cache keeps every observation; with yesterday's 410 in it, today's 410 confirms."""
    text = write_text(tmp_path, site)
    cache_dir = tmp_path / "cache"
    gone = site.address_url("/gone")
    yesterday = (datetime.now(UTC) - timedelta(days=1, hours=1)).isoformat(timespec="seconds")
    with ObservationCache(cache_dir) as cache:
        cache.record(normalize_url(gone), Observation(gone, yesterday, status=410, final_url=gone))
    result = audit(str(text), "--cache", str(cache_dir), "--max-failed-age", "0", "--format",
                   "json", "--since-last")  # fmt: skip
    assert result.exit_code == 1, result.output
    dead = [f for f in findings(result) if f["kind"] == "dead-link"]
    assert [f["url"] for f in dead] == [gone]
    assert dead[0]["message"].startswith(f"{gone} is dead (HTTP 410) since {yesterday}")
    changes = json.loads(result.stdout)["changes"]
    assert {"change": "newly-broken", "url": gone, "detail": "dead-link"} in changes


def test_fail_on_and_baseline(tmp_path: Path, site: FakeHost) -> None:
    text = write_text(tmp_path, site)
    cache = str(tmp_path / "cache")
    failing = audit(str(text), "--cache", cache, "--fail-on", "date-mismatch,duplicate-source")
    assert failing.exit_code == 1
    baseline = tmp_path / "baseline.json"
    written = audit(str(text), "--cache", cache, "--write-baseline", str(baseline))
    assert written.exit_code == 0
    accepted = audit(
        str(text), "--cache", cache, "--fail-on", "date-mismatch", "--baseline", str(baseline)
    )
    assert accepted.exit_code == 0, accepted.output
    assert "in the baseline, not shown" in accepted.output


def test_config_file_sets_fail_on_and_excludes_urls(tmp_path: Path, site: FakeHost) -> None:
    text = write_text(tmp_path, site)
    config = tmp_path / "citecheck.toml"
    config.write_text(
        'fail-on = ["redirected"]\nexclude-urls = ["/gone"]\ncache = "cache"\n', encoding="utf-8"
    )
    result = audit(str(text), "--config", str(config), "--format", "json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    gone = [link for link in payload["links"] if "gone" in link["url"]]
    assert [(link["verdict"], link["reason"]) for link in gone] == [
        ("unchecked", "excluded by configuration")
    ]
    assert [f["kind"] for f in payload["findings"] if f["url"] == gone[0]["url"]] == []
    assert payload["summary"]["fail_on"] == ["redirected"]
    assert (tmp_path / "cache" / "audit-state.json").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fail-on", "dead"], "unknown finding kind 'dead'"),
        (["--config", "missing.toml"], "missing.toml: cannot read"),
        (["no-such-file.txt"], "no-such-file.txt: no such file or folder"),
    ],
)
def test_usage_and_input_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["audit", "--offline", "--no-cache", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output + result.stderr


@pytest.mark.parametrize("report_format", ["text", "json", "markdown", "html", "junit", "github"])
def test_every_format_runs_offline_on_the_corpus(report_format: str) -> None:
    result = CliRunner().invoke(
        main, ["audit", "--offline", "--no-cache", "--format", report_format]
    )
    assert result.exit_code == 0, result.output
    assert "references/004_c8f430e8b801ce8d.txt" in result.stdout


def test_check_options_work_in_audit(tmp_path: Path, site: FakeHost) -> None:
    """--exclude, like every option of `check`, means the same in `audit`."""
    text = write_text(tmp_path, site)
    result = audit(str(text), "--no-cache", "--exclude", "/moved", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "redirected" not in [f["kind"] for f in findings(result)]


def test_archive_options_of_check_are_accepted(tmp_path: Path, site: FakeHost) -> None:
    text = write_text(tmp_path, site)
    result = audit(str(text), "--no-cache", "--archive", "none", "--archive-endpoint",
                   "http://127.0.0.1:9", "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert all(link["archive_url"] is None for link in json.loads(result.stdout)["links"])


def test_an_unwritable_output_is_one_line_and_exit_2(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "audit.html"
    result = CliRunner().invoke(
        main, ["audit", "--offline", "--no-cache", "--format", "html", "-o", str(target)]
    )
    assert result.exit_code == 2
    assert f"{target}: cannot write" in result.stderr


def test_audit_accepts_every_option_of_check() -> None:
    """audit reuses check's click options; run_audit must take each of them by name."""
    taken = set(inspect.signature(run_audit).parameters)
    assert {p.name for p in check.params} - {"output_format", "output"} <= taken
