"""The observation cache: what each probe saw, kept in SQLite, history included.

We cache observations, never verdicts (STYLE §5): verdicts are recomputed on
every run, so an improved rule improves old results. Every probe is a new row,
so later stages can tell a link that failed once from one dead for weeks.
SQLite in WAL mode with a busy timeout lets two runs share the cache, and each
write is its own transaction; the check job writes in batches (`cachewriter`), so a
killed run loses at most the batch not yet committed.
"""

from __future__ import annotations

import json
import sqlite3
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import asdict, fields
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.request import pathname2url

from citecheck.probe.freshness import Freshness, parse_timestamp
from citecheck.probe.observation import Observation
from citecheck.util.closing import ClosesOnExit
from citecheck.util.quoting import quoted

__all__ = ["CacheError", "Freshness", "ObservationCache", "parse_timestamp"]

DATABASE_NAME = "observations.sqlite3"
SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 30_000
_QUERY_CHUNK = 500

_SCHEMA = """
CREATE TABLE IF NOT EXISTS observations (
    id INTEGER PRIMARY KEY,
    normalized_url TEXT NOT NULL,
    checked_at TEXT NOT NULL,
    status INTEGER,
    final_url TEXT,
    error TEXT,
    fingerprint TEXT,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS observations_by_url ON observations (normalized_url, id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class CacheError(Exception):
    """A cache that cannot be opened or used; the message is one line naming the file."""


def observation_to_json(observation: Observation) -> str:
    return json.dumps(asdict(observation), ensure_ascii=False, sort_keys=True)


_OBSERVATION_FIELDS = {f.name for f in fields(Observation)}
_TUPLE_FIELDS = {"redirects", "redirect_statuses"}


def observation_row(
    url: str, o: Observation
) -> tuple[str, str, int | None, str | None, str | None, str | None, str]:
    """One observation as the columns both stores keep: URL, time, status, final URL, error,
    body fingerprint, and the whole observation as JSON."""
    return (
        url,
        o.checked_at,
        o.status,
        o.final_url,
        o.error,
        o.fingerprint,
        observation_to_json(o),
    )


def observation_from_json(text: str) -> Observation:
    """Rebuild an Observation; unknown keys (from a newer citecheck) are ignored. A row that
    is not a JSON object (`null`, `[]`, a damaged file) raises ValueError."""
    data = json.loads(text)
    if not isinstance(data, dict) or not {"url", "checked_at"} <= data.keys():
        raise ValueError(f"a row holds {_excerpt(text)}, not an observation")
    known = {k: v for k, v in data.items() if k in _OBSERVATION_FIELDS}
    for name, value in known.items():
        if not _fits(value, _OBSERVATION_TYPES[name]):
            raise ValueError(f"a row's {name} holds {_excerpt(json.dumps(value))}")
    for name in _TUPLE_FIELDS & known.keys():
        known[name] = tuple(known[name])
    return Observation(**known)


_OBSERVATION_TYPES = typing.get_type_hints(Observation)


def _fits(value: Any, hint: Any) -> bool:
    """Whether a JSON value can stand for a field annotated `hint` (tuples arrive as lists)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_fits(value, option) for option in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if origin is tuple:
        item = typing.get_args(hint)[0]
        return isinstance(value, list | tuple) and all(_fits(v, item) for v in value)
    if isinstance(value, bool):
        return hint is bool
    if hint is float:
        return isinstance(value, int | float)
    return isinstance(value, hint)


def _excerpt(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


class ObservationCache(ClosesOnExit):
    """Observations per normalised URL in `directory/observations.sqlite3`.

    `read_only` is for runs that will write nothing (`--offline`, reading history): the
    database is opened with SQLite's `mode=ro` (falling back to `immutable=1` when a WAL
    database's side files cannot be created, as in a read-only folder), nothing is
    created, and a missing database is an empty cache. So a cache on read-only storage
    (a CI artefact, a shared mount) can still answer.
    """

    def __init__(self, directory: Path, *, read_only: bool = False) -> None:
        self.path = directory / DATABASE_NAME
        self.read_only = read_only
        self._db: sqlite3.Connection | None = None
        if read_only:
            self._db = self._open_read_only()
            return
        try:
            directory.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
            )
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            with self._transaction():
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(
                    "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?)",
                    (str(SCHEMA_VERSION),),
                )
        except (sqlite3.Error, OSError) as error:
            raise CacheError(f"{quoted(self.path)}: cannot use as a cache: {error}") from None

    def _open_read_only(self) -> sqlite3.Connection | None:
        """The database opened read-only, or None when there is none yet."""
        if not self.path.exists():
            return None
        location = "file:" + pathname2url(str(self.path.absolute()))
        failure: sqlite3.Error | None = None
        for flags in ("mode=ro", "mode=ro&immutable=1"):
            try:
                db = sqlite3.connect(
                    f"{location}?{flags}", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
                )
            except sqlite3.Error as error:
                failure = error
                continue
            try:
                db.execute("SELECT count(*) FROM observations").fetchone()
            except sqlite3.Error as error:
                db.close()
                failure = error
                continue
            return db
        raise CacheError(f"{quoted(self.path)}: cannot read as a cache: {failure}")

    def _transaction(self) -> _Transaction:
        assert self._db is not None
        return _Transaction(self._db)

    def record(self, normalized_url: str, observation: Observation) -> None:
        """Append one observation (its own transaction: durable once this returns)."""
        self.record_many([(normalized_url, observation)])

    def record_many(self, items: Iterable[tuple[str, Observation]]) -> None:
        rows = [observation_row(url, o) for url, o in items]
        if not rows:
            return
        if self._db is None or self.read_only:
            raise CacheError(f"{quoted(self.path)}: opened read-only, cannot record")
        try:
            with self._transaction():
                self._db.executemany(
                    "INSERT INTO observations (normalized_url, checked_at, status, final_url,"
                    " error, fingerprint, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
        except sqlite3.Error as error:
            raise CacheError(f"{quoted(self.path)}: cannot write: {error}") from None

    def latest(self, normalized_urls: Iterable[str]) -> dict[str, Observation]:
        """The most recent observation of each URL that has one."""
        urls = list(dict.fromkeys(normalized_urls))
        found: dict[str, Observation] = {}
        if self._db is None:
            return found
        try:
            for chunk in _chunks(urls, _QUERY_CHUNK):
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    "SELECT o.normalized_url, o.data FROM observations o JOIN ("
                    " SELECT normalized_url, max(id) AS id FROM observations"
                    f" WHERE normalized_url IN ({marks}) GROUP BY normalized_url"
                    ") newest ON o.id = newest.id",
                    chunk,
                ).fetchall()
                for url, data in rows:
                    found[url] = observation_from_json(data)
        except (sqlite3.Error, ValueError, TypeError) as error:
            raise CacheError(f"{quoted(self.path)}: cannot read: {error}") from None
        return found

    def history(self, normalized_url: str) -> list[Observation]:
        """Every observation of one URL, oldest first."""
        if self._db is None:
            return []
        try:
            rows = self._db.execute(
                "SELECT data FROM observations WHERE normalized_url = ? ORDER BY id",
                (normalized_url,),
            ).fetchall()
            return [observation_from_json(data) for (data,) in rows]
        except (sqlite3.Error, ValueError, TypeError) as error:
            raise CacheError(f"{quoted(self.path)}: cannot read: {error}") from None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT (ROLLBACK on error): writers queue on the busy timeout."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
