"""The Wayback Machine's side of the archive pass: pure functions and values, no I/O.

Timestamps, the choice of a snapshot for a citation's date, server layouts, parsing
of CDX and availability answers, and judging a fetched snapshot. The client that
asks the archive is `citecheck.judge.archiveclient`, the pass over verdicts
`citecheck.judge.archive`, Save Page Now `citecheck.judge.archivesave`.

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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from citecheck.probe.observation import Observation

DEFAULT_ENDPOINT = "https://web.archive.org"

ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
SNAPSHOT_PATH = re.compile(r"/(\d{14})(?:[a-z]{2}_)?/(.+)$")

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
    from citecheck.judge.sites import rule_for  # noqa: PLC0415 - only when verifying
    from citecheck.judge.sites.rule import not_found_page  # noqa: PLC0415

    rule = rule_for(original)
    reason = rule.soft_404_reason(as_live) if rule else not_found_page(as_live)
    return None if reason is None else f"archived soft 404: {reason}"


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


# --- which links an archive can hold ---------------------------------------------------

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
