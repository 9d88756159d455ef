"""Batched cache writes: one transaction per batch, committed soon, everything by close."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from pathlib import Path

import pytest

from citecheck.probe.cache import DATABASE_NAME, CacheError, ObservationCache
from citecheck.probe.cachewriter import CacheWriter
from citecheck.probe.observation import Observation


def observation(n: int) -> Observation:
    return Observation(url=f"http://x.test/{n}", checked_at="2026-12-03T10:00:00Z", status=200)


def committed(directory: Path) -> int:
    """Rows another connection sees: what a killed run would leave behind."""
    if not (directory / DATABASE_NAME).exists():
        return 0
    with contextlib.closing(sqlite3.connect(directory / DATABASE_NAME)) as db:
        try:
            return int(db.execute("SELECT count(*) FROM observations").fetchone()[0])
        except sqlite3.OperationalError:  # the writer has not created its tables yet
            return 0


def test_many_observations_take_a_few_transactions_and_all_are_stored(tmp_path: Path) -> None:
    with CacheWriter(tmp_path, linger=0.05, max_batch=500) as writer:
        for n in range(2000):
            writer.add(f"http://x.test/{n}", observation(n))
    assert 4 <= writer.batches <= 20  # at least 2000 / 500, and not one per observation
    with ObservationCache(tmp_path) as cache:
        assert len(cache.latest(f"http://x.test/{n}" for n in range(2000))) == 2000


def test_an_observation_is_committed_within_the_linger_without_waiting_for_close(
    tmp_path: Path,
) -> None:
    writer = CacheWriter(tmp_path, linger=0.05)
    try:
        writer.add("http://x.test/1", observation(1))
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and committed(tmp_path) == 0:
            time.sleep(0.01)
        assert committed(tmp_path) == 1
    finally:
        writer.close()


def test_an_unusable_cache_raises_its_one_line_error_at_close(tmp_path: Path) -> None:
    (tmp_path / DATABASE_NAME).write_bytes(b"this is not sqlite at all" * 100)
    writer = CacheWriter(tmp_path)
    writer.add("http://x.test/1", observation(1))
    with pytest.raises(CacheError, match=r"observations.sqlite3: cannot use as a cache"):
        writer.close()
