"""A fake Wayback Machine: the CDX and availability APIs in their documented JSON forms,
and raw (`id_`) replays, over a table of captures. Used through `responses` and behind a
real local HTTP server (127.0.0.1) by tests/judge/test_archive.py.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

REPLAY = re.compile(r"^/web/(\d{14})(id_)?/(.+)$")


@dataclass(frozen=True)
class FakeCapture:
    timestamp: str
    status: int = 200
    body: str = "<html><head><title>Archived document</title></head><body>text</body></html>"


def _seconds(timestamp: str) -> float:
    padded = (timestamp + "00000101000000"[len(timestamp) :])[:14]
    return datetime.strptime(padded, "%Y%m%d%H%M%S").timestamp()


def _upper(timestamp: str) -> str:
    return (timestamp + "1231235959"[max(0, len(timestamp) - 4) :])[:14]


@dataclass
class FakeWayback:
    """Answers Wayback requests for `captures` (original URL → captures); counts requests."""

    base: str
    captures: Mapping[str, list[FakeCapture]]
    throttle: int = 0
    requests: list[str] = field(default_factory=list)

    def answer(self, path_and_query: str) -> tuple[int, dict[str, str], str]:
        self.requests.append(path_and_query)
        if self.throttle > 0:
            self.throttle -= 1
            return 429, {"Retry-After": "3", "Content-Type": "text/plain"}, "Too Many Requests"
        parts = urlsplit(path_and_query)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        if parts.path == "/cdx/search/cdx":
            return 200, {"Content-Type": "application/json"}, self._cdx(query)
        if parts.path == "/wayback/available":
            return 200, {"Content-Type": "application/json"}, self._available(query)
        replay = REPLAY.match(path_and_query)
        if replay:
            return self._replay(replay.group(1), replay.group(3))
        return 404, {"Content-Type": "text/plain"}, "not found"

    def _listed(self, url: str) -> list[FakeCapture]:
        return sorted(self.captures.get(url, []), key=lambda c: c.timestamp)

    def _cdx(self, query: dict[str, str]) -> str:
        rows = self._listed(query["url"])
        if query.get("filter") == "statuscode:200":
            rows = [c for c in rows if c.status == 200]
        if "to" in query:
            rows = [c for c in rows if c.timestamp <= _upper(query["to"])]
        if query.get("sort") == "closest" and "closest" in query:
            target = _seconds(query["closest"])
            rows.sort(key=lambda c: abs(_seconds(c.timestamp) - target))
        limit = int(query.get("limit", "0") or 0)
        if limit > 0:
            rows = rows[:limit]
        elif limit < 0:
            rows = rows[limit:]
        table = [["timestamp", "original", "statuscode"]]
        table += [[c.timestamp, query["url"], str(c.status)] for c in rows]
        return json.dumps(table) if rows else "[]"

    def _available(self, query: dict[str, str]) -> str:
        rows = [c for c in self._listed(query["url"]) if c.status == 200]
        if not rows:
            return json.dumps({"url": query["url"], "archived_snapshots": {}})
        target = _seconds(query.get("timestamp", "20991231"))
        best = min(rows, key=lambda c: abs(_seconds(c.timestamp) - target))
        closest = {
            "status": "200",
            "available": True,
            "url": f"{self.base}/web/{best.timestamp}/{query['url']}",
            "timestamp": best.timestamp,
        }
        return json.dumps({"url": query["url"], "archived_snapshots": {"closest": closest}})

    def _replay(self, timestamp: str, original: str) -> tuple[int, dict[str, str], str]:
        for capture in self._listed(original):
            if capture.timestamp == timestamp:
                return capture.status, {"Content-Type": "text/html; charset=utf-8"}, capture.body
        return 404, {"Content-Type": "text/plain"}, "no such capture"


@contextmanager
def serving(captures: Mapping[str, list[FakeCapture]]) -> Iterator[FakeWayback]:
    """Run a FakeWayback on a real HTTP server bound to 127.0.0.1 (a free port)."""
    fake = FakeWayback(base="", captures=captures)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, headers, body = fake.answer(self.path)
            data = body.encode("utf-8")
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
