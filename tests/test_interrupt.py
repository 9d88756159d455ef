"""Ctrl-C: `citecheck check` stops within seconds, keeps every observation made so far
and prints a partial report that says it is partial (exit 130, no traceback)."""

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

import pytest

from citecheck.cache import DATABASE_NAME
from tests.fakeweb import FakeHost, FakeRequest, FakeResponse, FakeWeb, page

ROOT = Path(__file__).resolve().parent.parent
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
