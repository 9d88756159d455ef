"""A forward proxy on 127.0.0.x that stands in for the real web, for end-to-end tests.

citecheck reaches it exactly as a user behind a corporate proxy would: through
`HTTP_PROXY`/`HTTPS_PROXY` and a CA bundle (`SSL_CERT_FILE`), with no test
hook inside citecheck. Plain http requests arrive in absolute form
(`GET http://www.un.org/... HTTP/1.1`); https arrives as `CONNECT host:443`,
after which the proxy terminates TLS itself with a certificate for that host
issued by a throwaway CA (`trustme`), the way intercepting proxies do. Either
way the request is answered from the route table of the `FakeHost` with that
name in the `FakeWeb`, so sites are described exactly as in other tests:

    with FakeWeb() as web, FakeProxy(web, tmp_path) as proxy:
        un = proxy.site("www.un.org")
        un.route("/depts/", page("United Nations"))
        run citecheck with proxy.environment()

Like a real proxy, it answers 502 Bad Gateway for a name it cannot reach (an
unknown host, or one added with `refusing_site`), to CONNECT and plain requests
alike.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ssl
from pathlib import Path
from types import TracebackType
from typing import Self

import trustme

from citecheck.probe.proxy import ProxySettings
from tests.support.fakeweb import FakeHost, FakeResponse, FakeWeb, _addresses

_GATEWAY_TEXT = b"proxy: cannot reach the host"
_BAD_GATEWAY = (
    b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\n"
    + f"Content-Length: {len(_GATEWAY_TEXT)}\r\nConnection: close\r\n\r\n".encode()
    + _GATEWAY_TEXT
)
_AUTH_REQUIRED = (
    b"HTTP/1.1 407 Proxy Authentication Required\r\n"
    b'Proxy-Authenticate: Basic realm="proxy"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'
)
_ORIGIN_FORM = FakeHost(
    name="(proxy)",
    ip="0.0.0.0",
    listening=False,
    routes={"*": lambda request: FakeResponse(status=400, body=b"absolute URL expected")},
)


class FakeProxy:
    """An HTTP forward proxy (absolute-form and CONNECT) serving a FakeWeb's hosts by name."""

    def __init__(self, web: FakeWeb, directory: Path) -> None:
        self.web = web
        self.ca = trustme.CA()
        self.ca_file = directory / "fake-ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_file))
        number = next(_addresses)
        self.ip = f"127.0.{number // 250}.{number % 250 + 2}"
        self.port = 0
        self.refusing: set[str] = set()
        # When set, every request must carry these in Proxy-Authorization (else 407).
        self.credentials: tuple[str, str] | None = None
        self.asked: list[str] = []  # the host of every request and CONNECT, in order
        self._contexts: dict[str, ssl.SSLContext] = {}
        self._server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        return f"http://{self.ip}:{self.port}"

    def site(self, name: str) -> FakeHost:
        """A host reachable only through the proxy, by its real name (http and https)."""
        host = self.web.hosts.get(name)
        if host is None:
            host = FakeHost(name=name, ip="0.0.0.0", listening=False)
            self.web.hosts[name] = host
        return host

    def refusing_site(self, name: str) -> None:
        """A name the proxy cannot connect to (502, as for a refused connection or NXDOMAIN)."""
        self.refusing.add(name)

    def environment(self) -> dict[str, str]:
        """What a user behind this proxy would set: the proxies and the CA bundle."""
        return {
            "HTTP_PROXY": self.url,
            "HTTPS_PROXY": self.url,
            "NO_PROXY": "",
            "SSL_CERT_FILE": str(self.ca_file),
        }

    def settings(self) -> ProxySettings:
        return ProxySettings(http=self.url, https=self.url)

    def start(self) -> None:
        loop = self.web._loop
        assert loop is not None, "start the FakeWeb first"

        async def serve() -> asyncio.Server:
            return await asyncio.start_server(self._connection, self.ip, 0, backlog=512)

        self._server = asyncio.run_coroutine_threadsafe(serve(), loop).result(5)
        self.port = self._server.sockets[0].getsockname()[1]

    def stop(self) -> None:
        loop = self.web._loop
        if self._server is None or loop is None:
            return
        loop.call_soon_threadsafe(self._server.close)
        self._server = None

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

    def _context_for(self, name: str) -> ssl.SSLContext:
        """A server context with a certificate for `name` alone, issued by the test CA."""
        context = self._contexts.get(name)
        if context is None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            self.ca.issue_cert(name).configure_cert(context)
            self._contexts[name] = context
        return context

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(
            ConnectionError,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            asyncio.CancelledError,
            ssl.SSLError,
        ):
            try:
                while True:
                    head = await reader.readuntil(b"\r\n\r\n")
                    method, target, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
                    if not self._authorized(head):
                        writer.write(_AUTH_REQUIRED)
                        await writer.drain()
                        return
                    if method == "CONNECT":
                        await self._tunnel(target, reader, writer)
                        return
                    name = _name_of_absolute(target)
                    self.asked.append(name)
                    if name and self._unreachable(name):
                        writer.write(_BAD_GATEWAY)
                        await writer.drain()
                        return
                    if not await self.web._one_exchange(_ORIGIN_FORM, reader, writer, head):
                        return
            finally:
                writer.close()
                with contextlib.suppress(Exception):
                    await writer.wait_closed()

    def _authorized(self, head: bytes) -> bool:
        if self.credentials is None:
            return True
        expected = base64.b64encode(":".join(self.credentials).encode()).decode()
        for line in head.decode("latin-1").split("\r\n")[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "proxy-authorization":
                return value.strip() == f"Basic {expected}"
        return False

    def _unreachable(self, name: str) -> bool:
        return name in self.refusing or name not in self.web.hosts

    async def _tunnel(
        self, target: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        """Answer CONNECT: 502 for a host we cannot reach, else 200, TLS as that host, serve."""
        name = target.rpartition(":")[0].strip("[]").lower()
        self.asked.append(name)
        if self._unreachable(name):
            writer.write(_BAD_GATEWAY)
            await writer.drain()
            return
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()
        await writer.start_tls(self._context_for(name))
        host = self.web.hosts[name]
        while await self.web._one_exchange(host, reader, writer):
            pass


def _name_of_absolute(target: str) -> str:
    """The host of an absolute-form target (`http://name:port/path`), lower-cased; "" if none."""
    if "://" not in target:
        return ""
    authority = target.split("://", 1)[1].split("/", 1)[0]
    return authority.rsplit(":", 1)[0].strip("[]").lower() if authority else ""
