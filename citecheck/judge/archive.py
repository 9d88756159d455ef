"""The archive pass: a Wayback Machine snapshot from when the author cited a link.

Runs over links already judged dead, soft-404, error or timeout (or over all links
with `--archive all`). The chosen snapshot is the latest capture with status 200
on or before the citation's date (its access date if stated, else its publication
date), otherwise the earliest capture after it; and it must not itself be an
archived not-found page, judged by the same site rules as live pages.

The archive's documented interfaces (looked up 2026-11-22 with the search tool):

- CDX server (internetarchive/wayback, wayback-cdx-server/README.md):
  `GET /cdx/search/cdx?url=…&output=json&fl=timestamp,original,statuscode
  &filter=statuscode:200&limit=N`; `to=`/`from=` take 1–14 digit timestamps, padded;
  `limit=-N` gives the last N. JSON output is a list of rows whose first row names the
  fields. Closeness ordering is `sort=closest&closest=<timestamp>` (pywb's CDX server
  API documentation, webrecorder/pywb docs/manual/cdxserver_api.rst).
- Availability API (archive.org/help/wayback_api.php): `GET /wayback/available?url=…
  &timestamp=YYYYMMDDhhmmss` answers `{"archived_snapshots": {"closest": {"available":
  true, "url": "http://web.archive.org/web/<ts>/<url>", "timestamp": "<ts>", "status":
  "200"}}}`, or `{"archived_snapshots": {}}` when nothing is archived.
- Raw replays: `/web/<timestamp>id_/<url>` returns the archived bytes without the
  Wayback banner or rewritten links.
- Limits: the CDX and timemap pool is limited to about 60 requests a minute per IP
  averaged over 5 minutes according to IA staff in 2023 (edgi-govdata-archiving/wayback
  #153), reduced to a hard 24 a minute by 2026 (wayback v0.5.1 release notes); 429s
  that are ignored for a minute get the IP blocked for an hour (same project, #137).
  We stay at 20 a minute for the APIs, back off on 429 as told by `Retry-After`, and
  stop asking an endpoint that keeps refusing, reporting the rest as skipped.

`--archive-endpoint` points every request (both APIs and the replays) at another
Wayback-compatible server (the Internet Archive's layout, or a pywb collection: see
`layout_for`); snapshot URLs from the availability API are kept exactly as returned.
"""

from __future__ import annotations

import calendar
import ipaddress
import json
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlencode, urlsplit

from citecheck.judge.sites import rule_for
from citecheck.judge.sites.rule import not_found_page
from citecheck.judge.verdicts import LinkVerdict
from citecheck.probe.cache import DATABASE_NAME
from citecheck.probe.links import Link, normalize_url
from citecheck.probe.observation import Observation

# requests is loaded by the client that uses it, and the citation types are annotations only:
# every `citecheck check` imports this module, most never look anything up.
if TYPE_CHECKING:
    import requests

    from citecheck.cite.citation import Citation, CitedDocument

DEFAULT_ENDPOINT = "https://web.archive.org"
# The archive table lives in the prober's cache database (citecheck/probe/cache.py).
DEFAULT_CACHE_DIR = Path("cache")
API_REQUESTS_PER_MINUTE = 20.0
REPLAY_REQUESTS_PER_MINUTE = 30.0
CDX_LIMIT = 25
SNAPSHOTS_TO_VERIFY = 3
MAX_BACKOFF_SECONDS = 120.0
FAILURES_BEFORE_GIVING_UP = 2
USER_AGENT = "citecheck (reference checker; archive lookups)"

ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
SNAPSHOT_PATH = re.compile(r"/(\d{14})(?:[a-z]{2}_)?/(.+)$")
TITLE = re.compile(r"<title[^>]*>([^<]{0,500})</title>", re.IGNORECASE)

Via = Literal["cdx", "availability"]


@dataclass(frozen=True)
class Capture:
    """One archived capture: its 14-digit timestamp, the URL captured, and its replay URL."""

    timestamp: str
    original: str
    status: int | None
    snapshot_url: str


@dataclass(frozen=True)
class ArchiveFound:
    """A verified snapshot; `before_citation` says whether it predates the citation date."""

    url: str
    snapshot_url: str
    timestamp: str
    via: Via
    cited_on: str | None
    before_citation: bool
    refused: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArchiveMissing:
    """The archive answered, but holds no usable snapshot of the link."""

    url: str
    reason: str
    refused: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArchiveSkipped:
    """The lookup was not done (archive unreachable, rate-limited, or answering nonsense)."""

    url: str
    reason: str


ArchiveResult = ArchiveFound | ArchiveMissing | ArchiveSkipped


# --- pure functions: dates, choice, parsing ------------------------------------------


def wayback_timestamp(iso_date: str) -> str | None:
    """The last second of the period an ISO date names, as a 14-digit Wayback timestamp.

    `2015-07-22` → `20150722235959`, `2015-07` → `20150731235959`, `2015` →
    `20151231235959`: a citation dated only by month or year may have been made
    at any time in it, so every capture up to its end counts as "on or before".
    A biblatex range (`2002-05-29/2002-05-30`) counts to the end of its last day.
    """
    ends = [part.strip() for part in iso_date.split("/") if part.strip() not in ("", "..")]
    match = ISO_DATE.match(ends[-1]) if ends else None
    if match is None:
        return None
    year = int(match.group(1))
    month = int(match.group(2) or 12)
    if not 1 <= month <= 12:
        return None
    last_day = calendar.monthrange(year, month)[1]
    day = int(match.group(3) or last_day)
    if not 1 <= day <= last_day:
        return None
    return f"{year:04d}{month:02d}{day:02d}235959"


def citation_date(dates: Iterable[str]) -> str | None:
    """The date to pick a snapshot for: the latest parseable one of a link's citation dates.

    A link's dates hold each citing work's access date and publication date; the access
    date, where stated, is the later one, and so wins (issue 5: access date if stated,
    else publication date). Among several citing works the latest citation is served.
    """
    valid = [d for d in dates if wayback_timestamp(d) is not None]
    return max(valid, key=_period_start) if valid else None


def _period_start(iso_date: str) -> str:
    """Where the period an ISO date names begins (`2015` → `20150101`), for ordering:
    `2015-06-01` is later than `2015`, though `2015` reaches further."""
    match = ISO_DATE.match(iso_date.strip())
    if match is None:
        return ""
    return f"{match.group(1)}{match.group(2) or '01'}{match.group(3) or '01'}"


def cited_on_of(fields: Mapping[str, str]) -> str | None:
    """A citation's date for the archive: its access date (`urldate`) if stated, else `date`."""
    for name in ("urldate", "date"):
        value = fields.get(name)
        if value and wayback_timestamp(value) is not None:
            return value
    return None


def snapshot_order(captures: Iterable[Capture], cited_on: str | None) -> list[Capture]:
    """Status-200 captures in order of preference for a citation dated `cited_on`.

    First the captures on or before the citation date, latest first; then those
    after it, earliest first. Without a date, the latest capture comes first.
    """
    usable = {c.timestamp: c for c in captures if c.status in (200, None)}
    ordered = sorted(usable.values(), key=lambda c: c.timestamp)
    cutoff = wayback_timestamp(cited_on) if cited_on else None
    if cutoff is None:
        return list(reversed(ordered))
    before = [c for c in ordered if c.timestamp <= cutoff]
    after = [c for c in ordered if c.timestamp > cutoff]
    return list(reversed(before)) + after


def choose_snapshot(captures: Iterable[Capture], cited_on: str | None) -> Capture | None:
    """The latest status-200 capture on or before `cited_on`, else the earliest after it."""
    order = snapshot_order(captures, cited_on)
    return order[0] if order else None


@dataclass(frozen=True)
class WaybackLayout:
    """Where a Wayback-compatible server keeps its CDX API, availability API and replays."""

    cdx: str
    availability: str | None
    replay: str
    pywb: bool = False


def layout_for(endpoint: str) -> WaybackLayout:
    """The layout of `--archive-endpoint`: a bare server has the Internet Archive's paths
    (`/cdx/search/cdx`, `/wayback/available`, `/web/<ts>/<url>`); an endpoint with a path
    is a pywb collection (`/<coll>/cdx` answering NDJSON, replays at `/<coll>/<ts>/<url>`,
    no availability API; pywb docs/manual/cdxserver_api.rst)."""
    base = endpoint.rstrip("/")
    if not urlsplit(base).path.strip("/"):
        return WaybackLayout(f"{base}/cdx/search/cdx", f"{base}/wayback/available", f"{base}/web")
    return WaybackLayout(f"{base}/cdx", None, base, pywb=True)


def replay_url(prefix: str, timestamp: str, original: str) -> str:
    """The replay URL of a capture under a layout's replay prefix (`…/web`, `…/<coll>`)."""
    return f"{prefix.rstrip('/')}/{timestamp}/{original}"


def raw_snapshot_url(snapshot_url: str) -> str:
    """The same snapshot with the `id_` flag: archived bytes, no banner, no rewriting."""
    return SNAPSHOT_PATH.sub(lambda m: f"/{m.group(1)}id_/{m.group(2)}", snapshot_url, count=1)


def original_of(snapshot_url: str) -> str | None:
    """The archived URL inside a replay URL (`…/web/<ts>[xx_]/<original>`)."""
    match = SNAPSHOT_PATH.search(snapshot_url)
    return match.group(2) if match else None


class ArchiveFormatError(ValueError):
    """An archive answer that is not in the documented form."""


def parse_cdx_json(text: str, replay_prefix: str) -> list[Capture]:
    """Captures from a CDX JSON answer: the Internet Archive's table (a header row naming
    the fields, then rows) or pywb's NDJSON (one object per line)."""
    if not text.strip():
        return []
    if text.lstrip().startswith("{"):
        return _parse_cdx_ndjson(text, replay_prefix)
    try:
        rows = json.loads(text)
    except json.JSONDecodeError as error:
        raise ArchiveFormatError(f"CDX answer is not JSON ({error.msg})") from None
    if not isinstance(rows, list) or not rows:
        return []
    header = rows[0]
    if not isinstance(header, list) or "timestamp" not in header or "original" not in header:
        raise ArchiveFormatError("CDX answer has no header row naming timestamp and original")
    at = {name: index for index, name in enumerate(header)}
    captures = []
    for row in rows[1:]:
        if not isinstance(row, list) or len(row) < len(header):
            continue  # the blank row before a resume key, or a short row
        status = str(row[at["statuscode"]]) if "statuscode" in at else ""
        capture = _capture(
            str(row[at["timestamp"]]), str(row[at["original"]]), status, replay_prefix
        )
        if capture is not None:
            captures.append(capture)
    return captures


def _parse_cdx_ndjson(text: str, replay_prefix: str) -> list[Capture]:
    captures = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise ArchiveFormatError(f"CDX line is not JSON ({error.msg})") from None
        if not isinstance(row, dict):
            raise ArchiveFormatError("CDX line is not a JSON object")
        original = row.get("url", row.get("original", ""))
        status = row.get("status", row.get("statuscode", ""))
        capture = _capture(str(row.get("timestamp", "")), str(original), str(status), replay_prefix)
        if capture is not None:
            captures.append(capture)
    return captures


def _capture(timestamp: str, original: str, status: str, replay_prefix: str) -> Capture | None:
    if not re.fullmatch(r"\d{14}", timestamp) or not original:
        return None
    code = int(status) if status.isdigit() else None
    return Capture(timestamp, original, code, replay_url(replay_prefix, timestamp, original))


def parse_availability_json(text: str) -> Capture | None:
    """The closest capture from an availability answer, with its URL exactly as given."""
    try:
        answer = json.loads(text)
    except json.JSONDecodeError as error:
        raise ArchiveFormatError(f"availability answer is not JSON ({error.msg})") from None
    if not isinstance(answer, dict):
        raise ArchiveFormatError("availability answer is not a JSON object")
    snapshots = answer.get("archived_snapshots")
    closest = snapshots.get("closest") if isinstance(snapshots, dict) else None
    if not isinstance(closest, dict) or not closest.get("available", True):
        return None
    url, timestamp = closest.get("url"), str(closest.get("timestamp", ""))
    if not isinstance(url, str) or not re.fullmatch(r"\d{14}", timestamp):
        raise ArchiveFormatError("availability answer lacks a snapshot url or timestamp")
    status_text = str(closest.get("status", ""))
    status = int(status_text) if status_text.isdigit() else None
    return Capture(timestamp, original_of(url) or url, status, url)


def judge_snapshot(original: str, observation: Observation) -> str | None:
    """Why a fetched snapshot is not the cited document (None when it may be).

    The observation of the raw replay is re-expressed in terms of the original
    URL, so a site rule judges it exactly as it judges the live page.
    """
    if observation.error is not None:
        return f"snapshot could not be fetched ({observation.error})"
    if observation.status != 200:
        return f"snapshot answered {observation.status}"
    final_original = original_of(observation.final_url or "") or original
    as_live = Observation(
        url=original,
        checked_at=observation.checked_at,
        status=observation.status,
        final_url=final_original,
        content_type=observation.content_type,
        title=observation.title,
        body_excerpt=observation.body_excerpt,
    )
    rule = rule_for(original)
    reason = rule.soft_404_reason(as_live) if rule else not_found_page(as_live)
    return None if reason is None else f"archived soft 404: {reason}"


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


def archive_result_json(result: ArchiveResult) -> dict[str, object]:
    """The stable JSON shape of one archive lookup (keys documented in the README)."""
    if isinstance(result, ArchiveFound):
        return {
            "url": result.url,
            "result": "found",
            "archive_url": result.snapshot_url,
            "archive_timestamp": result.timestamp,
            "cited_on": result.cited_on,
            "before_citation": result.before_citation,
            "via": result.via,
            "refused": list(result.refused),
        }
    if isinstance(result, ArchiveMissing):
        return {
            "url": result.url,
            "result": "missing",
            "reason": result.reason,
            "refused": list(result.refused),
        }
    return {"url": result.url, "result": "skipped", "reason": result.reason}


# --- optional: Save Page Now, only with credentials -------------------------------------

SAVE_REQUESTS_PER_MINUTE = 4.0
SAVE_STATUS_POLLS = 12
SAVE_POLL_SECONDS = 10.0


@dataclass(frozen=True)
class SaveCredentials:
    """Internet Archive S3-style keys, read from IA_ACCESS_KEY and IA_SECRET_KEY."""

    access_key: str
    secret_key: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> SaveCredentials | None:
        access, secret = environ.get("IA_ACCESS_KEY", ""), environ.get("IA_SECRET_KEY", "")
        return cls(access, secret) if access and secret else None


@dataclass(frozen=True)
class SaveResult:
    """What Save Page Now did with one URL: saved (with the new snapshot), pending, or failed."""

    url: str
    outcome: Literal["saved", "pending", "failed"]
    snapshot_url: str | None = None
    timestamp: str | None = None
    reason: str | None = None


def save_page(
    client: ArchiveClient,
    url: str,
    credentials: SaveCredentials,
    *,
    limiter: RateLimiter | None = None,
) -> SaveResult:
    """Submit `url` to Save Page Now (`POST /save`) and poll `/save/status/<job>` politely.

    The documented SPN2 form (as used by public clients found via the code corpus):
    `Authorization: LOW <access>:<secret>`, `Accept: application/json`, form field
    `url`; the answer names a `job_id`; the status answer has `status` (pending,
    success, error), `timestamp` and `original_url` on success. Submissions are held
    to a few a minute, well under the archive's per-account limits.
    """
    import requests  # noqa: PLC0415

    headers = {
        "Authorization": f"LOW {credentials.access_key}:{credentials.secret_key}",
        "Accept": "application/json",
    }
    pacing = limiter or RateLimiter(SAVE_REQUESTS_PER_MINUTE, sleep=client.sleep)
    pacing.wait(f"{client.endpoint} save")
    try:
        submitted = client.session.post(
            f"{client.endpoint}/save", data={"url": url}, headers=headers, timeout=client.timeout
        )
        if submitted.status_code != 200:
            return SaveResult(
                url, "failed", reason=f"Save Page Now answered {submitted.status_code}"
            )
        job_id = submitted.json().get("job_id")
        if not isinstance(job_id, str) or not re.fullmatch(r"[A-Za-z0-9_-]+", job_id):
            return SaveResult(url, "failed", reason="Save Page Now gave no job id")
        for _ in range(SAVE_STATUS_POLLS):
            client.sleep(SAVE_POLL_SECONDS)
            status = client.session.get(
                f"{client.endpoint}/save/status/{job_id}", headers=headers, timeout=client.timeout
            ).json()
            state = status.get("status")
            if state == "success":
                timestamp = str(status.get("timestamp", ""))
                original = str(status.get("original_url") or url)
                return SaveResult(
                    url, "saved", replay_url(client.layout.replay, timestamp, original), timestamp
                )
            if state == "error":
                return SaveResult(url, "failed", reason=str(status.get("message") or "error"))
        return SaveResult(url, "pending", reason=f"job {job_id} still pending")
    except (requests.RequestException, ValueError, AttributeError) as error:
        return SaveResult(
            url, "failed", reason=f"Save Page Now unreachable ({type(error).__name__})"
        )


# --- the pass over verdicts ---------------------------------------------------------------

# Names that are never on the public web (RFC 2606/6761), so never in a public archive.
RESERVED_TLDS = frozenset({"test", "example", "invalid", "localhost", "local", "internal"})


def archivable(url: str) -> bool:
    """Whether a public archive can hold `url`: not a loopback/private address or a
    reserved name. Also keeps tests and benches on fake hosts away from the real archive."""
    try:
        host = (urlsplit(url if "://" in url else "http://" + url).hostname or "").lower()
    except ValueError:
        return False
    if not host or host == "localhost" or host.rsplit(".", 1)[-1] in RESERVED_TLDS:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True
    return address.is_global


ARCHIVE_VERDICTS = frozenset({"dead", "soft-404", "error", "timeout"})
ArchiveMode = Literal["failed", "all", "none"]


@dataclass(frozen=True)
class ArchivePass:
    """Verdicts with `archive_url`/`archive_timestamp` filled in, every lookup's result,
    and one warning per reason some lookups were skipped."""

    verdicts: tuple[LinkVerdict, ...]
    results: tuple[ArchiveResult, ...]
    warnings: tuple[str, ...]


def wants_lookup(verdict: LinkVerdict, mode: ArchiveMode) -> bool:
    """Whether the archive pass in `mode` looks up a snapshot for this verdict."""
    wanted = mode == "all" or (mode == "failed" and verdict.verdict in ARCHIVE_VERDICTS)
    return wanted and archivable(verdict.url)


def archive_pass(
    verdicts: Sequence[LinkVerdict],
    links: Sequence[Link],
    client: ArchiveClient,
    mode: ArchiveMode = "failed",
) -> ArchivePass:
    """Look up a dated snapshot for each failing link (every link with mode `all`).

    The date is the link's latest citation date (`Link.dates`: access date where
    stated, else publication date; see `citation_date`). Never raises for archive trouble: skipped
    lookups are counted in `warnings` and leave their verdicts without an archive URL.
    """
    if mode == "none":
        return ArchivePass(tuple(verdicts), (), ())
    dates = {link.normalized_url: link.dates for link in links}
    updated: list[LinkVerdict] = []
    results: list[ArchiveResult] = []
    for verdict in verdicts:
        if not wants_lookup(verdict, mode):
            updated.append(verdict)
            continue
        cited_on = citation_date(dates.get(verdict.normalized_url, ()))
        result = client.find_snapshot(verdict.url, cited_on)
        results.append(result)
        if isinstance(result, ArchiveFound):
            updated.append(
                replace(
                    verdict, archive_url=result.snapshot_url, archive_timestamp=result.timestamp
                )
            )
        else:
            updated.append(verdict)
    skipped: dict[str, int] = {}
    for result in results:
        if isinstance(result, ArchiveSkipped):
            reason = result.reason.removesuffix("; further archive lookups skipped")
            skipped[reason] = skipped.get(reason, 0) + 1
    warnings = tuple(
        f"archive lookup skipped for {count} link(s): {reason}" for reason, count in skipped.items()
    )
    return ArchivePass(tuple(updated), tuple(results), warnings)


# --- optional: archived copies in the bibliography ----------------------------------------


def archived_citations(
    cited: Sequence[CitedDocument], verdicts: Sequence[LinkVerdict]
) -> tuple[CitedDocument, ...]:
    """The citations with an `addendum` naming the archived copy of each failing link.

    For `extract --format bibtex --with-archive`: a work whose URL was judged dead,
    soft-404, error or timeout and has a snapshot gets `Archived copy: <snapshot URL>
    (captured YYYY-MM-DD)` (biblatex's general `addendum` field, which every entry type
    accepts), so authors can publish a link that still works. The URL and `urldate`
    stay as the author cited them.
    """
    archived = {
        v.normalized_url: v
        for v in verdicts
        if v.archive_url and v.archive_timestamp and v.verdict in ARCHIVE_VERDICTS
    }
    if not archived:
        return tuple(cited)

    def with_addendum(citation: Citation) -> Citation:
        notes: list[str] = []
        for url in citation.urls:
            verdict = archived.get(normalize_url(url))
            if verdict is not None and verdict.archive_timestamp and verdict.archive_url:
                stamp = verdict.archive_timestamp
                captured = f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}"
                notes.append(f"Archived copy: {verdict.archive_url} (captured {captured})")
        if not notes:
            return citation
        existing = citation.fields.get("addendum")
        fields = dict(citation.fields)
        fields["addendum"] = "; ".join(filter(None, [existing, *notes]))
        return replace(citation, fields=fields)

    return tuple(
        replace(
            document,
            notes=tuple(
                replace(note, citations=tuple(with_addendum(c) for c in note.citations))
                for note in document.notes
            ),
        )
        for document in cited
    )
