"""The observation cache: history kept, freshness decided, safe under kills and company."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from citecheck.probe.cache import (
    DATABASE_NAME,
    CacheError,
    Freshness,
    ObservationCache,
    observation_from_json,
    observation_to_json,
)
from citecheck.probe.observation import Observation
from tests.support.paths import REPO_ROOT

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def seen(days_ago: float, status: int | None = 200, error: str | None = None) -> Observation:
    stamp = (NOW - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return Observation(url="http://a.org/", checked_at=stamp, status=status, error=error)


def test_latest_is_the_newest_and_history_keeps_every_probe(tmp_path: Path) -> None:
    with ObservationCache(tmp_path) as cache:
        cache.record("http://a.org/", seen(10, status=500))
        cache.record("http://a.org/", seen(1, status=404))
        cache.record("http://b.org/", seen(2))
        latest = cache.latest(["http://a.org/", "http://b.org/", "http://c.org/"])
        assert {url: o.status for url, o in latest.items()} == {
            "http://a.org/": 404,
            "http://b.org/": 200,
        }
        assert [o.status for o in cache.history("http://a.org/")] == [500, 404]


def test_observations_round_trip_exactly(tmp_path: Path) -> None:
    observation = Observation(
        url="http://a.org/x",
        checked_at="2026-11-22T10:00:00Z",
        status=200,
        final_url="http://a.org/y",
        redirects=("http://a.org/y",),
        redirect_statuses=(301,),
        title="页面",
        body_excerpt="text",
        fingerprint="abcd",
        elapsed=0.25,
    )
    with ObservationCache(tmp_path) as cache:
        cache.record("http://a.org/x", observation)
    with ObservationCache(tmp_path) as reopened:
        assert reopened.latest(["http://a.org/x"]) == {"http://a.org/x": observation}


def test_unknown_keys_from_a_newer_version_are_ignored() -> None:
    text = observation_to_json(seen(0)).replace('"status"', '"future_field": 1, "status"')
    assert observation_from_json(text) == seen(0)


def test_many_urls_are_looked_up_in_chunks(tmp_path: Path) -> None:
    urls = [f"http://a.org/{n}" for n in range(1200)]
    with ObservationCache(tmp_path) as cache:
        cache.record_many((url, seen(0)) for url in urls)
        assert len(cache.latest(urls)) == 1200


@pytest.mark.parametrize(
    ("observation", "fresh"),
    [
        (seen(6.9), True),
        (seen(7.1), False),
        (seen(6.9, status=301), True),
        (seen(0.9, status=404), True),
        (seen(1.1, status=404), False),
        (seen(1.1, status=None, error="timeout"), False),
        (seen(0.5, status=None, error="dns"), True),
        (seen(1.1, status=403), False),
    ],
)
def test_freshness_defaults(observation: Observation, fresh: bool) -> None:
    assert Freshness().is_fresh(observation, NOW) is fresh


def test_failures_never_outlive_the_live_age() -> None:
    strict = Freshness(live=timedelta(hours=1), failed=timedelta(days=1))
    assert not strict.is_fresh(seen(0.1, status=404), NOW)
    assert not Freshness(live=timedelta(0)).is_fresh(seen(0.001), NOW)


def test_a_file_that_is_not_a_database_is_one_line_error(tmp_path: Path) -> None:
    (tmp_path / DATABASE_NAME).write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(CacheError, match=r"observations.sqlite3: cannot use as a cache") as error:
        ObservationCache(tmp_path)
    assert "\n" not in str(error.value)


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from citecheck.probe.cache import ObservationCache
    from citecheck.probe.observation import Observation

    cache = ObservationCache(Path(sys.argv[1]))
    for n in range(100000):
        cache.record(f"http://a.org/{n}", Observation(url="x", checked_at="2026-01-01T00:00:00Z"))
        print(n, flush=True)
    """
)


def test_a_killed_run_leaves_a_sound_cache_with_what_it_wrote(tmp_path: Path) -> None:
    root = REPO_ROOT
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert writer.stdout is not None
    for _ in range(50):
        writer.stdout.readline()
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    with sqlite3.connect(tmp_path / DATABASE_NAME) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with ObservationCache(tmp_path) as cache:
        assert len(cache.latest(f"http://a.org/{n}" for n in range(50))) == 50


def _write_many(directory: str, prefix: str) -> None:
    with ObservationCache(Path(directory)) as cache:
        for n in range(150):
            cache.record(f"http://{prefix}.org/{n}", Observation(url="x", checked_at="2026"))


def test_two_runs_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    runs = [context.Process(target=_write_many, args=(str(tmp_path), p)) for p in ("a", "b")]
    for run in runs:
        run.start()
    for run in runs:
        run.join(60)
    assert [run.exitcode for run in runs] == [0, 0]
    with ObservationCache(tmp_path) as cache:
        urls = [f"http://{p}.org/{n}" for p in ("a", "b") for n in range(150)]
        assert len(cache.latest(urls)) == 300
