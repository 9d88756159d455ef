"""The PostgreSQL observation store against a real server: same semantics as SQLite."""

from __future__ import annotations

import threading
from pathlib import Path

import psycopg
import pytest

from citecheck.probe.cache import CacheError, ObservationCache
from citecheck.probe.observation import Observation
from citecheck.probe.pgstore import MIGRATIONS, PostgresStore, _without_password, migrate
from citecheck.probe.store import ObservationStore, is_database_url, open_store


def _seen(status: int | None, when: str, error: str | None = None) -> Observation:
    return Observation(
        url="http://example.test/a",
        status=status,
        final_url="http://example.test/a",
        checked_at=when,
        error=error,
    )


def _exercise(store: ObservationStore) -> tuple[dict[str, Observation], list[Observation]]:
    store.record("http://example.test/a", _seen(500, "2026-01-01T00:00:00+00:00"))
    store.record_many(
        [
            ("http://example.test/a", _seen(200, "2026-01-02T00:00:00+00:00")),
            ("http://example.test/b", _seen(None, "2026-01-02T00:00:00+00:00", "dns")),
        ]
    )
    return (
        store.latest(["http://example.test/a", "http://example.test/b", "http://example.test/c"]),
        store.history("http://example.test/a"),
    )


def test_postgres_and_sqlite_keep_the_same_observations(postgres_url: str, tmp_path: Path) -> None:
    with open_store(postgres_url) as shared, open_store(tmp_path) as embedded:
        assert isinstance(shared, PostgresStore) and isinstance(embedded, ObservationCache)
        assert _exercise(shared) == _exercise(embedded)
        latest, history = _exercise(shared)
        assert latest["http://example.test/a"].status == 200
        assert latest["http://example.test/b"].error == "dns"
        assert "http://example.test/c" not in latest
        assert [o.status for o in history] == [500, 200, 500, 200]


def test_observations_outlive_the_connection(postgres_url: str) -> None:
    """Every write commits on its own: a store closed (or a worker killed) loses nothing."""
    with PostgresStore(postgres_url) as first:
        first.record("http://example.test/a", _seen(404, "2026-02-01T00:00:00+00:00"))
    with PostgresStore(postgres_url) as second:
        assert second.latest(["http://example.test/a"])["http://example.test/a"].status == 404
        assert second.integrity_problems() == []


def test_migrations_run_once_even_when_many_open_at_once(postgres_url: str) -> None:
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            PostgresStore(postgres_url).close()
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=open_one) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with psycopg.connect(postgres_url, autocommit=True) as db:
        versions = [row[0] for row in db.execute("SELECT version FROM citecheck_schema")]
        assert versions == list(range(1, len(MIGRATIONS) + 1))
        assert migrate(db) == len(MIGRATIONS)  # idempotent
        extra = (*MIGRATIONS, "ALTER TABLE citecheck_observations ADD COLUMN note TEXT")
        assert migrate(db, extra) == len(extra)  # a later migration applies on top


def test_a_newer_schema_is_refused_in_one_line(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as db:
        migrate(db)
        db.execute("INSERT INTO citecheck_schema (version) VALUES (99)")
    with pytest.raises(CacheError, match=r"newer than this citecheck knows") as raised:
        PostgresStore(postgres_url)
    assert "\n" not in str(raised.value)


def test_an_unreachable_database_is_one_line_without_the_password() -> None:
    url = "postgresql://someone:s3cret@127.0.0.1:9/nowhere"
    with pytest.raises(CacheError) as raised:
        PostgresStore(url, connect_timeout=2)
    message = str(raised.value)
    assert "s3cret" not in message and "someone:***@127.0.0.1:9" in message
    assert "\n" not in message


def test_integrity_check_finds_a_damaged_row(postgres_url: str) -> None:
    with PostgresStore(postgres_url) as store:
        store.record("http://example.test/a", _seen(200, "2026-03-01T00:00:00+00:00"))
        with psycopg.connect(postgres_url, autocommit=True) as db:
            db.execute("UPDATE citecheck_observations SET data = '{not json'")
        assert store.integrity_problems() == [
            "row 1: unreadable observation (Expecting property name enclosed in double quotes:"
            " line 1 column 2 (char 1))"
        ]


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("postgresql://u@h/db", True),
        ("postgres://h/db", True),
        ("cache", False),
        (Path("postgresql:/x"), False),
    ],
)
def test_database_urls_are_told_from_folders(location: str | Path, expected: bool) -> None:
    assert is_database_url(location) is expected


def test_password_is_hidden_only_where_there_is_one() -> None:
    assert _without_password("postgresql://u:p@h/db") == "postgresql://u:***@h/db"
    assert _without_password("postgresql://u@h/db") == "postgresql://u@h/db"
