"""TCP_QUICKACK: the prober acknowledges at once, so a Nagle server's body is not held back."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from citecheck.probe import quickack
from citecheck.probe.links import Link
from citecheck.probe.observation import ProbeSettings
from citecheck.probe.quickack import QUICKACK, QuickAckHandler, quick_ack_connector
from citecheck.probe.run import run_probes

linux_only = pytest.mark.skipif(QUICKACK is None, reason="TCP_QUICKACK is Linux-only")
REQUESTS = 30


class SpySocket:
    family = socket.AF_INET

    def __init__(self) -> None:
        self.options: list[tuple[int, int, int]] = []

    def setsockopt(self, level: int, name: int, value: int) -> None:
        self.options.append((level, name, value))


class SpyTransport(asyncio.Transport):
    def __init__(self, sock: SpySocket) -> None:
        super().__init__()
        self.sock = sock

    def get_extra_info(self, name: str, default: object = None) -> object:
        return self.sock if name == "socket" else default


@linux_only
def test_every_arrival_asks_for_an_immediate_ack() -> None:
    loop = asyncio.new_event_loop()
    try:
        handler = QuickAckHandler(loop=loop)
        spy = SpySocket()
        handler.connection_made(SpyTransport(spy))
        spy.options.clear()  # aiohttp's own TCP_NODELAY at connection_made
        handler.data_received(b"HTTP/1.1 200 OK\r\n")
        handler.data_received(b"Content-Length: 0\r\n\r\n")
    finally:
        loop.close()
    assert spy.options == [(socket.IPPROTO_TCP, QUICKACK, 1)] * 2


def test_the_connector_uses_the_handler_where_the_platform_has_quickack() -> None:
    async def made() -> object:
        connector = quick_ack_connector(limit=0)
        try:
            return connector._factory()
        finally:
            await connector.close()

    handler = asyncio.run(made())
    assert isinstance(handler, QuickAckHandler) == (QUICKACK is not None)


@contextlib.contextmanager
def nagle_server() -> Iterator[str]:
    """A keep-alive server like http.server: Nagle on, headers and body in two sends."""
    listener = socket.create_server(("127.0.0.1", 0))
    body = b"<html><head><title>Page</title></head><body>x</body></html>"
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(body)

    def serve(connection: socket.socket) -> None:
        with connection:
            buffer = b""
            while True:
                while b"\r\n\r\n" not in buffer:
                    chunk = connection.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                buffer = buffer.split(b"\r\n\r\n", 1)[1]
                connection.sendall(head)
                connection.sendall(body)

    def accept() -> None:
        with contextlib.suppress(OSError):
            while True:
                connection, _ = listener.accept()
                threading.Thread(target=serve, args=(connection,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()


def sequential_probes(base: str, tag: str) -> float:
    """Seconds for REQUESTS probes one after another over one keep-alive connection."""
    links = [Link(url=f"{base}/{tag}/{n}", normalized_url=f"{base}/{tag}/{n}") for n in range(30)]
    settings = ProbeSettings(concurrency=1, per_host=1, allow_private=True)
    started = time.perf_counter()
    run = run_probes(links, settings)
    elapsed = time.perf_counter() - started
    assert [o.status for o in run.observations.values()] == [200] * REQUESTS
    return elapsed


@linux_only
def test_a_nagle_server_answers_without_the_delayed_ack_wait(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without the flag each reused-connection request waits for the kernel's delayed ACK
    (at least 40 ms on Linux, so at least 1.1 s for 29 of them); with it, far less."""
    with nagle_server() as base:
        fast = sequential_probes(base, "quick")
        monkeypatch.setattr(quickack, "QUICKACK", None)
        slow = sequential_probes(base, "delayed")
    assert slow > 1.0
    assert fast < slow / 2
