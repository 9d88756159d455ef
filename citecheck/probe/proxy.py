"""Which way a request leaves the machine: straight out, or through the user's HTTP proxy.

Pure settings and decisions, no I/O: the same `ProxySettings` serve the prober
(aiohttp) and any `requests` client, read from the standard environment
variables (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`, in lower or
upper case, lower case first as curl does) or from `--proxy`.

The address guard and a proxy: through a proxy, the *proxy* resolves names,
so the prober cannot see which address a name leads to (and must not try: a
machine behind a proxy usually has no DNS for the outside world). What the
guard can still refuse is what the URL itself shows: address literals
(checked as before) and names that only ever mean something inside a network
(`localhost`, single-label names, `.local`, `.internal`, `.home.arpa`, ...;
see `looks_internal`). A public-looking name that the proxy's own DNS maps to
an internal address cannot be caught here: the proxy is the user's boundary
to the outside, chosen by the user, and guarding what lies behind it is its
job. The proxy's own address is likewise the user's choice and is never
refused, even when it is on loopback or a private network, but only for the
connection to the proxy itself: a URL that goes direct (NO_PROXY, or no proxy
for its scheme) is judged by the address policy even when it names the
proxy's host (the prober keeps the two kinds of connection in separate
sessions, see `citecheck.probe.fetch.ProxyResolver`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import requests

# Suffixes of names that resolve only inside a network (RFC 6761 localhost,
# RFC 6762 .local, RFC 8375 .home.arpa, ICANN's reserved .internal) and the
# customary private ones.
INTERNAL_SUFFIXES = (
    ".localhost",
    ".local",
    ".internal",
    ".home.arpa",
    ".localdomain",
    ".lan",
    ".intranet",
    ".corp",
)
PROXY_SCHEMES = ("http", "https")


class ProxyError(ValueError):
    """A proxy setting that cannot be used; the message names the setting and the problem."""


@dataclass(frozen=True)
class ProxySettings:
    """The proxy for http:// URLs, the proxy for https:// URLs, and the hosts that bypass both.

    `no_proxy` entries follow the common convention: `*` means every host; a
    name matches itself and its subdomains (a leading `.` or `*.` is ignored);
    an entry may name a port (`host:8080`); IP addresses and CIDR ranges match
    address literals.
    """

    http: str | None = None
    https: str | None = None
    no_proxy: tuple[str, ...] = ()

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str], override: str | None = None
    ) -> ProxySettings:
        """Settings from the environment; `override` (the `--proxy` option) replaces both
        proxies but keeps NO_PROXY."""

        def variable(name: str) -> tuple[str, str] | None:
            for spelled in (name.lower(), name.upper()):
                value = environ.get(spelled, "").strip()
                if value:
                    return spelled, value
            return None

        def checked(found: tuple[str, str] | None) -> str | None:
            return None if found is None else proxy_url(found[1], found[0])

        fallback = checked(variable("all_proxy"))
        http: str | None
        https: str | None
        if override is not None:
            http = https = proxy_url(override, "--proxy")
        else:
            http = checked(variable("http_proxy")) or fallback
            https = checked(variable("https_proxy")) or fallback
        bypass = variable("no_proxy")
        entries = bypass[1].split(",") if bypass is not None else []
        no_proxy = tuple(e.strip().lower() for e in entries if e.strip())
        return cls(http=http, https=https, no_proxy=no_proxy)

    @property
    def enabled(self) -> bool:
        return bool(self.http or self.https)

    def proxy_for(self, url: str) -> str | None:
        """The proxy URL to send `url` through, or None to go straight to the site."""
        if not self.enabled:
            return None
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return None
        scheme = parts.scheme.lower()
        port = port or (443 if scheme == "https" else 80)
        proxy = self.https if scheme == "https" else self.http if scheme == "http" else None
        if proxy is None or self.bypasses(parts.hostname or "", port):
            return None
        return proxy

    def bypasses(self, host: str, port: int | None = None) -> bool:
        """Whether NO_PROXY sends `host` (and `port`) straight to the site."""
        host = host.lower().rstrip(".")
        for entry in self.no_proxy:
            if entry == "*":
                return True
            name, wanted_port = _split_entry(entry)
            if wanted_port is not None and wanted_port != port:
                continue
            if _address_matches(host, name):
                return True
            bare = name.removeprefix("*").removeprefix(".")
            if bare and (host == bare or host.endswith("." + bare)):
                return True
        return False

    def proxy_endpoints(self) -> frozenset[tuple[str, int]]:
        """The proxies' own (host name, port) pairs: the user's choice, never refused by the
        address guard, but only on the connections to the proxies themselves."""
        endpoints = set()
        for proxy in (self.http, self.https):
            if proxy is not None:
                parts = urlsplit(proxy)
                port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
                endpoints.add(((parts.hostname or "").lower().rstrip("."), port))
        return frozenset(endpoints)


CA_BUNDLE_VARIABLES = ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE")


def ca_bundle_setting(option: str | None, environ: Mapping[str, str]) -> str | None:
    """The CA bundle to trust: `--ca-bundle`, else `SSL_CERT_FILE` (OpenSSL's own variable),
    else `REQUESTS_CA_BUNDLE` (what requests users already set); None for the system's."""
    if option:
        return option
    for name in CA_BUNDLE_VARIABLES:
        value = environ.get(name, "").strip()
        if value:
            return value
    return None


def routed_session(proxy: ProxySettings, ca_bundle: str | None) -> requests.Session:
    """A requests session that sends each request the way `proxy` says and trusts `ca_bundle`.

    The session ignores the environment itself (`trust_env` off): the settings,
    already read from it and from the options, are the one source, so `--proxy`,
    `--ca-bundle` and SSL_CERT_FILE mean the same for the archive as for the prober.
    """
    import requests  # noqa: PLC0415 - only commands that reach the archive need it

    class RoutedSession(requests.Session):
        def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
            text = url.decode() if isinstance(url, bytes) else url
            through = proxy.proxy_for(text)
            kwargs.setdefault("proxies", {urlsplit(text).scheme: through} if through else {})
            return super().request(method, url, *args, **kwargs)

    session = RoutedSession()
    session.trust_env = False
    if ca_bundle is not None:
        session.verify = ca_bundle
    return session


def proxy_url(value: str, setting: str) -> str:
    """A usable proxy URL from a setting's value (`host:port` means `http://host:port`)."""
    text = value.strip()
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as error:
        raise ProxyError(f"{setting}: {value!r} is not a proxy URL ({error})") from None
    if parts.scheme.lower() not in PROXY_SCHEMES:
        raise ProxyError(f"{setting}: {value!r}: only http:// and https:// proxies are supported")
    if not parts.hostname:
        raise ProxyError(f"{setting}: {value!r} names no proxy host")
    return text


def looks_internal(host: str) -> bool:
    """Whether a host *name* can only mean a machine inside a network (never on the internet)."""
    name = host.lower().rstrip(".")
    if not name:
        return False
    try:
        ipaddress.ip_address(name)
    except ValueError:
        pass
    else:
        return False  # address literals are judged by the address policy
    if "." not in name or name == "localhost":
        return True
    return name.endswith(INTERNAL_SUFFIXES)


def _split_entry(entry: str) -> tuple[str, int | None]:
    """`name:port` → (name, port); IPv6 literals and CIDR ranges are left whole."""
    if entry.count(":") == 1:
        name, _, port = entry.partition(":")
        if port.isdigit():
            return name, int(port)
    return entry.strip("[]"), None


def _address_matches(host: str, entry: str) -> bool:
    try:
        address = ipaddress.ip_address(host.strip("[]"))
        network = ipaddress.ip_network(entry, strict=False)
    except ValueError:
        return False
    return address.version == network.version and address in network
