"""Nothing lost: the cache survives SIGKILL at random moments, and runs share it.

Thirty times in a row the check job (what `check` and `audit` both run), forked from this
process so that a cycle costs no interpreter start-up, probes a batch of new links on the
local fake web and is killed with SIGKILL at a random moment. After every kill the SQLite
cache must pass `PRAGMA integrity_check`, keep every observation committed before the
kill, and the next run must send no request for a URL already stored: it reuses what it
finds. A final run, not killed, completes with every link of every batch. The `audit`
command itself is killed three times and then completes. Two runs at once on one cache
both finish with all their results.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from citecheck.judge.checking import CheckHooks, CheckOptions, check_links
from citecheck.probe.cache import DATABASE_NAME
from citecheck.probe.links import Link
from citecheck.probe.observation import ProbeSettings
from tests.support.fakeweb import FakeRequest, FakeResponse, FakeWeb, page
from tests.support.paths import REPO_ROOT

CYCLES = 30
BATCH = 200
SETTINGS = ProbeSettings(timeout=5.0, concurrency=16, per_host=16, allow_private=True)


async def online() -> bool:
    return True


def slightly_slow(request: FakeRequest) -> FakeResponse:
    return page("Fine", delay=0.02)


@pytest.fixture(scope="module")
def web() -> Iterator[FakeWeb]:
    with FakeWeb() as running:
        running.add_host("kill.test").route("*", slightly_slow)
        yield running


def urls_of_batch(web: FakeWeb, batch: int) -> list[str]:
    host = web.hosts["kill.test"]
    return [host.address_url(f"/batch{batch}/page{n}") for n in range(BATCH)]


def run_check(urls: Sequence[str], cache_dir: Path, answer: Path | None = None) -> int:
    """The check job as the CLI runs it; writes the number of verdicts to `answer`."""
    links = [Link(url=url, normalized_url=url) for url in urls]
    result = check_links(
        links, CheckOptions(probe=SETTINGS, cache_dir=cache_dir), CheckHooks(network_canary=online)
    )
    if answer is not None:
        answer.write_text(json.dumps([v.verdict for v in result.verdicts]))
    return len(result.verdicts)


def fork_check(urls: Sequence[str], cache_dir: Path, answer: Path | None = None) -> int:
    """Run the check job in a child process; its pid."""
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        status = 1
        try:
            run_check(urls, cache_dir, answer)
            status = 0
        finally:
            os._exit(status)
    return pid


def stored_urls(cache_dir: Path) -> set[str]:
    with contextlib.closing(sqlite3.connect(cache_dir / DATABASE_NAME)) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return {url for (url,) in db.execute("SELECT DISTINCT normalized_url FROM observations")}


def stored_so_far(cache_dir: Path) -> int:
    """How many URLs are stored, 0 while the run has not yet created its tables."""
    if not (cache_dir / DATABASE_NAME).exists():
        return 0
    with contextlib.closing(sqlite3.connect(cache_dir / DATABASE_NAME)) as db:
        try:
            query = "SELECT count(DISTINCT normalized_url) FROM observations"
            return int(db.execute(query).fetchone()[0])
        except sqlite3.OperationalError:
            return 0


def requested_urls(web: FakeWeb, since: int) -> set[str]:
    host = web.hosts["kill.test"]
    return {host.address_url(r.path) for r in web.requests[since:] if r.host == "kill.test"}


def test_thirty_random_kills_leave_a_sound_cache_that_the_next_run_reuses(
    web: FakeWeb, tmp_path: Path
) -> None:
    rng = random.Random(20261123)
    cache_dir = tmp_path / "cache"
    run_check([], cache_dir)  # create the database, as any first run would
    every_url: list[str] = []
    killed_mid_run = 0
    for cycle in range(CYCLES):
        every_url += urls_of_batch(web, cycle)
        stored_before = stored_urls(cache_dir)
        requests_before = len(web.requests)
        pid = fork_check(every_url, cache_dir)
        time.sleep(rng.uniform(0.0, 0.5))
        finished, _ = os.waitpid(pid, os.WNOHANG)
        if finished == 0:  # still working: kill it where it stands
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            killed_mid_run += 1
        stored_after = stored_urls(cache_dir)  # integrity_check passes after every kill
        assert stored_before <= stored_after, f"cycle {cycle}: stored observations were lost"
        reprobed = requested_urls(web, requests_before) & stored_before
        assert not reprobed, f"cycle {cycle}: {len(reprobed)} stored URLs were probed again"
    assert killed_mid_run >= CYCLES // 2, "too few kills landed while the run was working"
    requests_before = len(web.requests)
    stored_before = stored_urls(cache_dir)
    assert run_check(every_url, cache_dir) == len(every_url)  # completes with every link
    assert requested_urls(web, requests_before) == set(every_url) - stored_before
    assert stored_urls(cache_dir) == set(every_url)


def test_two_runs_at_once_on_one_cache_both_finish_with_all_results(
    web: FakeWeb, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    first = urls_of_batch(web, 100) + urls_of_batch(web, 101)
    second = urls_of_batch(web, 101) + urls_of_batch(web, 102)  # one batch in common
    answers = [tmp_path / "first.json", tmp_path / "second.json"]
    pids = [fork_check(first, cache_dir, answers[0]), fork_check(second, cache_dir, answers[1])]
    statuses = [os.waitpid(pid, 0)[1] for pid in pids]
    assert statuses == [0, 0]
    assert json.loads(answers[0].read_text()) == ["ok"] * len(first)
    assert json.loads(answers[1].read_text()) == ["ok"] * len(second)
    assert stored_urls(cache_dir) == set(first) | set(second)


def test_a_killed_audit_cli_leaves_a_sound_cache_and_the_next_audit_completes(
    web: FakeWeb, tmp_path: Path
) -> None:
    """The same through `citecheck audit` itself, three kills then a complete run."""
    urls_file = tmp_path / "urls.txt"
    urls = urls_of_batch(web, 200) + urls_of_batch(web, 201)
    urls_file.write_text("".join(url + "\n" for url in urls))
    text = tmp_path / "text.txt"  # a text of our own, so the bundled corpus stays out
    text.write_text("A text without notes.\n")
    cache_dir = tmp_path / "cache"
    command = [
        sys.executable, "-m", "citecheck", "audit", str(text), "--urls", str(urls_file),
        "--allow-private", "--cache", str(cache_dir), "--quiet", "--format", "json",
        "--archive", "none", "--concurrency", "8", "--per-host", "8",
    ]  # fmt: skip
    root = REPO_ROOT
    for _ in range(3):
        before = stored_so_far(cache_dir)
        process = subprocess.Popen(command, cwd=root, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while stored_so_far(cache_dir) <= before and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert len(stored_urls(cache_dir)) > before  # integrity_check inside, and progress
    done = subprocess.run(
        command, cwd=root, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["summary"]["verdicts"] == {"ok": len(urls)}
    assert stored_urls(cache_dir) == set(urls)
