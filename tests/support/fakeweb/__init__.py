"""A real, misbehaving web on 127.0.0.x for integration tests and the bench.

`FakeWeb` runs asyncio HTTP/1.1 servers in a background thread, one per fake
host, each on its own loopback address. Hosts have route tables of handler
callables, so any test module can register the pages it needs (site rules,
an archive API) without touching this file:

    with FakeWeb() as web:
        site = web.add_host("www.example.test")
        site.route("/gone", lambda request: page("Gone", status=410))
        prober = Prober(settings, resolver=web.resolver())
        ... probe site.url("/gone") ...

Names resolve only through `web.resolver()` (unknown names fail like NXDOMAIN),
which also maps a name's default port to the host's real port, so URLs look
like the real ones (`http://www.example.test/gone`). Clients that resolve names
themselves (requests) can reach fake hosts by name through `web.proxies()`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import socket
import ssl
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

import pytest
from aiohttp.abc import AbstractResolver, ResolveResult

from citecheck.probe import fetch


@dataclass(frozen=True)
class FakeRequest:
    method: str
    path: str
    headers: dict[str, str]
    host: str


BodyStream = Callable[[], AsyncIterator[bytes]]


@dataclass(frozen=True)
class FakeResponse:
    """What a fake host does: answer (after `delay`), send `raw` bytes, or hang up."""

    status: int = 200
    body: bytes | BodyStream = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    raw: bytes | None = None
    hang_up: bool = False
    reason: str = "Whatever"


Handler = Callable[[FakeRequest], FakeResponse | Awaitable[FakeResponse]]


def page(title: str, text: str = "", status: int = 200, delay: float = 0.0) -> FakeResponse:
    """An HTML page with a title and a paragraph."""
    html = (
        f"<!doctype html><html><head><title>{title}</title></head><body><p>{text}</p></body></html>"
    )
    return FakeResponse(status=status, body=html.encode(), delay=delay)


def redirect(location: str, status: int = 301) -> FakeResponse:
    return FakeResponse(status=status, headers=(("Location", location),), body=b"moved")


def sequence(*responses: FakeResponse) -> Handler:
    """A handler answering each response in turn, then repeating the last one."""
    remaining = list(responses)

    def handler(request: FakeRequest) -> FakeResponse:
        return remaining.pop(0) if len(remaining) > 1 else remaining[0]

    return handler


def endless_body() -> AsyncIterator[bytes]:
    """A body that never ends (the server stops when the client hangs up)."""

    async def chunks() -> AsyncIterator[bytes]:
        block = b"<p>" + b"all work and no play " * 3000 + b"</p>"
        yield b"<html><head><title>Endless</title></head><body>"
        while True:
            yield block
            await asyncio.sleep(0)

    return chunks()


@dataclass
class FakeHost:
    """One fake server: a name, its loopback address and port, and its routes."""

    name: str
    ip: str
    port: int = 0
    routes: dict[str, Handler] = field(default_factory=dict)
    listening: bool = True
    tls: ssl.SSLContext | None = None

    def route(self, path: str, handler: Handler | FakeResponse) -> None:
        """Serve `path` (with its query, if any) with a handler or a fixed response."""
        if isinstance(handler, FakeResponse):
            fixed = handler
            self.routes[path] = lambda request: fixed
        else:
            self.routes[path] = handler

    @property
    def scheme(self) -> str:
        return "https" if self.tls is not None else "http"

    def url(self, path: str = "/") -> str:
        """The URL by name (resolve it with `FakeWeb.resolver()`)."""
        return f"{self.scheme}://{self.name}{path}"

    def address_url(self, path: str = "/") -> str:
        """The URL by address and port (needs no resolver)."""
        return f"{self.scheme}://{self.ip}:{self.port}{path}"


@dataclass(frozen=True)
class LoggedRequest:
    host: str
    method: str
    path: str
    user_agent: str


_addresses = itertools.count(2)
_UNKNOWN_HOST = FakeHost(
    name="(unknown)",
    ip="0.0.0.0",
    routes={"*": lambda request: FakeResponse(status=502, body=b"no such fake host")},
)


class FakeWeb:
    """Fake hosts served from a background thread; use as a context manager."""

    def __init__(self) -> None:
        self.hosts: dict[str, FakeHost] = {}
        self.requests: list[LoggedRequest] = []
        self.open_connections = 0
        self.in_flight: dict[str, int] = {}
        self.most_in_flight: dict[str, int] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._servers: list[asyncio.Server] = []
        self._lock = threading.Lock()

    def add_host(
        self, name: str | None = None, ip: str | None = None, tls: ssl.SSLContext | None = None
    ) -> FakeHost:
        """Register and (if running) start a host on the next free 127.0.0.x address;
        with `tls`, it speaks HTTPS with that server context."""
        number = next(_addresses)
        address = ip or f"127.0.{number // 250}.{number % 250 + 2}"
        host = FakeHost(name=name or address, ip=address, tls=tls)
        self.hosts[host.name] = host
        if self._loop is not None:
            asyncio.run_coroutine_threadsafe(self._serve(host), self._loop).result(5)
        return host

    def add_closed_host(self, name: str) -> FakeHost:
        """A name whose address refuses connections (a port nobody listens on)."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        host = FakeHost(name=name, ip="127.0.0.1", port=port, listening=False)
        self.hosts[name] = host
        return host

    def resolver(self) -> FakeResolver:
        return FakeResolver(self)

    def proxies(self) -> dict[str, str]:
        """A `requests` proxies mapping that sends plain-http requests for any fake host's
        name (`http://archive.test/...`) to that host, for clients that resolve names
        themselves. Every fake host also serves as this proxy; the first is used."""
        first = next(h for h in self.hosts.values() if h.listening and h.tls is None)
        return {"http": f"http://{first.ip}:{first.port}"}

    def start(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        started = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.call_soon(started.set)
            loop.run_forever()

        self._thread = threading.Thread(target=run, name="fakeweb", daemon=True)
        self._thread.start()
        started.wait(5)
        for host in list(self.hosts.values()):
            if host.listening:
                asyncio.run_coroutine_threadsafe(self._serve(host), loop).result(5)

    def stop(self) -> None:
        loop = self._loop
        if loop is None:
            return

        async def shutdown() -> None:
            for server in self._servers:
                server.close()
            others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in others:
                task.cancel()
            await asyncio.gather(*others, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(shutdown(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(5)
        loop.close()
        self._loop = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def requests_to(self, host: FakeHost) -> list[LoggedRequest]:
        with self._lock:
            return [r for r in self.requests if r.host == host.name]

    async def _serve(self, host: FakeHost) -> None:
        async def on_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._connection(host, reader, writer)

        server = await asyncio.start_server(
            on_connection, host.ip, host.port or 0, backlog=512, ssl=host.tls
        )
        host.port = server.sockets[0].getsockname()[1]
        self._servers.append(server)

    async def _connection(
        self, host: FakeHost, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.open_connections += 1
        try:
            while await self._one_exchange(host, reader, writer):
                pass
        except (
            ConnectionError,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            ssl.SSLError,
        ):
            pass
        finally:
            self.open_connections -= 1
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _one_exchange(
        self,
        host: FakeHost,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        head: bytes | None = None,
    ) -> bool:
        """Serve one request (its `head` already read, if given); True to keep the
        connection open for the next."""
        if head is None:
            head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if ":" in line:
                key, _, value = line.partition(":")
                headers[key.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0") or 0)
        if length:
            await reader.readexactly(length)
        if target.startswith("http://"):  # absolute form: we are used as a proxy
            named, target = _split_absolute(target)
            host = self.hosts.get(named, _UNKNOWN_HOST)
        request = FakeRequest(method=method, path=target, headers=headers, host=host.name)
        with self._lock:
            self.requests.append(
                LoggedRequest(host.name, method, target, headers.get("user-agent", ""))
            )
        handler = host.routes.get(target) or host.routes.get(target.split("?", 1)[0])
        if handler is None:
            handler = host.routes.get("*", _not_found)
        outcome = handler(request)
        response = await outcome if isinstance(outcome, Awaitable) else outcome
        if response.delay:
            busy = self.in_flight[host.name] = self.in_flight.get(host.name, 0) + 1
            self.most_in_flight[host.name] = max(busy, self.most_in_flight.get(host.name, 0))
            try:
                await asyncio.sleep(response.delay)
            finally:
                self.in_flight[host.name] -= 1
        if response.hang_up:
            return False
        if response.raw is not None:
            writer.write(response.raw)
            await writer.drain()
            return False
        streaming = not isinstance(response.body, bytes)
        head_lines = [f"HTTP/1.1 {response.status} {response.reason}"]
        if response.content_type:
            head_lines.append(f"Content-Type: {response.content_type}")
        head_lines.extend(f"{k}: {v}" for k, v in response.headers)
        if isinstance(response.body, bytes):
            head_lines.append(f"Content-Length: {len(response.body)}")
        else:
            head_lines.append("Connection: close")
        head = ("\r\n".join(head_lines) + "\r\n\r\n").encode("latin-1")
        if method == "HEAD":
            writer.write(head)
            await writer.drain()
            return not streaming
        if isinstance(response.body, bytes):
            writer.write(head + response.body)  # one segment, as a real server would send it
            await writer.drain()
            return headers.get("connection", "").lower() != "close"
        writer.write(head)
        async for chunk in response.body():
            writer.write(chunk)
            await writer.drain()
        return False


def _split_absolute(target: str) -> tuple[str, str]:
    """`http://name:port/path?q` → (`name`, `/path?q`)."""
    rest = target.removeprefix("http://")
    authority, slash, path = rest.partition("/")
    return authority.rsplit(":", 1)[0].lower(), slash + path


def _not_found(request: FakeRequest) -> FakeResponse:
    return page("Not Found", "No such page", status=404)


class FakeResolver(AbstractResolver):
    """Names of the fake web → their loopback address and real port; others fail as NXDOMAIN."""

    def __init__(self, web: FakeWeb) -> None:
        self.web = web

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        fake = self.web.hosts.get(host.lower())
        if fake is None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            ResolveResult(
                hostname=host,
                host=fake.ip,
                port=fake.port,
                family=socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
        ]

    async def close(self) -> None:
        return None


@pytest.fixture
def no_real_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Trip any test that would reach past the loopback web: the offline canary, or a
    system lookup of a name other than localhost."""

    async def refuse_canary(timeout: float = 3.0) -> bool:
        raise AssertionError("a test asked the real network's canary")

    original = fetch.SystemResolver.resolve

    async def loopback_only(
        self: fetch.SystemResolver,
        host: str,
        port: int = 0,
        family: socket.AddressFamily = socket.AF_INET,
    ) -> list[ResolveResult]:
        if host != "localhost":
            raise AssertionError(f"a test looked up a real name: {host}")
        return await original(self, host, port, family)

    monkeypatch.setattr(fetch, "default_canary", refuse_canary)
    monkeypatch.setattr(fetch.SystemResolver, "resolve", loopback_only)
