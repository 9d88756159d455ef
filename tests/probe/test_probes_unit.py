"""The prober's pure parts as tables, and its HTTP layer against aioresponses."""

from __future__ import annotations

import asyncio
import errno
import re
import socket
import time

import aiohttp
import pytest
from aiohttp.abc import AbstractResolver, ResolveResult
from aioresponses import aioresponses

from citecheck.probe.fetch import (
    GuardedResolver,
    PrivateAddressError,
    SystemResolver,
    classify_exception,
    in_daemon_thread,
)
from citecheck.probe.links import Link
from citecheck.probe.observation import (
    NetworkDecision,
    Observation,
    ProbeSettings,
    decide_network,
    is_public_address,
    parse_retry_after,
    read_text,
    sniff_charset,
)
from citecheck.probe.run import run_probes
from tests.support.fakeweb import no_real_network  # noqa: F401 - a fixture, used by pytestmark

pytestmark = pytest.mark.usefixtures("no_real_network")

STAMP = "2026-11-22T10:00:00Z"


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("127.0.0.9", False),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("224.0.0.251", False),
        ("240.0.0.1", False),
        ("0.0.0.0", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:10.0.0.1", False),
        ("::ffff:93.184.216.34", True),
        ("not-an-address", False),
    ],
)
def test_is_public_address(address: str, public: bool) -> None:
    assert is_public_address(address) is public


def failed(kind: str | None, status: int | None = None) -> Observation:
    return Observation(url="http://a.org/", checked_at=STAMP, status=status, error=kind)


@pytest.mark.parametrize(
    ("observations", "canary", "state"),
    [
        ([failed("dns"), failed("dns")], False, "offline"),
        ([failed("dns-unavailable")], False, "offline"),
        ([failed("unreachable"), failed("dns")], False, "offline"),
        ([failed("dns"), failed("dns")], True, "online"),
        ([failed("dns"), failed(None, 200)], None, "online"),
        ([failed("dns"), failed("refused")], None, "online"),
        ([failed("dns"), failed("timeout")], None, "online"),
        ([failed("private-address"), failed("scheme")], None, "online"),
        ([], None, "online"),
    ],
)
def test_decide_network(observations: list[Observation], canary: bool | None, state: str) -> None:
    assert decide_network(observations, canary).state == state


def connector_error(os_error: OSError) -> aiohttp.ClientConnectorError:
    return aiohttp.ClientConnectorError(None, os_error)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (TimeoutError(), "timeout"),
        (connector_error(ConnectionRefusedError(errno.ECONNREFUSED, "refused")), "refused"),
        (connector_error(OSError(errno.ENETUNREACH, "Network is unreachable")), "unreachable"),
        (connector_error(OSError(errno.ECONNRESET, "reset")), "reset"),
        (aiohttp.ServerDisconnectedError(), "reset"),
        (
            aiohttp.ClientConnectorDNSError(
                None,  # type: ignore[arg-type]
                OSError(None, "x"),
            ),
            "dns-unavailable",
        ),
        (socket.gaierror(socket.EAI_NONAME, "Name or service not known"), "dns"),
        (socket.gaierror(socket.EAI_AGAIN, "Temporary failure"), "dns-unavailable"),
        (PrivateAddressError(errno.EACCES, "a.test resolves to 10.0.0.1"), "private-address"),
        (aiohttp.ClientPayloadError("truncated"), "reset"),
    ],
)
def test_classify_exception(error: BaseException, kind: str) -> None:
    assert classify_exception(error)[0] == kind


def test_classify_exception_follows_the_wrapped_cause() -> None:
    try:
        try:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        except socket.gaierror as cause:
            raise aiohttp.ClientConnectorDNSError(None, OSError(None, "dns")) from cause  # type: ignore[arg-type]
    except aiohttp.ClientConnectorDNSError as error:
        assert classify_exception(error) == ("dns", "Name or service not known")


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (None, None),
        ("120", 120.0),
        ("0", 0.0),
        ("soon", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
    ],
)
def test_parse_retry_after(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header) == seconds


@pytest.mark.parametrize(
    ("body", "title", "excerpt"),
    [
        (
            b"<html><head><title> A \n title </title></head><body><p>Hi</p></body></html>",
            "A title",
            "Hi",
        ),
        (b"<title>T</title><script>var x = 'page not found';</script><p>Body</p>", "T", "Body"),
        (b"plain text page", None, "plain text page"),
        ("<title>页面不存在</title>".encode(), "页面不存在", ""),
        (b"<title>Unclosed", "Unclosed", ""),
    ],
)
def test_read_text(body: bytes, title: str | None, excerpt: str) -> None:
    assert read_text(body, "utf-8", 100) == (title, excerpt)


@pytest.mark.parametrize(
    ("head", "charset"),
    [
        (b'<meta charset="gb2312">', "gb2312"),
        (b'<META http-equiv="Content-Type" content="text/html; charset=GBK">', "gbk"),
        (b"<meta name='x' charset=utf-8 />", "utf-8"),
        (b"<p>no declaration</p>", None),
    ],
)
def test_sniff_charset(head: bytes, charset: str | None) -> None:
    assert sniff_charset(b"<html><head>" + head) == charset


def test_a_page_declaring_gb2312_only_in_meta_is_read_as_such() -> None:
    body = '<html><head><meta charset="gb2312"><title>页面不存在</title>'.encode("gb2312")
    assert read_text(body, None, 100)[0] == "页面不存在"


async def never_reachable() -> bool:
    return False


def test_every_connect_failing_with_enetunreach_is_offline_not_dead() -> None:
    links = [Link(f"http://site{n}.org/", f"http://site{n}.org/") for n in range(20)]
    with aioresponses() as mock:
        mock.get(
            re.compile(".*"),
            exception=connector_error(OSError(errno.ENETUNREACH, "Network is unreachable")),
            repeat=True,
        )
        run = run_probes(links, ProbeSettings(), network_canary=never_reachable)
    assert run.network == NetworkDecision("offline", "network unreachable")
    assert {o.error for o in run.observations.values()} == {"offline"}
    assert len(run.observations) == 20


def test_a_timeout_in_the_http_layer_is_retried_then_reported() -> None:
    link = Link("http://slow.org/", "http://slow.org/")
    with aioresponses() as mock:
        mock.get("http://slow.org/", exception=TimeoutError(), repeat=True)
        run = run_probes([link], ProbeSettings(backoff_base=0.001))
    observation = run.observations["http://slow.org/"]
    assert (observation.error, observation.tries) == ("timeout", 2)


@pytest.mark.parametrize(
    "body",
    [
        b"<title" * 50_000,
        b"<script" * 40_000,
        b"<" * 300_000,
        b"<title>" + b"<a " * 80_000,
        b"<p " * 100_000,
    ],
)
def test_read_text_stays_linear_on_adversarial_markup(body: bytes) -> None:
    # Not a speed measurement: a backtracking pattern would take minutes here, not milliseconds.
    started = time.perf_counter()
    read_text(body, "utf-8", 2048)
    assert time.perf_counter() - started < 2.0


def test_system_resolver_reads_the_hosts_file_in_a_daemon_thread() -> None:
    async def resolve() -> set[str]:
        results = await SystemResolver().resolve("localhost", 8080, socket.AF_INET)
        return {f"{r['host']}:{r['port']}" for r in results}

    assert asyncio.run(resolve()) == {"127.0.0.1:8080"}


def test_in_daemon_thread_passes_failures_back() -> None:
    def fail() -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with pytest.raises(socket.gaierror):
        asyncio.run(in_daemon_thread(fail))


def test_localhost_by_name_is_refused_by_default() -> None:
    link = Link("http://localhost:9/", "http://localhost:9/")
    run = run_probes([link], ProbeSettings(timeout=1))
    observation = run.observations["http://localhost:9/"]
    assert observation.error == "private-address"
    assert "localhost resolves to 127.0.0.1" in (observation.error_detail or "")


class FixedResolver(AbstractResolver):
    """Answers every name with the same addresses."""

    def __init__(self, *addresses: str) -> None:
        self.addresses = addresses

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        return [
            ResolveResult(hostname=host, host=a, port=port, family=family, proto=0, flags=0)
            for a in self.addresses
        ]

    async def close(self) -> None:
        return None


def test_guarded_resolver_keeps_only_public_addresses() -> None:
    guarded = GuardedResolver(FixedResolver("127.0.0.1", "93.184.216.34"), is_public_address)
    results = asyncio.run(guarded.resolve("mixed.example", 80))
    assert [r["host"] for r in results] == ["93.184.216.34"]


def test_guarded_resolver_refuses_a_name_with_only_private_addresses() -> None:
    guarded = GuardedResolver(FixedResolver("10.0.0.7", "::1"), is_public_address)
    with pytest.raises(
        PrivateAddressError, match=re.escape("inside.example resolves to 10.0.0.7, ::1")
    ):
        asyncio.run(guarded.resolve("inside.example", 80))
