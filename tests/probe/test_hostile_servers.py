"""Hostile servers: every misbehaviour gets the right verdict and reason, in bounded time
and memory, and never a traceback (tests/support/fakeweb/hostile.py serves them on 127.0.0.77).

The probes run without --allow-private: the address policy admits the hostile server's
own address and nothing else, so every redirect into a private network is judged by the
same rule a CI runner would apply. Honeypots on 127.0.0.1 (and ::1) count connections,
proving that a refused address was never contacted.
"""

from __future__ import annotations

import json
import socket
import ssl
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme

from citecheck.judge.verdicts import LinkVerdict, judge
from citecheck.probe.links import Link
from citecheck.probe.observation import Observation, ProbeSettings
from citecheck.probe.run import run_probes
from tests.support.fakeweb.hostile import (
    HOSTILE_IP,
    Behaviour,
    Honeypot,
    HostileServer,
    endless_body,
    endless_continue,
    endless_gzip,
    endless_headers,
    gzip_bomb,
    gzip_bomb_behaviour,
    page,
    raw,
    redirect_to,
    reset_mid_body,
    slow,
    trickling_headers,
)
from tests.support.paths import REPO_ROOT

ROOT = REPO_ROOT
TIMEOUT = 1.0
# Fast settings: one second for an answer, tiny backoff; the bounds below follow from them.
SETTINGS = ProbeSettings(
    timeout=TIMEOUT, backoff_base=0.01, max_retry_wait=0.2, max_tries=2, max_timeout_tries=1
)
# Per link: a timeout per try plus backoff; generous, since the machine is shared.
SECONDS_PER_LINK = 4 * TIMEOUT + 2
MEMORY_BUDGET = 64 * 1024 * 1024  # peak Python allocations while probing a bomb

CHUNKED = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"


@dataclass(frozen=True)
class Case:
    """A misbehaviour, and the verdict and reason it must yield."""

    path: str
    behaviour: Behaviour
    verdict: str
    reason: str  # the reason starts with this


def _has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


def server_cases() -> list[Case]:
    """Misbehaviours of the server itself (these also run through the CLI)."""
    cases = [
        Case("/reset-mid-body", reset_mid_body, "error", "connection reset"),
        Case("/endless-body", endless_body, "ok", "HTTP 200"),
        Case("/endless-headers", endless_headers, "error", "malformed response"),
        Case("/trickling-headers", trickling_headers, "timeout", ""),
        Case("/endless-100-continue", endless_continue, "timeout", ""),
        Case("/gzip-bomb", gzip_bomb_behaviour(gzip_bomb(1024)), "ok", "HTTP 200"),
        Case("/chunked-bad-size", raw(CHUNKED + b"zz\r\nhello\r\n0\r\n\r\n"), "error", ""),
        Case(
            "/chunked-huge-size",
            raw(CHUNKED + b"ffffffffffffffffffff\r\nhello\r\n0\r\n\r\n"),
            "error",
            "",
        ),
        Case("/chunked-no-end", raw(CHUNKED + b"5\r\nhello\r\n", then_wait=30), "ok", "HTTP 200"),
        Case("/answers-after-60-s", slow(60), "timeout", ""),
        Case("/status-not-a-number", raw(b"HTTP/1.1 abc OK\r\n\r\n"), "error", "malformed"),
        Case(
            "/status-out-of-range",
            raw(b"HTTP/1.1 99999 Big\r\nContent-Length: 0\r\n\r\n"),
            "error",
            "malformed",
        ),
        Case("/status-line-binary", raw(b"\x00\x01\x02\xff garbage\r\n\r\n"), "error", "malformed"),
        Case(
            "/status-line-200-kb",
            raw(b"HTTP/1.1 200 " + b"O" * 200_000 + b"\r\n\r\n"),
            "error",
            "malformed",
        ),
        Case(
            "/header-without-colon",
            raw(b"HTTP/1.1 200 OK\r\nNo colon here\r\nContent-Length: 0\r\n\r\n"),
            "error",
            "malformed",
        ),
        Case(
            "/header-of-1-mb",
            raw(b"HTTP/1.1 200 OK\r\nX-Big: " + b"v" * 1_000_000 + b"\r\n\r\n"),
            "error",
            "malformed",
        ),
        Case(
            "/negative-length",
            raw(b"HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n"),
            "error",
            "malformed",
        ),
        Case(
            "/conflicting-lengths",
            raw(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
            "error",
            "malformed",
        ),
        # the start of a 50-hop chain (the other hops are served by `serve_chain`)
        Case("/hop/0", redirect_to("/hop/1"), "error", "too many redirects"),
    ]
    return cases


def serve_chain(server: HostileServer) -> None:
    for hop in range(1, 50):
        server.behave(f"/hop/{hop}", redirect_to(f"/hop/{hop + 1}"))
    server.behave("/hop/50", page("End of a long chain"))


def redirect_cases(honeypot: Honeypot, honeypot6: Honeypot | None) -> list[Case]:
    """Redirects that must never be followed: other schemes and private addresses."""
    port = honeypot.port
    cases = [
        Case("/to-file", redirect_to("file:///etc/passwd"), "unchecked", "non-http scheme"),
        Case("/to-ftp", redirect_to("ftp://ftp.example.test/pub/"), "unchecked", "non-http"),
        Case("/to-javascript", redirect_to("javascript:alert(1)"), "unchecked", "non-http"),
        Case("/to-data", redirect_to("data:text/html,<p>hi</p>"), "unchecked", "non-http"),
        Case(
            "/to-loopback",
            redirect_to(f"http://127.0.0.1:{port}/admin"),
            "unchecked",
            "private address",
        ),
        Case("/to-ten", redirect_to("http://10.0.0.1/"), "unchecked", "private address"),
        Case(
            "/to-metadata",
            redirect_to("http://169.254.169.254/latest/meta-data/"),
            "unchecked",
            "private address",
        ),
        Case(
            "/to-name-on-loopback",
            redirect_to(f"http://intranet.example.test:{port}/"),
            "unchecked",
            "private address",
        ),
        Case(
            "/to-name-on-metadata",
            redirect_to("http://cloud.example.test/latest/meta-data/"),
            "unchecked",
            "private address",
        ),
        Case(
            "/to-decimal-loopback",
            redirect_to(f"http://2130706433:{port}/"),
            "error",
            "malformed response",  # a Location that is no valid URL
        ),
        Case(
            "/to-mapped-loopback",
            redirect_to(f"http://[::ffff:127.0.0.1]:{port}/"),
            "unchecked",
            "private address",
        ),
    ]
    if honeypot6 is not None:
        cases.append(
            Case(
                "/to-ipv6-loopback",
                redirect_to(f"http://[::1]:{honeypot6.port}/"),
                "unchecked",
                "private address",
            )
        )
    return cases


PRIVATE_NAMES = {"intranet.example.test": "127.0.0.1", "cloud.example.test": "169.254.169.254"}


@dataclass(frozen=True)
class Run:
    cases: list[Case]
    verdicts: dict[str, LinkVerdict]
    observations: dict[str, Observation]
    seconds: float
    peak_bytes: int
    honeypot_connections: int
    server: HostileServer


@pytest.fixture(scope="module")
def honeypots() -> Iterator[tuple[Honeypot, Honeypot | None]]:
    with Honeypot() as v4:
        if _has_ipv6_loopback():
            with Honeypot(ip="::1") as v6:
                yield v4, v6
        else:
            yield v4, None


@pytest.fixture(scope="module")
def hostile_run(honeypots: tuple[Honeypot, Honeypot | None]) -> Iterator[Run]:
    honeypot, honeypot6 = honeypots
    cases = server_cases() + redirect_cases(honeypot, honeypot6)
    with HostileServer() as server:
        for case in cases:
            server.behave(case.path, case.behaviour)
        serve_chain(server)
        links = [Link(url=server.url(c.path), normalized_url=server.url(c.path)) for c in cases]
        started = time.monotonic()
        tracemalloc.start()
        try:
            result = run_probes(
                links,
                SETTINGS,
                resolver=server.resolver(PRIVATE_NAMES),
                address_policy=lambda address: address == HOSTILE_IP,
            )
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        seconds = time.monotonic() - started
        observations = {
            case.path: result.observations[link.normalized_url]
            for case, link in zip(cases, links, strict=True)
        }
        verdicts = {
            case.path: judge(link, observations[case.path])
            for case, link in zip(cases, links, strict=True)
        }
        connections = honeypot.connections + (honeypot6.connections if honeypot6 else 0)
        yield Run(cases, verdicts, observations, seconds, peak, connections, server)


def all_case_paths() -> list[str]:
    placeholder = Honeypot(port=1)
    return [case.path for case in server_cases() + redirect_cases(placeholder, placeholder)]


@pytest.mark.parametrize("path", all_case_paths())
def test_each_hostile_case_gets_its_verdict_in_bounded_time(hostile_run: Run, path: str) -> None:
    case = next((c for c in hostile_run.cases if c.path == path), None)
    if case is None:
        pytest.skip("no IPv6 loopback on this machine")
    verdict = hostile_run.verdicts[path]
    assert (verdict.verdict, verdict.reason[: len(case.reason)]) == (case.verdict, case.reason)
    assert hostile_run.observations[path].elapsed < SECONDS_PER_LINK


def test_no_refused_address_was_ever_contacted(hostile_run: Run) -> None:
    assert hostile_run.honeypot_connections == 0


def test_a_fifty_hop_chain_stops_at_the_redirect_limit(hostile_run: Run) -> None:
    requested = [path for path in hostile_run.server.requests if path.startswith("/hop/")]
    assert len(requested) == SETTINGS.max_redirects + 1  # the first request and ten hops


def test_the_whole_hostile_run_is_bounded_in_time(hostile_run: Run) -> None:
    """All cases run at once; the slowest is a timeout with one retry at most."""
    assert hostile_run.seconds < 2 * SECONDS_PER_LINK


def test_the_whole_hostile_run_is_bounded_in_memory(hostile_run: Run) -> None:
    """Endless bodies and headers, a 1 GiB gzip bomb, 200 KB status lines, all at once."""
    assert hostile_run.peak_bytes < MEMORY_BUDGET, f"peak {hostile_run.peak_bytes >> 20} MB"


@pytest.mark.parametrize("endless", [False, True])
def test_a_gzip_bomb_costs_bounded_memory(endless: bool) -> None:
    """1 GiB of zeros in 1 MB of gzip (or a gzip stream that never ends): the prober reads
    a capped amount of inflated bytes, so peak allocation stays far below the bomb."""
    served = endless_gzip if endless else gzip_bomb_behaviour(gzip_bomb(1024))
    with HostileServer() as server:
        server.behave("/bomb", served)
        link = Link(url=server.url("/bomb"), normalized_url=server.url("/bomb"))
        tracemalloc.start()
        try:
            run = run_probes(
                [link],
                SETTINGS,
                resolver=server.resolver(),
                address_policy=lambda address: address == HOSTILE_IP,
            )
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    observation = run.observations[link.normalized_url]
    assert observation.error is None or observation.error in {"malformed", "reset"}
    assert peak < MEMORY_BUDGET, f"peak {peak >> 20} MB while probing a gzip bomb"


@pytest.fixture(scope="module")
def tls_server() -> Iterator[HostileServer]:
    authority = trustme.CA()
    certificate = authority.issue_cert("tls.example.test")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(context)
    with HostileServer(name="tls.example.test", tls=context) as server:
        server.behave("/", page("Secure"))
        yield server


def test_a_self_signed_certificate_is_a_tls_error(tls_server: HostileServer) -> None:
    link = Link(url=tls_server.url("/"), normalized_url=tls_server.url("/"))
    run = run_probes(
        [link],
        SETTINGS,
        resolver=tls_server.resolver(),
        address_policy=lambda address: address == HOSTILE_IP,
    )
    verdict = judge(link, run.observations[link.normalized_url])
    assert (verdict.verdict, verdict.reason.split(":")[0]) == ("error", "TLS failure")
    assert "certificate" in verdict.reason.lower()
    assert tls_server.requests == []  # no request was sent over the untrusted connection


def test_the_cli_survives_every_hostile_server_without_a_traceback(tmp_path: Path) -> None:
    """The same misbehaviours by address through `citecheck check`: JSON out, exit 1, and
    nothing on stderr that looks like a traceback."""
    cases = server_cases()
    with HostileServer() as server:
        for case in cases:
            server.behave(case.path, case.behaviour)
        serve_chain(server)
        urls = tmp_path / "urls.txt"
        urls.write_text("".join(server.address_url(c.path) + "\n" for c in cases))
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "citecheck",
                "check",
                "--urls",
                str(urls),
                "--allow-private",
                "--no-cache",
                "--quiet",
                "--timeout",
                str(TIMEOUT),
                "--format",
                "json",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stderr
    links = {link["url"]: link for link in json.loads(done.stdout)["links"]}
    for case in cases:
        found = links[server.address_url(case.path)]
        assert found["verdict"] == case.verdict, (case.path, found)
