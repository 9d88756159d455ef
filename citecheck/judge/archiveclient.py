"""The archive client: asks a Wayback-compatible server politely, through a cache.

`ArchiveClient.find_snapshot` looks up the captures of a URL (CDX first, the
availability API second), fetches the raw replays of the best few and keeps the
first that is not an archived not-found page (`citecheck.judge.wayback`). Requests
are spaced by `RateLimiter` (20 a minute for the APIs), answers are kept in
`ArchiveCache`, and every failure of the archive becomes an `ArchiveSkipped` value.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from citecheck.judge.wayback import (
    DEFAULT_ENDPOINT,
    ArchiveFormatError,
    ArchiveFound,
    ArchiveMissing,
    ArchiveResult,
    ArchiveSkipped,
    Capture,
    Via,
    citation_date,
    judge_snapshot,
    layout_for,
    parse_availability_json,
    parse_cdx_json,
    raw_snapshot_url,
    snapshot_order,
    wayback_timestamp,
)
from citecheck.probe.cache import DATABASE_NAME
from citecheck.probe.observation import Observation

# requests is loaded by the client that uses it.
if TYPE_CHECKING:
    import requests

# The archive table lives in the prober's cache database (citecheck/probe/cache.py).
DEFAULT_CACHE_DIR = Path("cache")
API_REQUESTS_PER_MINUTE = 20.0
REPLAY_REQUESTS_PER_MINUTE = 30.0
CDX_LIMIT = 25
SNAPSHOTS_TO_VERIFY = 3
MAX_BACKOFF_SECONDS = 120.0
FAILURES_BEFORE_GIVING_UP = 2
USER_AGENT = "citecheck (reference checker; archive lookups)"

TITLE = re.compile(r"<title[^>]*>([^<]{0,500})</title>", re.IGNORECASE)


# --- politeness: rate limiter -----------------------------------------------------------


@dataclass
class RateLimiter:
    """At most `per_minute` requests per key, spaced evenly; keys are endpoint + pool."""

    per_minute: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _next: dict[str, float] = field(default_factory=dict)

    def wait(self, key: str) -> None:
        """Block until a request for `key` is allowed, then reserve the next slot."""
        now = self.clock()
        ready = self._next.get(key, now)
        if ready > now:
            self.sleep(ready - now)
            now = ready
        self._next[key] = now + 60.0 / self.per_minute

    def hold(self, key: str, seconds: float) -> None:
        """Allow no request for `key` for `seconds` (after a 429)."""
        self._next[key] = max(self._next.get(key, 0.0), self.clock() + seconds)


# --- cache: archive answers in the shared SQLite file --------------------------------


class ArchiveCache:
    """Archive answers (what the archive said, not what we concluded), keyed by request URL.

    A table of its own in the same SQLite file as the probe cache. Answers older
    than `max_age` are treated as absent; nothing is cached for failed requests.
    """

    SCHEMA = """
        CREATE TABLE IF NOT EXISTS archive_answers (
            request_url TEXT PRIMARY KEY,
            status INTEGER NOT NULL,
            final_url TEXT,
            content_type TEXT,
            body TEXT NOT NULL,
            fetched_at TEXT NOT NULL
        )
    """

    @classmethod
    def in_dir(cls, cache_dir: Path) -> ArchiveCache:
        """The archive table in the shared cache database of `cache_dir`."""
        return cls(cache_dir / DATABASE_NAME)

    def __init__(self, path: str | Path, max_age: timedelta = timedelta(days=30)) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.max_age = max_age
        self._db = sqlite3.connect(self.path, timeout=30.0)
        self._db.execute("PRAGMA busy_timeout = 30000")
        self._db.execute(self.SCHEMA)
        self._db.commit()

    def get(self, request_url: str) -> tuple[int, str | None, str | None, str] | None:
        row = self._db.execute(
            "SELECT status, final_url, content_type, body, fetched_at FROM archive_answers"
            " WHERE request_url = ?",
            (request_url,),
        ).fetchone()
        if row is None:
            return None
        fetched = datetime.fromisoformat(row[4])
        if datetime.now(UTC) - fetched > self.max_age:
            return None
        return int(row[0]), row[1], row[2], str(row[3])

    def put(
        self,
        request_url: str,
        status: int,
        final_url: str | None,
        content_type: str | None,
        body: str,
    ) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO archive_answers VALUES (?, ?, ?, ?, ?, ?)",
            (request_url, status, final_url, content_type, body, datetime.now(UTC).isoformat()),
        )
        self._db.commit()

    def close(self) -> None:
        self._db.close()


# --- the client --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Answer:
    status: int
    final_url: str | None
    content_type: str | None
    body: str


class _Refused(Exception):
    """The archive refused or could not be reached; the message is the skip reason."""


class ArchiveClient:
    """Looks up, chooses and verifies snapshots on one Wayback-compatible endpoint.

    Every failure of the archive becomes an `ArchiveSkipped` value; after an
    endpoint keeps refusing (429 after backing off) or is unreachable twice, the
    client stops asking it and skips the remaining lookups with the same reason.
    """

    def __init__(
        self,
        endpoint: str = DEFAULT_ENDPOINT,
        *,
        session: requests.Session | None = None,
        cache: ArchiveCache | None = None,
        limiter: RateLimiter | None = None,
        replay_limiter: RateLimiter | None = None,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.layout = layout_for(self.endpoint)
        import requests  # noqa: PLC0415

        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", USER_AGENT)
        self.cache = cache
        self.limiter = limiter or RateLimiter(API_REQUESTS_PER_MINUTE)
        self.replay_limiter = replay_limiter or RateLimiter(REPLAY_REQUESTS_PER_MINUTE)
        self.timeout = timeout
        self.sleep = sleep
        self.gave_up: str | None = None
        self._failures = 0

    def find_snapshot(self, url: str, cited_on: str | None) -> ArchiveResult:
        """The best verified snapshot of `url` for a citation dated `cited_on` (ISO)."""
        if self.gave_up is not None:
            return ArchiveSkipped(url, self.gave_up)
        try:
            order, via = self._candidates(url, cited_on)
            if not order:
                return ArchiveMissing(url, "no capture with status 200 in the archive")
            refused: list[str] = []
            for capture in order[:SNAPSHOTS_TO_VERIFY]:
                reason = judge_snapshot(capture.original, self._fetch_raw(capture))
                if reason is None:
                    cutoff = wayback_timestamp(cited_on) if cited_on else None
                    return ArchiveFound(
                        url=url,
                        snapshot_url=capture.snapshot_url,
                        timestamp=capture.timestamp,
                        via=via,
                        cited_on=cited_on,
                        before_citation=cutoff is not None and capture.timestamp <= cutoff,
                        refused=tuple(refused),
                    )
                refused.append(f"{capture.snapshot_url}: {reason}")
            return ArchiveMissing(url, "every nearby snapshot is unusable", tuple(refused))
        except _Refused as refusal:
            return ArchiveSkipped(url, str(refusal))

    def _candidates(self, url: str, cited_on: str | None) -> tuple[list[Capture], Via]:
        """Captures in order of preference: CDX first, the availability API second."""
        target = wayback_timestamp(cited_on) if cited_on else None
        closest = target or datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        try:
            captures = self._cdx(url, closest)
            order = snapshot_order(captures, cited_on)
            before = bool(order) and target is not None and order[0].timestamp <= target
            if target is not None and not before and len(captures) >= CDX_LIMIT:
                # Every capture close to the date is after it; ask for the last one before.
                order = snapshot_order([*captures, *self._cdx(url, closest, upto=True)], cited_on)
            if order:
                return order, "cdx"
        except ArchiveFormatError:
            pass  # a server without a usable CDX API: the availability API may still answer
        try:
            capture = self._availability(url, closest)
        except ArchiveFormatError as error:
            raise _Refused(f"archive answered in an unknown form: {error}") from None
        return snapshot_order([capture] if capture else [], cited_on), "availability"

    def _cdx(self, url: str, closest: str, *, upto: bool = False) -> list[Capture]:
        layout = self.layout
        params = {"url": url, "output": "json"}
        if layout.pywb:
            params["filter"] = "=status:200"
        else:
            params |= {"fl": "timestamp,original,statuscode", "filter": "statuscode:200"}
        if upto and layout.pywb:
            params |= {"to": closest, "sort": "reverse", "limit": "1"}
        elif upto:
            params |= {"to": closest, "limit": "-1"}
        else:
            params |= {"sort": "closest", "closest": closest, "limit": str(CDX_LIMIT)}
        answer = self._get(f"{layout.cdx}?{urlencode(params)}", "api")
        if answer.status != 200:
            raise ArchiveFormatError(f"CDX API answered {answer.status}")
        return parse_cdx_json(answer.body, layout.replay)

    def _availability(self, url: str, timestamp: str) -> Capture | None:
        if self.layout.availability is None:
            return None
        query = urlencode({"url": url, "timestamp": timestamp})
        answer = self._get(f"{self.layout.availability}?{query}", "api")
        if answer.status != 200:
            raise ArchiveFormatError(f"availability API answered {answer.status}")
        return parse_availability_json(answer.body)

    def _fetch_raw(self, capture: Capture) -> Observation:
        raw = raw_snapshot_url(capture.snapshot_url)
        answer = self._get(raw, "replay")
        checked_at = datetime.now(UTC).isoformat(timespec="seconds")
        title = TITLE.search(answer.body[:65536])
        return Observation(
            url=raw,
            checked_at=checked_at,
            status=answer.status,
            final_url=answer.final_url,
            content_type=answer.content_type,
            title=title.group(1).strip() if title else None,
            body_excerpt=answer.body[:4096],
        )

    def _get(self, request_url: str, pool: str) -> _Answer:
        """GET through the cache, the rate limiter and 429 back-off; refusals raise _Refused."""
        import requests  # noqa: PLC0415

        if self.cache is not None:
            cached = self.cache.get(request_url)
            if cached is not None:
                return _Answer(*cached)
        limiter = self.limiter if pool == "api" else self.replay_limiter
        key = f"{self.endpoint} {pool}"
        for attempt in range(2):
            limiter.wait(key)
            try:
                response = self.session.get(request_url, timeout=self.timeout, stream=True)
            except requests.RequestException as error:
                self._failures += 1
                reason = f"archive unreachable ({type(error).__name__})"
                if self._failures >= FAILURES_BEFORE_GIVING_UP:
                    self.gave_up = f"{reason}; further archive lookups skipped"
                raise _Refused(self.gave_up or reason) from None
            self._failures = 0
            if response.status_code == 429:
                wait = min(_retry_after(response.headers.get("Retry-After")), MAX_BACKOFF_SECONDS)
                limiter.hold(key, wait)
                if attempt == 0:
                    continue
                self.gave_up = "archive rate limit (429) persisted after backing off"
                raise _Refused(self.gave_up)
            answer = _Answer(
                status=response.status_code,
                final_url=response.url,
                content_type=response.headers.get("Content-Type"),
                body=_text_of(response),
            )
            if self.cache is not None and response.status_code < 500:
                self.cache.put(request_url, *_answer_fields(answer))
            return answer
        raise _Refused("archive rate limit (429)")  # pragma: no cover - loop always returns


def _answer_fields(answer: _Answer) -> tuple[int, str | None, str | None, str]:
    return answer.status, answer.final_url, answer.content_type, answer.body


def _retry_after(value: str | None) -> float:
    """Seconds to wait from a Retry-After header (seconds form); a minute when absent."""
    if value and value.strip().isdigit():
        return float(value.strip())
    return 60.0


def _text_of(response: requests.Response, limit: int = 262144) -> str:
    """The start of a text answer (JSON, HTML), read no further than `limit` bytes.

    Binary bodies (an archived PDF) are not read at all: their status is what counts.
    """
    content_type = (response.headers.get("Content-Type") or "").lower()
    if content_type and not any(t in content_type for t in ("json", "text", "html", "xml")):
        response.close()
        return ""
    data = b""
    for chunk in response.iter_content(65536):
        data += chunk
        if len(data) >= limit:
            break
    response.close()
    return data[:limit].decode(response.encoding or "utf-8", errors="replace")


def find_snapshots(
    client: ArchiveClient, wanted: Sequence[tuple[str, Iterable[str]]]
) -> list[ArchiveResult]:
    """Look up each (url, citation dates) pair in turn; never raises for archive trouble."""
    return [client.find_snapshot(url, citation_date(dates)) for url, dates in wanted]
