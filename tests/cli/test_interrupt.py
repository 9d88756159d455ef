"""Ctrl-C: `citecheck check` and `audit` stop within seconds, keep every observation made so
far and print a partial report that says it is partial (exit 130, no traceback)."""

from __future__ import annotations

import contextlib
import json
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest
from click.testing import CliRunner, Result

from citecheck.cli import audit as audit_cli
from citecheck.cli.main import main
from citecheck.findings.audit import conclude
from citecheck.probe.cache import DATABASE_NAME
from tests.support.fakeweb import FakeHost, FakeRequest, FakeResponse, FakeWeb, page
from tests.support.paths import REPO_ROOT

ROOT = REPO_ROOT
LINKS = 200
STOP_GUARD_SECONDS = 5.0  # the promise is a second or two; the guard allows a busy machine


def slow_page(request: FakeRequest) -> FakeResponse:
    return page("Slow but fine", delay=0.5)


@pytest.fixture(scope="module")
def slow_host() -> Iterator[FakeHost]:
    with FakeWeb() as web:
        host = web.add_host("slow.test")
        host.route("*", slow_page)
        yield host


def stored_rows(cache_dir: Path) -> int:
    if not (cache_dir / DATABASE_NAME).exists():
        return 0
    with contextlib.closing(sqlite3.connect(cache_dir / DATABASE_NAME)) as db:
        try:
            return int(db.execute("SELECT count(*) FROM observations").fetchone()[0])
        except sqlite3.OperationalError:
            return 0  # the run has created the file but not yet the table


@pytest.mark.parametrize("output_format", ["json", "text"])
def test_ctrl_c_stops_promptly_keeps_observations_and_reports_partially(
    slow_host: FakeHost, tmp_path: Path, output_format: str
) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text("".join(slow_host.address_url(f"/p{n}") + "\n" for n in range(LINKS)))
    cache_dir = tmp_path / "cache"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "citecheck",
            "check",
            "--urls",
            str(urls),
            "--allow-private",
            "--cache",
            str(cache_dir),
            "--concurrency",
            "8",
            "--per-host",
            "8",
            "--quiet",
            "--format",
            output_format,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while stored_rows(cache_dir) < 8 and time.monotonic() < deadline:
        time.sleep(0.05)  # wait until the run has observed something
    interrupted_at = time.monotonic()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    stopped_after = time.monotonic() - interrupted_at
    assert stopped_after < STOP_GUARD_SECONDS
    assert "Traceback" not in err
    assert process.returncode == 130
    assert err.count("interrupted:") == 1
    kept = stored_rows(cache_dir)
    assert 0 < kept < LINKS
    if output_format == "text":
        assert out.startswith("PARTIAL REPORT")
        assert f"{LINKS} link(s): ok {kept}, unchecked {LINKS - kept}" in out
        return
    report = json.loads(out)
    assert report["partial"] is True
    assert len(report["links"]) == LINKS
    counts = {word: count for word, count in report["summary"].items() if count}
    assert counts == {"ok": kept, "unchecked": LINKS - kept}
    unchecked = {link["reason"] for link in report["links"] if link["verdict"] == "unchecked"}
    assert unchecked == {"interrupted before probing"}


def test_ctrl_c_during_an_audit_reports_partially_and_keeps_no_history(
    slow_host: FakeHost, tmp_path: Path
) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text("".join(slow_host.address_url(f"/a{n}") + "\n" for n in range(LINKS)))
    cache_dir = tmp_path / "cache"
    text = tmp_path / "text.txt"  # a text of our own, so the bundled corpus stays out
    text.write_text("A text without notes.\n")
    process = subprocess.Popen(
        [
            sys.executable, "-m", "citecheck", "audit", str(text), "--urls", str(urls),
            "--allow-private",
            "--cache", str(cache_dir), "--concurrency", "8", "--per-host", "8", "--quiet",
            "--format", "json", "--archive", "none",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while stored_rows(cache_dir) < 8 and time.monotonic() < deadline:
        time.sleep(0.05)
    interrupted_at = time.monotonic()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert time.monotonic() - interrupted_at < STOP_GUARD_SECONDS
    assert "Traceback" not in err
    assert process.returncode == 130, err
    assert "the report is partial" in out  # among the report's problems
    assert 0 < stored_rows(cache_dir) < LINKS
    assert not list(cache_dir.glob("*state*")), "a partial audit must not become history"


# Ctrl-C outside probing (extraction, citation parsing, analysis, reporting): click would
# say "Aborted!" and exit 1; the audit must exit 130 like the probing path and report what
# it can. The interrupt is raised where the stage runs, in process.


@pytest.fixture(scope="module")
def plain_host() -> Iterator[FakeHost]:
    with FakeWeb() as web:
        host = web.add_host("plain.test")
        host.route("/ok", page("Fine"))
        host.route("/gone", page("Gone", status=410))
        yield host


def noted_text(tmp_path: Path, host: FakeHost) -> Path:
    text = tmp_path / "essay.txt"
    text.write_text(
        "A claim.1 Another.2\n\nNotes\n\n"
        f"1 Jane Roe, “Gone,” Example Press, June 8, 2010, {host.address_url('/gone')}.\n"
        f"2 John Doe, “Here,” Example News, March 3, 2014, {host.address_url('/ok')}.\n",
        encoding="utf-8",
    )
    return text


def audit_in_process(text: Path, cache_dir: Path) -> Result:
    return CliRunner().invoke(
        main,
        ["audit", str(text), "--allow-private", "--timeout", "2", "-q", "--cache",
         str(cache_dir), "--format", "json", "--archive", "none"],
    )  # fmt: skip


def interrupt(*_: object, **__: object) -> NoReturn:
    raise KeyboardInterrupt


def test_ctrl_c_during_analysis_reports_the_links_marked_partial(
    plain_host: FakeHost, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def conclude_interrupted_once(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:  # the full analysis is interrupted; the partial report may run
            raise KeyboardInterrupt
        return conclude(*args, **kwargs)

    monkeypatch.setattr(audit_cli, "conclude", conclude_interrupted_once)
    cache_dir = tmp_path / "cache"
    result = audit_in_process(noted_text(tmp_path, plain_host), cache_dir)
    assert result.exit_code == 130, result.output
    assert "Aborted!" not in result.output + result.stderr
    report = json.loads(result.stdout)
    assert any("the report is partial" in problem for problem in report["problems"])
    kinds = [(f["kind"], f["url"]) for f in report["findings"]]
    assert kinds == [("suspect-link", plain_host.address_url("/gone"))]  # no dates, duplicates
    assert stored_rows(cache_dir) == 2  # every observation kept
    assert not list(cache_dir.glob("*state*")), "a partial audit must not become history"


def test_a_second_ctrl_c_gives_up_the_partial_report_in_one_line(
    plain_host: FakeHost, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit_cli, "conclude", interrupt)
    cache_dir = tmp_path / "cache"
    result = audit_in_process(noted_text(tmp_path, plain_host), cache_dir)
    assert result.exit_code == 130, result.output
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "interrupted before anything could be reported" in result.stderr
    assert stored_rows(cache_dir) == 2


@pytest.mark.parametrize("stage", ["read_inputs", "cite_corpus", "with_citation_facts"])
def test_ctrl_c_before_probing_says_so_in_one_line(
    plain_host: FakeHost, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    monkeypatch.setattr(audit_cli, stage, interrupt)
    result = audit_in_process(noted_text(tmp_path, plain_host), tmp_path / "cache")
    assert result.exit_code == 130, result.output
    assert result.stdout == ""
    assert result.stderr == (
        "citecheck: interrupted before anything could be reported; "
        "observations made so far are in the cache\n"
    )
