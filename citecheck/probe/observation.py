"""Stage 3, probe: observations. Fetch each link politely; record what was seen, not its meaning.

This module holds what a probe records (`Observation`), how probing is tuned
(`ProbeSettings`), the decision whether the network was there at all, and the
pure helpers (address policy, Retry-After, page text). The aiohttp machinery
that does the fetching lives in `citecheck.probe.fetch` and is imported only when
something is actually probed, so commands that never touch the network (and a
check answered wholly from the cache) do not pay for loading it.
"""

from __future__ import annotations

import html
import ipaddress
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Literal, Protocol

from citecheck import __version__
from citecheck.probe.proxy import ProxySettings

if TYPE_CHECKING:
    pass

PROJECT_URL = "https://github.com/citecheck/citecheck"
DEFAULT_USER_AGENT = f"citecheck/{__version__} (+{PROJECT_URL})"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 503})
RETRY_ERRORS = frozenset({"reset", "timeout"})
CONNECTION_ERRORS = frozenset({"refused", "reset", "timeout", "unreachable"})
# Failures that say nothing about a page when the whole network may be down.
NETWORK_LEVEL_ERRORS = frozenset({"dns", "dns-unavailable", "unreachable"})
# Kinds that are not observations of a site and never go into the cache.
UNPROBED_ERRORS = frozenset({"private-address", "offline", "scheme", "invalid-url", "excluded"})
TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
BODY_STATUSES = frozenset({403, 429, 503})
SMALL_BODY_BYTES = 16 * 1024


@dataclass(frozen=True)
class Observation:
    """What one probe of one URL saw; stored in the cache as is.

    Verdicts (and site rules) are computed from observations on every run, so
    an improved rule re-judges old observations without probing again.
    `error` is a short kind when no complete answer came: dns (the name does
    not exist), dns-unavailable (the lookup itself failed), refused, reset,
    unreachable, timeout, tls, redirect-loop, too-many-redirects, malformed,
    proxy (the proxy refused to open a tunnel to the site),
    and, for links never sent to a site, private-address, offline, scheme,
    invalid-url, excluded. `body_excerpt` is the start of the visible text of
    an HTML or text body (a few KB at most), kept for soft-404 judgement.
    `redirects` lists every hop's target in order; `redirect_statuses` their codes.
    `fingerprint` is a short hash of the body bytes read (at most the cap), so a
    later run can tell a page that changed from one that did not; `elapsed` is the
    probe's time in seconds, retries included, and `tries` how many were made.
    """

    url: str
    checked_at: str
    status: int | None = None
    final_url: str | None = None
    redirects: tuple[str, ...] = ()
    redirect_statuses: tuple[int, ...] = ()
    method: str = "GET"
    content_type: str | None = None
    title: str | None = None
    body_excerpt: str = ""
    fingerprint: str | None = None
    retry_after: float | None = None
    error: str | None = None
    error_detail: str | None = None
    elapsed: float = 0.0
    tries: int = 1


class SiteRule(Protocol):
    """What the prober and the verdicts need from a per-site rule (citecheck/judge/sites/).

    Declared here so the prober and the site rules can be built in either
    order; site modules satisfy it structurally.
    """

    @property
    def name(self) -> str: ...

    @property
    def connection_retries(self) -> int: ...

    def soft_404_reason(self, observation: Observation) -> str | None: ...

    def successors(self, url: str) -> tuple[str, ...]: ...


RuleLookup = Callable[[str], SiteRule | None]
AddressPolicy = Callable[[str], bool]
NetworkCanary = Callable[[], Awaitable[bool]]


def no_rule(url: str) -> SiteRule | None:
    """The rule lookup used when no site rules are installed."""
    return None


@dataclass(frozen=True)
class ProbeSettings:
    """How hard, how long and how politely to probe. Defaults are the CLI's."""

    timeout: float = 20.0
    concurrency: int = 32
    per_host: int = 4
    max_tries: int = 3
    max_timeout_tries: int = 2
    max_redirects: int = 10
    max_body_bytes: int = 256 * 1024
    excerpt_chars: int = 2048
    backoff_base: float = 0.5
    max_retry_wait: float = 30.0
    max_seconds_per_url: float = 120.0
    user_agent: str = DEFAULT_USER_AGENT
    allow_private: bool = False
    head_first: bool = False
    # How requests leave the machine (see citecheck.probe.proxy) and, when set, the only CA
    # certificates trusted for https (a PEM file, replacing the system's store).
    proxy: ProxySettings = field(default_factory=ProxySettings)
    ca_bundle: str | None = None


@dataclass(frozen=True)
class NetworkDecision:
    """Whether the network itself was usable during a run; the evidence is in `reason`."""

    state: Literal["online", "offline"]
    reason: str


@dataclass(frozen=True)
class ProbeRun:
    """Observations per normalised URL, and whether the network was there at all."""

    observations: dict[str, Observation]
    network: NetworkDecision


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_public_address(address: str) -> bool:
    """True only for globally routable unicast addresses: never loopback, private, shared,
    link-local, multicast, reserved or unspecified ones."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    # is_global also rules out shared (100.64/10), documentation and benchmark ranges.
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local)


def decide_network(
    observations: Iterable[Observation], canary_reachable: bool | None
) -> NetworkDecision:
    """Offline only when no probe saw the network work *and* the canary failed too.

    A DNS failure for one name while others answer is that name's problem
    (dead); when every probe failed at the network level, a quick canary
    decides between "all these names are gone" and "we are offline".
    """
    failures = 0
    for observation in observations:
        if observation.error in UNPROBED_ERRORS:
            continue
        if observation.error in NETWORK_LEVEL_ERRORS:
            failures += 1
            continue
        return NetworkDecision("online", "a server answered")
    if failures == 0:
        return NetworkDecision("online", "nothing was sent")
    if canary_reachable is False:
        return NetworkDecision("offline", "network unreachable")
    return NetworkDecision("online", "the canary answered")


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None if absent/bad."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


_TITLE_OPEN = re.compile(r"<title(?:\s[^>]{0,2000})?>", re.IGNORECASE)
_TITLE_CLOSE = re.compile(r"</title\s{0,20}>", re.IGNORECASE)
_HIDDEN_OPEN = re.compile(r"<(script|style|noscript|template)\b", re.IGNORECASE)
_HIDDEN_CLOSE = {
    name: re.compile(rf"</{name}\s{{0,20}}>", re.IGNORECASE)
    for name in ("script", "style", "noscript", "template")
}
_TAG = re.compile(r"<[^<>]{0,4000}>")
_TEXT_WINDOW = 65536


_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,300}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.I
)


def sniff_charset(body: bytes) -> str | None:
    """The charset a page declares in a <meta> tag near its start (older Chinese government
    pages say gb2312 there and nowhere else)."""
    match = _META_CHARSET.search(body, 0, 4096)
    return match.group(1).decode("ascii").lower() if match else None


def read_text(body: bytes, charset: str | None, limit: int) -> tuple[str | None, str]:
    """The page title (if any) and the first `limit` characters of visible text.

    Regular expressions with bounded repeats keep this linear on any input and
    cheap per page (the prober reads thousands), where an HTML parser would
    cost more than the request.
    """
    declared = charset or sniff_charset(body) or "utf-8"
    try:
        text = body.decode(declared, errors="replace")
    except LookupError:
        text = body.decode("utf-8", errors="replace")
    title = None
    title_span = (0, 0)
    opened = _TITLE_OPEN.search(text)
    if opened is not None:
        closed = _TITLE_CLOSE.search(text, opened.end())
        stop = closed.start() if closed is not None else min(len(text), opened.end() + 2000)
        title = " ".join(html.unescape(_TAG.sub(" ", text[opened.end() : stop])).split())[:500]
        title_span = (opened.start(), closed.end() if closed is not None else stop)
    if "<" not in text[:4096]:
        return title, " ".join(text[: limit * 2].split())[:limit]
    window = text[:_TEXT_WINDOW]
    # The title is reported apart; keep it out of the text.
    visible: list[str] = [window[: title_span[0]]]
    position = title_span[1]
    while True:
        hidden = _HIDDEN_OPEN.search(window, position)
        if hidden is None:
            visible.append(window[position:])
            break
        visible.append(window[position : hidden.start()])
        end = _HIDDEN_CLOSE[hidden.group(1).lower()].search(window, hidden.end())
        if end is None:
            break
        position = end.end()
    plain = html.unescape(_TAG.sub(" ", " ".join(visible)))
    return title, " ".join(plain.split())[:limit]
