"""Hostile servers: raw sockets that misbehave in ways an HTTP framework will not.

`HostileServer` listens on one loopback address and answers each path with a
*behaviour*: a coroutine that reads nothing more and writes whatever bytes it likes
(a reset mid-body, headers that never end, a gzip bomb, broken chunking, status lines
no RFC allows), or a TLS server with a self-signed certificate. `HostileResolver` maps
names to addresses without DNS, so a public-looking name can be made to resolve to a
private address. `Honeypot` is a listener that only counts connections: a test that
redirects the prober at it proves nothing reached it.

    with HostileServer() as server:
        server.behave("/reset", reset_mid_body)
        ... probe server.url("/reset") with resolver=server.resolver() ...
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import struct
import threading
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Self, TypeVar

from aiohttp.abc import AbstractResolver, ResolveResult

HOSTILE_IP = "127.0.0.77"
HOSTILE_NAME = "hostile.example.test"

T = TypeVar("T")
Behaviour = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


class _LoopThread:
    """An asyncio loop in a daemon thread, for servers that must outlive one test call."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coroutine: Awaitable[T]) -> T:
        async def wrapped() -> T:
            return await coroutine

        return asyncio.run_coroutine_threadsafe(wrapped(), self.loop).result(timeout=30)

    def stop(self) -> None:
        async def cancel_all() -> None:
            current = asyncio.current_task()
            tasks = [t for t in asyncio.all_tasks() if t is not current]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        self.run(cancel_all())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
        self.loop.close()


class HostileServer:
    """One address, one port, a behaviour per path; plain TCP or TLS (`tls` context)."""

    def __init__(
        self, ip: str = HOSTILE_IP, name: str = HOSTILE_NAME, tls: ssl.SSLContext | None = None
    ) -> None:
        self.ip = ip
        self.name = name
        self.tls = tls
        self.port = 0
        self.behaviours: dict[str, Behaviour] = {}
        self.requests: list[str] = []
        self._loop: _LoopThread | None = None
        self._server: asyncio.Server | None = None

    def behave(self, path: str, behaviour: Behaviour) -> None:
        self.behaviours[path] = behaviour

    def url(self, path: str = "/") -> str:
        """The URL by name, at the default port (resolve with `resolver()`)."""
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://{self.name}{path}"

    def address_url(self, path: str = "/") -> str:
        """The URL by address and real port (needs no resolver; for the CLI)."""
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://{self.ip}:{self.port}{path}"

    def resolver(self, others: dict[str, str] | None = None) -> HostileResolver:
        """Our name → our address and port; `others` maps more names to addresses."""
        names = {self.name: (self.ip, self.port)}
        names.update({name: (address, 0) for name, address in (others or {}).items()})
        return HostileResolver(names)

    def start(self) -> None:
        self._loop = _LoopThread()

        async def serve() -> asyncio.Server:
            return await asyncio.start_server(
                self._connection, self.ip, 0, ssl=self.tls, limit=1 << 16
            )

        self._server = self._loop.run(serve())
        self.port = self._server.sockets[0].getsockname()[1]

    def stop(self) -> None:
        if self._loop is None or self._server is None:
            return
        server = self._server

        async def close() -> None:
            server.close()

        self._loop.run(close())
        self._loop.stop()
        self._loop = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            target = head.split(b" ", 2)[1].decode("latin-1")
            self.requests.append(target)
            behaviour = self.behaviours.get(target) or self.behaviours.get(target.split("?")[0])
            if behaviour is None:
                writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            else:
                await behaviour(reader, writer)
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        except ssl.SSLError:
            pass  # the client refused our certificate: that is the point
        except asyncio.CancelledError:
            pass  # the server is stopping; a behaviour may be mid-wait
        finally:
            with contextlib.suppress(Exception):
                writer.close()


class HostileResolver(AbstractResolver):
    """Names from a table, IP literals (also `2130706433`, `0x7f.1`) as the C library
    reads them with AI_NUMERICHOST; anything else fails like NXDOMAIN. Never uses DNS."""

    def __init__(self, names: dict[str, tuple[str, int]]) -> None:
        self.names = names

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        known = self.names.get(host.lower())
        if known is not None:
            address, real_port = known
            families = [socket.AF_INET6 if ":" in address else socket.AF_INET]
            return [_result(host, address, real_port or port, families[0])]
        try:
            infos = socket.getaddrinfo(
                host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST
            )
        except socket.gaierror:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None
        return [_result(host, str(info[4][0]), port, info[0]) for info in infos]

    async def close(self) -> None:
        return None


def _result(host: str, address: str, port: int, family: socket.AddressFamily) -> ResolveResult:
    return ResolveResult(
        hostname=host,
        host=address,
        port=port,
        family=family,
        proto=0,
        flags=socket.AI_NUMERICHOST,
    )


@dataclass
class Honeypot:
    """A listener that counts connections and answers nothing: proof of what was not contacted."""

    ip: str = "127.0.0.1"
    port: int = 0
    connections: int = 0
    _loop: _LoopThread | None = None
    _server: asyncio.Server | None = None

    def __enter__(self) -> Self:
        self._loop = _LoopThread()

        async def counted(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self.connections += 1
            writer.close()

        async def serve() -> asyncio.Server:
            return await asyncio.start_server(counted, self.ip, 0)

        self._server = self._loop.run(serve())
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._loop is not None and self._server is not None:
            server = self._server

            async def close() -> None:
                server.close()

            self._loop.run(close())
            self._loop.stop()


# Behaviours. Each is called after the request head has been read.

HTML_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"


async def reset_mid_body(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Promise 100 000 bytes, send 1 000, then reset the connection (RST, not FIN)."""
    writer.write(HTML_HEAD + b"Content-Length: 100000\r\n\r\n<html><title>Half</title>")
    writer.write(b"x" * 1000)
    await writer.drain()
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def endless_body(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A 200 page whose body never ends (no length, no chunking: read until close)."""
    writer.write(HTML_HEAD + b"Connection: close\r\n\r\n<html><title>Endless</title><p>")
    block = b"all work and no play " * 3000
    while True:
        writer.write(block)
        await writer.drain()


async def endless_headers(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A status line, then header lines for ever, as fast as the client reads them."""
    writer.write(b"HTTP/1.1 200 OK\r\n")
    number = 0
    while True:
        lines = b"".join(b"X-Filler-%d: %d\r\n" % (number + i, number + i) for i in range(500))
        number += 500
        writer.write(lines)
        await writer.drain()


async def trickling_headers(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """One header line every 0.1 s for ever: never a complete answer."""
    writer.write(b"HTTP/1.1 200 OK\r\n")
    number = 0
    while True:
        writer.write(b"X-Slow-%d: y\r\n" % number)
        await writer.drain()
        number += 1
        await asyncio.sleep(0.1)


async def endless_continue(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """`100 Continue` interim answers for ever, never a final one."""
    while True:
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        await writer.drain()
        await asyncio.sleep(0.01)


def gzip_bomb(inflated_mib: int = 1024) -> bytes:
    """A valid gzip stream of `inflated_mib` MiB of zeros in about 1 KB per MiB.

    Each MiB is deflated on its own and fully flushed, so its bytes are the same every
    time and the stream is built by repetition in a fraction of a second.
    """
    mebibyte = bytes(1 << 20)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflate.compress(mebibyte) + deflate.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(inflated_mib):
        crc = zlib.crc32(mebibyte, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    final_empty_block = b"\x03\x00"
    trailer = struct.pack("<II", crc, (inflated_mib << 20) & 0xFFFFFFFF)
    return header + block * inflated_mib + final_empty_block + trailer


def gzip_bomb_behaviour(bomb: bytes, content_type: bytes = b"text/html") -> Behaviour:
    async def behaviour(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: " + content_type + b"\r\n"
            b"Content-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(bomb)
        )
        view = memoryview(bomb)
        for start in range(0, len(bomb), 1 << 16):
            writer.write(view[start : start + (1 << 16)])
            await writer.drain()

    return behaviour


async def endless_gzip(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A gzip stream of zeros that never ends: about 1 KB on the wire per inflated MiB."""
    block = gzip_bomb(1)[10:-10]  # one deflated MiB, between the header and the end
    writer.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
        b"Connection: close\r\n\r\n\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    )
    while True:
        writer.write(block * 64)
        await writer.drain()


def raw(answer: bytes, then_wait: float = 0.0) -> Behaviour:
    """Send `answer` exactly as given, optionally wait, then close."""

    async def behaviour(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(answer)
        await writer.drain()
        if then_wait:
            await asyncio.sleep(then_wait)

    return behaviour


def slow(seconds: float) -> Behaviour:
    """Answer a normal page, but only after `seconds`."""

    async def behaviour(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(seconds)
        body = b"<html><title>Finally</title></html>"
        writer.write(HTML_HEAD + b"Content-Length: %d\r\n\r\n" % len(body) + body)

    return behaviour


def redirect_to(location: str, status: int = 302) -> Behaviour:
    return raw(
        b"HTTP/1.1 %d Found\r\nLocation: " % status
        + location.encode("latin-1")
        + b"\r\nContent-Length: 0\r\n\r\n"
    )


def page(title: str = "Fine") -> Behaviour:
    body = f"<html><head><title>{title}</title></head><body><p>{title}</p></body></html>".encode()
    return raw(HTML_HEAD + b"Content-Length: %d\r\n\r\n" % len(body) + body)
