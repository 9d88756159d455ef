"""The HTTP side of probing: an aiohttp session, guarded name resolution, redirects, retries.

The prober is one asyncio loop over aiohttp. Politeness and speed come from the
same schedule: a request first takes a slot of its *host* (at most `per_host`
at once) and only then one of the global pool (`concurrency`), so requests
queued for a slow host never hold global slots that other hosts could use.
Redirects are followed by hand so that every hop is checked against the
address policy (no loopback, private, link-local, multicast or reserved
addresses unless allowed) and counted. Through a proxy (`ProbeSettings.proxy`)
the proxy resolves names, so only what a URL shows can be refused; the
reasoning is in `citecheck.probe.proxy`.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import errno
import hashlib
import ipaddress
import random
import socket
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar
from urllib.parse import unquote, urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from citecheck.probe.links import Link, host_of, normalize_url, url_problem
from citecheck.probe.observation import (
    BODY_STATUSES,
    CONNECTION_ERRORS,
    NETWORK_LEVEL_ERRORS,
    REDIRECT_STATUSES,
    RETRY_ERRORS,
    RETRY_STATUSES,
    SMALL_BODY_BYTES,
    TEXT_TYPES,
    UNPROBED_ERRORS,
    AddressPolicy,
    NetworkCanary,
    NetworkDecision,
    Observation,
    ProbeRun,
    ProbeSettings,
    RuleLookup,
    decide_network,
    is_public_address,
    no_rule,
    now_iso,
    parse_retry_after,
    read_text,
)
from citecheck.probe.proxy import looks_internal
from citecheck.probe.quickack import quick_ack_connector
from citecheck.probe.window import interleaved, run_windowed


def _any_address(address: str) -> bool:
    return True


class PrivateAddressError(OSError):
    """A name resolved only to addresses the policy forbids."""


class GuardedResolver(AbstractResolver):
    """Resolve with `inner`, then drop forbidden addresses (or refuse the name outright).

    aiohttp connects to whatever the resolver returns, so this is the one place
    where a name can be stopped from reaching an internal address. It serves
    only direct connections and exempts no name: a proxy's name is allowed by
    `ProxyResolver`, on the proxy connections alone, so a cited URL that merely
    shares the proxy's name (NO_PROXY, or no proxy for its scheme) is judged
    by the address policy like any other.
    """

    def __init__(self, inner: AbstractResolver, address_allowed: AddressPolicy) -> None:
        self.inner = inner
        self.address_allowed = address_allowed

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self.inner.resolve(host, port, family)
        allowed = [r for r in results if self.address_allowed(r["host"])]
        if not allowed:
            shown = ", ".join(sorted({r["host"] for r in results}))
            raise PrivateAddressError(errno.EACCES, f"{host} resolves to {shown}")
        return allowed

    async def close(self) -> None:
        await self.inner.close()


class ProxyResolver(AbstractResolver):
    """Resolve the proxies' own endpoints (name and port), unchecked, and refuse anything else.

    It serves only the connector that talks to proxies: where the proxy is, is the
    user's choice (often loopback or a private network), and through a proxy the
    proxy resolves the sites' names, so no other name is ever looked up here.
    """

    def __init__(self, inner: AbstractResolver, endpoints: frozenset[tuple[str, int]]) -> None:
        self.inner = inner
        self.endpoints = endpoints

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        if (host.lower().rstrip("."), port) not in self.endpoints:
            raise PrivateAddressError(errno.EACCES, f"{host}:{port} is not a proxy")
        return await self.inner.resolve(host, port, family)

    async def close(self) -> None:
        return None  # `inner` is shared with the direct connector's GuardedResolver


CANARY_HOSTS = ("example.com", "iana.org")
# Network-level failures, with no server answering yet, before the canary is asked mid-run.
OFFLINE_SAMPLE = 8
# Probe tasks alive at once, per global slot: enough that a freed slot finds a task waiting.
WINDOW_PER_SLOT = 2


async def default_canary(timeout: float = 3.0) -> bool:
    """Can we resolve and open a TCP connection to any of a few well-known hosts?

    Both hosts are tried side by side, each within `timeout`, in threads of
    their own, so the canary never queues behind lookups that are stuck.
    """

    async def reachable(host: str) -> bool:
        try:
            async with asyncio.timeout(timeout):
                infos = await in_daemon_thread(socket.getaddrinfo, host, 443, 0, socket.SOCK_STREAM)
                _, writer = await asyncio.open_connection(str(infos[0][4][0]), 443)
        except (OSError, TimeoutError, IndexError):
            return False
        writer.close()
        return True

    return any(await asyncio.gather(*(reachable(host) for host in CANARY_HOSTS)))


async def proxied_canary(proxy: str, timeout: float = 3.0, ca_bundle: str | None = None) -> bool:
    """Does the proxy open a tunnel to any of the canary hosts?

    Behind a proxy the machine itself may have no route or DNS to the outside,
    so the direct canary would call a working setup offline; the question is
    whether the proxy reaches the internet. A proxy that cannot be reached, or
    that refuses every tunnel, means offline.
    """
    parts = urlsplit(proxy)
    proxy_host = parts.hostname or ""
    proxy_port = parts.port or (443 if parts.scheme == "https" else 80)
    tls = ssl.create_default_context(cafile=ca_bundle) if parts.scheme == "https" else None
    credentials = ""
    if parts.username is not None:
        secret = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
        credentials = f"Proxy-Authorization: Basic {base64.b64encode(secret).decode()}\r\n"

    async def tunnels(host: str) -> bool:
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(proxy_host, proxy_port, ssl=tls)
                try:
                    request = f"CONNECT {host}:443 HTTP/1.1\r\nHost: {host}:443\r\n"
                    writer.write(f"{request}{credentials}\r\n".encode())
                    await writer.drain()
                    status_line = await reader.readline()
                finally:
                    writer.close()
        except (OSError, TimeoutError, ssl.SSLError):
            return False
        fields = status_line.split()
        return len(fields) >= 2 and fields[1].startswith(b"2")

    return any(await asyncio.gather(*(tunnels(host) for host in CANARY_HOSTS)))


T = TypeVar("T")


async def in_daemon_thread(function: Callable[..., T], *arguments: object) -> T:
    """Run a blocking call in a daemon thread of its own.

    For getaddrinfo: a lookup stuck in the system resolver must neither hold a
    worker of a shared pool nor keep the process from exiting when we are done.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def deliver(outcome: T | None, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(outcome)  # type: ignore[arg-type]

    def work() -> None:
        try:
            outcome, error = function(*arguments), None
        except Exception as failure:
            outcome, error = None, failure
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(deliver, outcome, error)

    threading.Thread(target=work, name="citecheck-lookup", daemon=True).start()
    return await future


class SystemResolver(AbstractResolver):
    """The system's getaddrinfo, many lookups at once, each in a daemon thread."""

    def __init__(self, parallel: int = 32) -> None:
        self._slots = asyncio.Semaphore(parallel)

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        async with self._slots:
            infos = await in_daemon_thread(
                socket.getaddrinfo, host, port, family, socket.SOCK_STREAM, 0, socket.AI_ADDRCONFIG
            )
        return [
            ResolveResult(
                hostname=host,
                host=str(address[0]),
                port=int(address[1]),
                family=info_family,
                proto=proto,
                flags=socket.AI_NUMERICHOST | socket.AI_NUMERICSERV,
            )
            for info_family, _, proto, _, address in infos
            if info_family in (socket.AF_INET, socket.AF_INET6)
        ]

    async def close(self) -> None:
        return None


class Prober:
    """Probe links concurrently; one instance per run."""

    def __init__(
        self,
        settings: ProbeSettings,
        *,
        resolver: AbstractResolver | None = None,
        rules: RuleLookup = no_rule,
        network_canary: NetworkCanary | None = None,
        on_observation: Callable[[Link, Observation], None] | None = None,
        address_policy: AddressPolicy | None = None,
    ) -> None:
        """`network_canary` None means `default_canary`, or `proxied_canary` when the
        canary hosts are reached through a proxy."""
        self.settings = settings
        self.address_allowed: AddressPolicy = address_policy or (
            _any_address if settings.allow_private else is_public_address
        )
        self._inner_resolver = resolver
        self.rules = rules
        self.network_canary = network_canary or self._default_canary
        self.on_observation = on_observation
        self._host_slots: dict[str, asyncio.Semaphore] = {}
        self._literal_allowed: dict[str, bool] = {}
        self._proxy_of: dict[tuple[str, str], str | None] = {}
        self._global_slots: asyncio.Semaphore | None = None
        self._session: aiohttp.ClientSession | None = None
        self._proxy_session: aiohttp.ClientSession | None = None
        self._online_evidence = False
        self._offline_sample = OFFLINE_SAMPLE
        self._network_failures = 0
        self._canary_result: bool | None = None
        self._canary_lock: asyncio.Lock | None = None
        self._offline = asyncio.Event()
        self._pending_reports: list[tuple[Link, Observation]] = []

    async def _default_canary(self) -> bool:
        proxy = self.settings.proxy.proxy_for(f"https://{CANARY_HOSTS[0]}/")
        if proxy is not None:
            return await proxied_canary(proxy, ca_bundle=self.settings.ca_bundle)
        return await default_canary()

    async def probe_links(self, links: Sequence[Link]) -> ProbeRun:
        """Probe every link once; report each observation as it comes."""
        self._global_slots = asyncio.Semaphore(self.settings.concurrency)
        self._offline_sample = max(1, min(OFFLINE_SAMPLE, len(links)))
        self._canary_lock = asyncio.Lock()
        self._offline = asyncio.Event()
        inner = self._inner_resolver or SystemResolver()
        tls: ssl.SSLContext | bool = True
        if self.settings.ca_bundle is not None:
            tls = ssl.create_default_context(cafile=self.settings.ca_bundle)
        observations: dict[str, Observation] = {}
        # Two sessions, so that the proxies' own addresses are allowed only on the
        # connections to the proxies: a direct connection never sees that exemption.
        async with (
            self._client(GuardedResolver(inner, self.address_allowed), tls) as session,
            self._client(ProxyResolver(inner, self.settings.proxy.proxy_endpoints()), tls) as via,
        ):
            self._session = session
            self._proxy_session = via
            # A window of tasks, hosts interleaved, rather than one task per link up front.
            order = interleaved([host_of(link.normalized_url) for link in links])
            window = WINDOW_PER_SLOT * self.settings.concurrency
            done = await run_windowed(links, self._probe_and_watch, order, window, self._offline)
            for index, link in enumerate(links):
                if index in done:
                    observations[link.normalized_url] = done[index]
        if self._offline.is_set():
            network = NetworkDecision("offline", "network unreachable")
        else:
            canary = self._canary_result
            if canary is None and not self._online_evidence and self._network_failures:
                canary = await self.network_canary()
            network = decide_network(observations.values(), canary)
        if network.state == "offline":
            stamp = now_iso()
            observations = {
                link.normalized_url: _keep_unprobed(
                    observations.get(link.normalized_url),
                    Observation(url=link.normalized_url, checked_at=stamp, error="offline"),
                )
                for link in links
            }
        else:
            self._flush_reports()
        return ProbeRun(observations=observations, network=network)

    async def _probe_and_watch(self, link: Link) -> Observation:
        observation = await self.probe(link.normalized_url)
        if observation.error in NETWORK_LEVEL_ERRORS:
            self._network_failures += 1
        elif observation.error not in UNPROBED_ERRORS:
            self._online_evidence = True
        self._report(link, observation)
        if not self._online_evidence and self._network_failures >= self._offline_sample:
            await self._consult_canary()
        return observation

    async def _consult_canary(self) -> None:
        assert self._canary_lock is not None
        async with self._canary_lock:
            if self._canary_result is None and not self._online_evidence:
                self._canary_result = await self.network_canary()
                if not self._canary_result:
                    self._offline.set()

    def _report(self, link: Link, observation: Observation) -> None:
        """Hand observations on only once the network is known to work (never offline noise)."""
        if self.on_observation is None:
            return
        self._pending_reports.append((link, observation))
        if self._online_evidence or self._canary_result:
            self._flush_reports()

    def _flush_reports(self) -> None:
        if self.on_observation is None:
            return
        reports, self._pending_reports = self._pending_reports, []
        for link, observation in reports:
            self.on_observation(link, observation)

    async def probe(self, url: str) -> Observation:
        """Probe one URL with retries; always returns an Observation, never raises."""
        started = time.monotonic()
        checked_at = now_iso()
        refusal = _unprobeable(url)
        if refusal is not None:
            kind, detail = refusal
            return Observation(url=url, checked_at=checked_at, error=kind, error_detail=detail)
        rule = self.rules(url)
        extra = rule.connection_retries if rule is not None else 0
        deadline = started + self.settings.max_seconds_per_url
        tries = 0
        while True:
            tries += 1
            observation = await self._follow(url, checked_at, started, tries)
            wait = self._retry_wait(observation, tries, extra)
            if wait is None or time.monotonic() + wait > deadline:
                return observation
            await asyncio.sleep(wait)

    def _retry_wait(self, observation: Observation, tries: int, extra: int) -> float | None:
        """Seconds to wait before trying again, or None when this answer is final."""
        settings = self.settings
        if observation.status in RETRY_STATUSES:
            if tries >= settings.max_tries:
                return None
            if observation.retry_after is not None:
                if observation.retry_after > settings.max_retry_wait:
                    return None
                return max(0.0, observation.retry_after)
        elif observation.error in RETRY_ERRORS or (
            extra and observation.error in CONNECTION_ERRORS
        ):
            timed_out = observation.error == "timeout"
            limit = settings.max_timeout_tries if timed_out else settings.max_tries
            if tries >= limit + extra:
                return None
        else:
            return None
        backoff = settings.backoff_base * 2.0 ** (tries - 1)
        return min(settings.max_retry_wait, backoff * random.uniform(0.5, 1.5))

    async def _follow(self, url: str, checked_at: str, started: float, tries: int) -> Observation:
        """One try: request, following redirects by hand, each hop checked against policy.

        Every observation made here carries the probe's elapsed time and try count, so the
        common path builds one Observation per request and never copies it."""
        settings = self.settings
        current = url
        chain: tuple[str, ...] = ()
        statuses: tuple[int, ...] = ()
        visits: dict[str, int] = {}
        first_method = "HEAD" if settings.head_first else "GET"
        for hop in range(settings.max_redirects + 1):
            host = host_of(current)
            refusal = self._refuse(current, host, shape_checked=hop == 0)
            if refusal is not None:
                kind, detail = refusal
                if hop and kind == "invalid-url":  # the server's fault, not the citation's
                    kind, detail = "malformed", f"redirect to an invalid URL: {detail}"
                return Observation(
                    url=url,
                    checked_at=checked_at,
                    final_url=current,
                    redirects=chain,
                    redirect_statuses=statuses,
                    error=kind,
                    error_detail=detail,
                    elapsed=time.monotonic() - started,
                    tries=tries,
                )
            hop_record = _Hop(url, checked_at, chain, statuses, started, tries)
            answer, location = await self._request(current, host, first_method, hop_record)
            if settings.head_first and _head_untrustworthy(answer):
                answer, location = await self._request(current, host, "GET", hop_record)
            if hop and answer.error == "invalid-url":
                detail = f"redirect to an invalid URL: {answer.error_detail}"
                return replace(answer, error="malformed", error_detail=detail)
            if answer.error is not None or location is None:
                return answer
            assert answer.status is not None
            chain += (location,)
            statuses += (answer.status,)
            if not visits:
                visits[normalize_url(url)] = 1
            key = normalize_url(location)
            visits[key] = visits.get(key, 0) + 1
            # A second visit is allowed: sites set a cookie and redirect back to the same page.
            if visits[key] > 2:
                return replace(
                    answer,
                    final_url=location,
                    redirects=chain,
                    redirect_statuses=statuses,
                    error="redirect-loop",
                    error_detail=f"back to {location}",
                )
            current = location
        return Observation(
            url=url,
            checked_at=checked_at,
            final_url=current,
            redirects=chain,
            redirect_statuses=statuses,
            error="too-many-redirects",
            error_detail=f"more than {settings.max_redirects}",
            elapsed=time.monotonic() - started,
            tries=tries,
        )

    def _refuse(self, url: str, host: str, shape_checked: bool = False) -> tuple[str, str] | None:
        """Why policy forbids requesting `url` (scheme, IP literal, an internal name sent
        through a proxy), or None."""
        refusal = None if shape_checked else _unprobeable(url)
        if refusal is not None:
            return refusal
        if (
            not self.settings.allow_private
            and looks_internal(host)
            and self._proxy_for(url, host) is not None
        ):
            return ("private-address", f"{host} is a local name (sent through a proxy)")
        allowed = self._literal_allowed.get(host)
        if allowed is None:  # decided once per host: thousands of URLs share a few hosts
            try:
                ipaddress.ip_address(host)
            except ValueError:
                allowed = True  # a name: the GuardedResolver checks what it resolves to
            else:
                allowed = self.address_allowed(host)
            self._literal_allowed[host] = allowed
        return None if allowed else ("private-address", host)

    async def _request(
        self, url: str, host: str, method: str, hop: _Hop
    ) -> tuple[Observation, str | None]:
        """One HTTP exchange, in the host's slot then a global slot."""
        assert self._session is not None and self._proxy_session is not None
        assert self._global_slots is not None
        host_slots = self._host_slots.get(host)
        if host_slots is None:
            host_slots = self._host_slots[host] = asyncio.Semaphore(self.settings.per_host)
        proxy = self._proxy_for(url, host)
        session = self._session if proxy is None else self._proxy_session
        async with host_slots, self._global_slots:
            return await self._exchange(session, url, method, hop, proxy)

    def _client(
        self, resolver: AbstractResolver, tls: ssl.SSLContext | bool
    ) -> aiohttp.ClientSession:
        """An aiohttp session whose every connection is resolved by `resolver`."""
        connector = quick_ack_connector(
            resolver=resolver,
            ssl=tls,
            limit=0,
            limit_per_host=self.settings.per_host,
            ttl_dns_cache=300,
        )
        return aiohttp.ClientSession(
            connector=connector,
            headers={
                "User-Agent": self.settings.user_agent,
                "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
            },
            trust_env=False,
            max_line_size=65536,
            max_field_size=65536,
        )

    def _proxy_for(self, url: str, host: str) -> str | None:
        """The proxy for `url`, decided once per scheme and host."""
        key = (url.partition(":")[0].lower(), host)
        if key not in self._proxy_of:
            self._proxy_of[key] = self.settings.proxy.proxy_for(url)
        return self._proxy_of[key]

    async def _exchange(
        self,
        session: aiohttp.ClientSession,
        url: str,
        method: str,
        hop: _Hop,
        proxy: str | None = None,
    ) -> tuple[Observation, str | None]:
        """The observation of one request to `url` (recorded against the probed URL in `hop`),
        and the absolute Location when it is a redirect that names one."""
        settings = self.settings

        def failed(kind: str, detail: str, status: int | None = None) -> Observation:
            return Observation(
                url=hop.url,
                checked_at=hop.checked_at,
                status=status,
                final_url=url,
                redirects=hop.redirects,
                redirect_statuses=hop.redirect_statuses,
                method=method,
                error=kind,
                error_detail=detail,
                elapsed=time.monotonic() - hop.started,
                tries=hop.tries,
            )

        try:
            async with asyncio.timeout(settings.timeout):
                response = await session.request(
                    method, url, allow_redirects=False, timeout=_NO_AIOHTTP_TIMEOUT, proxy=proxy
                )
        except Exception as error:  # classified below; any failure is a value
            kind, detail = classify_exception(error)
            if kind == "timeout":
                detail = f"no complete answer within {settings.timeout:g} s"
            return failed(kind, detail), None
        location: str | None = None
        try:
            status = response.status
            headers = response.headers
            content_type = headers.get("Content-Type")
            if status in REDIRECT_STATUSES and headers.get("Location"):
                try:
                    location = urljoin(url, headers["Location"].strip()).split("#", 1)[0]
                except ValueError:
                    response.close()
                    return failed("malformed", "bad Location", status), None
            body, complete = b"", False
            texty = (content_type or "").split(";")[0].strip().lower() in TEXT_TYPES
            length = response.content_length
            wants_body = (
                method == "GET" and texty and (200 <= status < 300 or status in BODY_STATUSES)
            )
            cheap_to_drain = length is not None and length <= SMALL_BODY_BYTES
            if wants_body or cheap_to_drain:
                body, complete = await _read_capped(
                    response, settings.max_body_bytes, settings.timeout
                )
        except Exception as error:
            response.close()
            return failed(*classify_exception(error)), None
        if complete:
            response.release()
        else:
            response.close()
        title, excerpt = (None, "")
        if body and texty:
            title, excerpt = read_text(body, response.charset, settings.excerpt_chars)
        observation = Observation(
            url=hop.url,
            checked_at=hop.checked_at,
            status=status,
            final_url=url,
            redirects=hop.redirects,
            redirect_statuses=hop.redirect_statuses,
            method=method,
            content_type=content_type,
            title=title,
            body_excerpt=excerpt,
            fingerprint=hashlib.sha256(body).hexdigest()[:16] if body else None,
            retry_after=parse_retry_after(headers.get("Retry-After")),
            elapsed=time.monotonic() - hop.started,
            tries=hop.tries,
        )
        return observation, location


@dataclass(frozen=True, slots=True)
class _Hop:
    """Whose probe a request belongs to, and the redirects that led to it."""

    url: str
    checked_at: str
    redirects: tuple[str, ...]
    redirect_statuses: tuple[int, ...]
    started: float
    tries: int


_NO_AIOHTTP_TIMEOUT = aiohttp.ClientTimeout(total=None)


def _keep_unprobed(seen: Observation | None, offline: Observation) -> Observation:
    """Offline replaces what probes saw, except reasons that never needed the network."""
    return seen if seen is not None and seen.error in UNPROBED_ERRORS else offline


def _unprobeable(url: str) -> tuple[str, str] | None:
    """("scheme", scheme) or ("invalid-url", why) for a URL we must not send, else None."""
    problem = url_problem(url)
    if problem is None:
        return None
    kind, _, detail = problem.partition(": ")
    return ("scheme", detail) if kind == "non-http scheme" else ("invalid-url", detail)


def _head_untrustworthy(answer: Observation) -> bool:
    """HEAD is believed only when it says 2xx or redirects; anything else is re-asked by GET."""
    if answer.error is not None:
        return answer.error in ("reset", "malformed")
    status = answer.status or 0
    return not (200 <= status < 300 or status in REDIRECT_STATUSES)


async def _read_capped(
    response: aiohttp.ClientResponse, cap: int, timeout: float
) -> tuple[bytes, bool]:
    """Up to `cap` bytes of the body within `timeout`; True when the body ended.

    A slow or endless body costs at most `cap` bytes and `timeout` seconds;
    what arrived is still judged.
    """
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(timeout):
            while size < cap:
                chunk = await response.content.read(min(65536, cap - size))
                if not chunk:
                    return b"".join(chunks), True
                chunks.append(chunk)
                size += len(chunk)
    except TimeoutError:
        return b"".join(chunks), False
    return b"".join(chunks), response.content.at_eof()


def classify_exception(error: BaseException) -> tuple[str, str]:
    """The Observation error kind and a one-line detail for an exception from aiohttp."""
    kind, detail = _classify_exception(error)
    return kind, " ".join(detail.split())[:200]


def _classify_exception(error: BaseException) -> tuple[str, str]:
    if isinstance(error, TimeoutError | aiohttp.ServerTimeoutError):
        return "timeout", "no answer in time"
    if isinstance(error, aiohttp.ClientProxyConnectionError):
        # Every request goes this way: a network-level failure, so the canary decides.
        return "unreachable", f"proxy unreachable: {_describe(error)}"
    if isinstance(error, aiohttp.ClientHttpProxyError):
        return "proxy", f"the proxy answered {error.status} {error.message} to CONNECT"
    for cause in _causes(error):
        if isinstance(cause, PrivateAddressError):
            return "private-address", cause.strerror or str(cause)
        if isinstance(cause, socket.gaierror):
            if cause.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5)):
                return "dns", cause.strerror or "name not found"
            return "dns-unavailable", cause.strerror or str(cause)
    if isinstance(error, aiohttp.ClientConnectorCertificateError | aiohttp.ClientSSLError):
        return "tls", _describe(error)
    if isinstance(error, aiohttp.ClientConnectorDNSError):
        return "dns-unavailable", _describe(error)
    if isinstance(error, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError):
        return "reset", _describe(error) or "server disconnected"
    if isinstance(error, aiohttp.ClientResponseError):
        return "malformed", error.message or _describe(error)
    if isinstance(error, aiohttp.InvalidURL | ValueError):
        return "invalid-url", _describe(error)
    for cause in _causes(error):
        if isinstance(cause, OSError) and cause.errno is not None:
            if cause.errno == errno.ECONNREFUSED:
                return "refused", "connection refused"
            if cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
                return "unreachable", cause.strerror or "unreachable"
            if cause.errno in (errno.ECONNRESET, errno.EPIPE, errno.ECONNABORTED):
                return "reset", cause.strerror or "connection reset"
    if isinstance(error, aiohttp.ClientOSError | aiohttp.ClientConnectionError):
        return "reset", _describe(error) or type(error).__name__
    return "malformed", f"{type(error).__name__}: {_describe(error)}"


def _describe(error: BaseException) -> str:
    """str(error), which some aiohttp errors cannot produce when built without a connection."""
    try:
        return str(error)[:300]
    except Exception:
        return type(error).__name__


def _causes(error: BaseException) -> list[BaseException]:
    """The error, the OSError aiohttp wraps in it, and their causes and contexts."""
    found: list[BaseException] = []
    queue: list[BaseException] = [error]
    while queue and len(found) < 20:
        current = queue.pop(0)
        if any(current is seen for seen in found):
            continue
        found.append(current)
        for linked in (getattr(current, "os_error", None), current.__cause__, current.__context__):
            if isinstance(linked, BaseException):
                queue.append(linked)
    return found


def run_probes(
    links: Sequence[Link],
    settings: ProbeSettings,
    *,
    resolver: AbstractResolver | None = None,
    rules: RuleLookup = no_rule,
    network_canary: NetworkCanary | None = None,
    on_observation: Callable[[Link, Observation], None] | None = None,
    address_policy: AddressPolicy | None = None,
) -> ProbeRun:
    """Probe `links` from synchronous code (the CLI, tests, the bench)."""

    async def main() -> ProbeRun:
        prober = Prober(
            settings,
            resolver=resolver,
            rules=rules,
            network_canary=network_canary,
            on_observation=on_observation,
            address_policy=address_policy,
        )
        return await prober.probe_links(links)

    return asyncio.run(main())
