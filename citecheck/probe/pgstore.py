"""The observation store in PostgreSQL, shared by every worker of a cluster.

Same semantics as the SQLite cache (`cache.py`): observations, never verdicts; one row per
probe; the newest row of a URL is its latest observation. Each write commits on its own
(autocommit), so a worker killed mid-probe loses at most the probes in flight, and a re-run
finds everything written before. The schema is versioned: `MIGRATIONS` is applied in
order, once, under an advisory lock, so many workers may open the store at the same time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import psycopg

from citecheck.probe.cache import CacheError, observation_from_json, observation_row
from citecheck.probe.observation import Observation
from citecheck.util.closing import ClosesOnExit

# Each entry moves the schema from version N to N + 1; never edit one that has shipped.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE IF NOT EXISTS citecheck_observations (
        id BIGSERIAL PRIMARY KEY,
        normalized_url TEXT NOT NULL,
        checked_at TEXT NOT NULL,
        status INTEGER,
        final_url TEXT,
        error TEXT,
        fingerprint TEXT,
        data TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS citecheck_observations_by_url
        ON citecheck_observations (normalized_url, id);
    """,
)
_LOCK_KEY = 0x63697465  # "cite": one advisory lock for schema changes
_QUERY_CHUNK = 500


class PostgresStore(ClosesOnExit):
    """Observations per normalised URL in a PostgreSQL database."""

    def __init__(self, url: str, *, connect_timeout: float = 10.0) -> None:
        self.url = url
        self.label = _without_password(url)
        try:
            self._db = psycopg.connect(url, autocommit=True, connect_timeout=int(connect_timeout))
            migrate(self._db)
        except psycopg.Error as error:
            raise CacheError(f"{self.label}: cannot use as a cache: {_one_line(error)}") from None

    def record(self, normalized_url: str, observation: Observation) -> None:
        """Append one observation; durable once this returns."""
        self.record_many([(normalized_url, observation)])

    def record_many(self, items: Iterable[tuple[str, Observation]]) -> None:
        rows = [observation_row(url, o) for url, o in items]
        if not rows:
            return
        try:
            with self._db.transaction(), self._db.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO citecheck_observations (normalized_url, checked_at, status,"
                    " final_url, error, fingerprint, data) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    rows,
                )
        except psycopg.Error as error:
            raise CacheError(f"{self.label}: cannot write: {_one_line(error)}") from None

    def latest(self, normalized_urls: Iterable[str]) -> dict[str, Observation]:
        """The most recent observation of each URL that has one."""
        urls = list(dict.fromkeys(normalized_urls))
        found: dict[str, Observation] = {}
        try:
            for start in range(0, len(urls), _QUERY_CHUNK):
                chunk = urls[start : start + _QUERY_CHUNK]
                rows = self._db.execute(
                    "SELECT DISTINCT ON (normalized_url) normalized_url, data"
                    " FROM citecheck_observations WHERE normalized_url = ANY(%s)"
                    " ORDER BY normalized_url, id DESC",
                    (chunk,),
                ).fetchall()
                for url, data in rows:
                    found[url] = observation_from_json(data)
        except (psycopg.Error, ValueError, TypeError) as error:
            raise CacheError(f"{self.label}: cannot read: {_one_line(error)}") from None
        return found

    def history(self, normalized_url: str) -> list[Observation]:
        """Every observation of one URL, oldest first."""
        try:
            rows = self._db.execute(
                "SELECT data FROM citecheck_observations WHERE normalized_url = %s ORDER BY id",
                (normalized_url,),
            ).fetchall()
        except psycopg.Error as error:
            raise CacheError(f"{self.label}: cannot read: {_one_line(error)}") from None
        return [observation_from_json(data) for (data,) in rows]

    def integrity_problems(self) -> list[str]:
        """Rows a reader could not use (unparseable data, a URL or time that disagrees with
        its data); empty when the store is sound."""
        problems: list[str] = []
        rows = self._db.execute(
            "SELECT id, normalized_url, checked_at, data FROM citecheck_observations ORDER BY id"
        ).fetchall()
        for row_id, _url, checked_at, data in rows:
            try:
                parsed: dict[str, Any] = json.loads(data)
                observation = observation_from_json(data)
            except (ValueError, TypeError) as error:
                problems.append(f"row {row_id}: unreadable observation ({error})")
                continue
            if observation.checked_at != checked_at or not isinstance(parsed, dict):
                problems.append(f"row {row_id}: checked_at column disagrees with its data")
        return problems

    def close(self) -> None:
        self._db.close()


def migrate(db: psycopg.Connection[Any], migrations: Sequence[str] = MIGRATIONS) -> int:
    """Bring the schema up to date; returns its version. Safe to run from many workers."""
    with db.transaction():
        db.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        db.execute("CREATE TABLE IF NOT EXISTS citecheck_schema (version INTEGER NOT NULL)")
        row = db.execute("SELECT max(version) FROM citecheck_schema").fetchone()
        version = int(row[0]) if row and row[0] is not None else 0
        if version > len(migrations):
            raise psycopg.DataError(
                f"schema version {version} is newer than this citecheck knows ({len(migrations)})"
            )
        for number, statement in enumerate(migrations[version:], start=version + 1):
            db.execute(statement.encode())
            db.execute("INSERT INTO citecheck_schema (version) VALUES (%s)", (number,))
    return len(migrations)


def _without_password(url: str) -> str:
    """The URL as it may be printed: a password in it becomes `***`."""
    scheme, sep, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    user = credentials.split(":", 1)[0]
    return f"{scheme}{sep}{user}:***@{host}"


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__
