"""The prober through a forward proxy (tests/support/fakeweb/proxy.py): http in absolute form,
https through CONNECT with the test CA, the address guard, the canary, NO_PROXY."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import requests
from aiohttp.abc import AbstractResolver, ResolveResult
from click.testing import CliRunner

from citecheck.cli.main import main
from citecheck.judge.verdicts import LinkVerdict, judge
from citecheck.probe import fetch
from citecheck.probe.links import Link
from citecheck.probe.observation import ProbeRun, ProbeSettings
from citecheck.probe.proxy import ProxySettings, routed_session
from citecheck.probe.run import run_probes
from tests.support.fakearchive import FakeCapture, FakeWayback
from tests.support.fakeweb import (
    FakeRequest,
    FakeResponse,
    FakeWeb,
    no_real_network,  # noqa: F401 - a fixture, used by pytestmark
    page,
    redirect,
)
from tests.support.fakeweb.proxy import FakeProxy

pytestmark = pytest.mark.usefixtures("no_real_network")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeWeb, FakeProxy]]:
    with FakeWeb() as web, FakeProxy(web, tmp_path_factory.mktemp("ca")) as proxy:
        un = proxy.site("www.un.org")
        un.route("/en/", page("Welcome to the United Nations"))
        un.route("/old", redirect("https://www.un.org/en/"))
        proxy.site("plain.example.org").route("/", page("Plain"))
        proxy.site("example.com").route("/", page("Example Domain"))
        proxy.refusing_site("down.example.org")
        direct = web.add_host("direct.test")
        direct.route("/", page("Direct"))
        yield web, proxy


def settings_for(fake: FakeProxy, **changes: object) -> ProbeSettings:
    base = ProbeSettings(
        timeout=2.0,
        backoff_base=0.01,
        max_retry_wait=0.1,
        proxy=fake.settings(),
        ca_bundle=str(fake.ca_file),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def probe(
    urls: list[str], settings: ProbeSettings, **options: object
) -> tuple[ProbeRun, list[LinkVerdict]]:
    links = [Link(url=url, normalized_url=url) for url in urls]
    run = run_probes(links, settings, **options)  # type: ignore[arg-type]
    return run, [judge(link, run.observations[link.normalized_url]) for link in links]


def test_http_and_https_pass_through_the_proxy_by_name(world: tuple[FakeWeb, FakeProxy]) -> None:
    web, proxy = world
    # No resolver is given: the tripwire fails the test if the prober looks a name up itself,
    # and the proxy's loopback address is allowed without --allow-private.
    _, verdicts = probe(
        ["https://www.un.org/en/", "http://plain.example.org/", "https://www.un.org/old"],
        settings_for(proxy),
    )
    assert [v.verdict for v in verdicts] == ["ok", "ok", "redirected"]
    assert verdicts[2].final_url == "https://www.un.org/en/"
    assert "www.un.org" in proxy.asked
    assert {r.path for r in web.requests if r.host == "www.un.org"} >= {"/en/", "/old"}


def test_without_the_ca_bundle_the_intercepted_tls_is_refused(
    world: tuple[FakeWeb, FakeProxy],
) -> None:
    _, proxy = world
    _, [verdict] = probe(["https://www.un.org/en/"], settings_for(proxy, ca_bundle=None))
    assert verdict.verdict == "error"
    assert verdict.reason.startswith("TLS failure")


def test_a_host_the_proxy_cannot_reach_is_an_error_not_dead(
    world: tuple[FakeWeb, FakeProxy],
) -> None:
    _, proxy = world
    _, verdicts = probe(
        ["https://down.example.org/", "http://down.example.org/", "https://nowhere.example/"],
        settings_for(proxy),
    )
    assert [v.verdict for v in verdicts] == ["error", "error", "error"]
    assert "502" in verdicts[0].reason and "proxy" in verdicts[0].reason
    assert verdicts[1].reason == "HTTP 502"


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost/",
        "https://intranet/",
        "http://db.internal/x",
        "http://127.0.0.1/",
        "http://[::1]/",
    ],
)
def test_local_names_and_literals_are_not_sent_through_the_proxy(
    world: tuple[FakeWeb, FakeProxy], url: str
) -> None:
    _, proxy = world
    before = len(proxy.asked)
    _, [verdict] = probe([url], settings_for(proxy))
    assert verdict.verdict == "unchecked"
    assert verdict.reason.startswith("private address")
    assert len(proxy.asked) == before


def test_allow_private_sends_local_names_to_the_proxy(world: tuple[FakeWeb, FakeProxy]) -> None:
    _, proxy = world
    _, [verdict] = probe(["https://intranet/"], settings_for(proxy, allow_private=True))
    assert verdict.verdict == "error"  # the proxy was asked, and cannot reach it
    assert proxy.asked[-1] == "intranet"


def test_no_proxy_hosts_go_straight_to_the_site(world: tuple[FakeWeb, FakeProxy]) -> None:
    web, proxy = world
    routed = replace(proxy.settings(), no_proxy=("direct.test",))
    _, [verdict] = probe(
        ["http://direct.test/"],
        settings_for(proxy, proxy=routed, allow_private=True),
        resolver=web.resolver(),
    )
    assert verdict.verdict == "ok"
    assert "direct.test" not in proxy.asked


def test_a_dead_proxy_means_offline_and_the_canary_asks_through_it(
    world: tuple[FakeWeb, FakeProxy],
) -> None:
    _, proxy = world
    with socket.socket() as spare:
        spare.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{spare.getsockname()[1]}"
    settings = settings_for(proxy, proxy=ProxySettings(http=dead, https=dead))
    # The direct canary is a tripwire here (no_real_network): only the proxied one may run.
    run, verdicts = probe(["https://www.un.org/en/", "http://plain.example.org/"], settings)
    assert run.network.state == "offline"
    assert [v.verdict for v in verdicts] == ["unchecked", "unchecked"]


def test_the_proxied_canary(world: tuple[FakeWeb, FakeProxy]) -> None:
    _, proxy = world
    assert asyncio.run(fetch.proxied_canary(proxy.url, timeout=2.0)) is True
    proxy.refusing_site("example.com")
    try:
        assert asyncio.run(fetch.proxied_canary(proxy.url, timeout=2.0)) is False
    finally:
        proxy.refusing.discard("example.com")


class LoopbackResolver(AbstractResolver):
    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        return [
            ResolveResult(
                hostname=host, host="127.0.0.1", port=port, family=socket.AF_INET, proto=0, flags=0
            )
        ]

    async def close(self) -> None:
        return None


def test_the_guard_exempts_no_name_and_the_proxy_resolver_only_the_proxy() -> None:
    guard = fetch.GuardedResolver(LoopbackResolver(), lambda address: False)
    with pytest.raises(fetch.PrivateAddressError):
        asyncio.run(guard.resolve("proxy.corp", 3128))
    via = fetch.ProxyResolver(LoopbackResolver(), frozenset({("proxy.corp", 3128)}))
    assert asyncio.run(via.resolve("Proxy.Corp", 3128))[0]["host"] == "127.0.0.1"
    for host, port in [("proxy.corp", 8097), ("elsewhere.corp", 3128)]:
        with pytest.raises(fetch.PrivateAddressError):
            asyncio.run(via.resolve(host, port))


class NamedResolver(AbstractResolver):
    """A fake DNS: each known name leads to one address, at the port asked (as real DNS)."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        address = self.names.get(host.lower())
        if address is None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            ResolveResult(
                hostname=host, host=address, port=port, family=socket.AF_INET, proto=0, flags=0
            )
        ]

    async def close(self) -> None:
        return None


class CountingListener:
    """A loopback port standing for an internal service: counts the connections it accepts."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen()
        self.socket.settimeout(0.05)
        self.port = self.socket.getsockname()[1]
        self.accepted = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            self.accepted += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.socket.close()


@pytest.fixture
def loopback_proxy(
    world: tuple[FakeWeb, FakeProxy], tmp_path: Path
) -> Iterator[tuple[FakeProxy, CountingListener]]:
    """A proxy on 127.0.0.1 (reached by a *name*) and an internal service beside it."""
    web, _ = world
    fake = FakeProxy(web, tmp_path)
    fake.ip = "127.0.0.1"
    fake.site("plain.example.org")  # already routed by `world`
    internal = CountingListener()
    with fake:
        yield fake, internal
    internal.close()


@pytest.mark.parametrize(
    ("environment", "proxy_name", "cited"),
    [
        # --proxy http://localhost:PORT with NO_PROXY=localhost
        ({"NO_PROXY": "localhost"}, "localhost", "http://localhost:{port}/a"),
        # HTTP_PROXY=http://localhost:PORT and no https proxy: https goes direct
        ({"HTTP_PROXY": "http://localhost:{proxy}"}, "localhost", "https://localhost:{port}/b"),
        # a proxy on the internal network by name, with its domain in NO_PROXY
        ({"NO_PROXY": ".corp"}, "proxy.corp", "http://proxy.corp:{port}/c"),
    ],
)
def test_a_direct_url_naming_the_proxys_host_is_refused(
    loopback_proxy: tuple[FakeProxy, CountingListener],
    environment: dict[str, str],
    proxy_name: str,
    cited: str,
) -> None:
    proxy, internal = loopback_proxy
    given = {name: value.format(proxy=proxy.port) for name, value in environment.items()}
    override = None if "HTTP_PROXY" in given else f"http://{proxy_name}:{proxy.port}"
    routed = ProxySettings.from_environment(given, override)
    url = cited.format(port=internal.port)
    assert routed.proxy_for(url) is None  # the cited URL goes direct ...
    _, verdicts = probe(
        [url, "http://plain.example.org/"],
        settings_for(proxy, proxy=routed),
        resolver=NamedResolver({proxy_name: "127.0.0.1"}),
    )
    # ... so the address policy judges it, while the proxy (same name) still serves the rest.
    assert [v.verdict for v in verdicts] == ["unchecked", "ok"]
    assert verdicts[0].reason.startswith("private address")
    assert internal.accepted == 0
    assert proxy.asked[-1] == "plain.example.org"


def test_the_ca_file_is_a_real_pem(world: tuple[FakeWeb, FakeProxy]) -> None:
    _, proxy = world
    assert Path(proxy.ca_file).read_text().startswith("-----BEGIN CERTIFICATE-----")


def test_the_archive_session_follows_the_same_settings(
    world: tuple[FakeWeb, FakeProxy], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, proxy = world
    # The environment is read once, by the CLI; the session itself must not re-read it.
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:1")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/nonexistent.pem")
    session = routed_session(proxy.settings(), str(proxy.ca_file))
    assert session.get("https://www.un.org/en/", timeout=5).text.count("United Nations") >= 1
    assert session.get("http://plain.example.org/", timeout=5).status_code == 200
    assert proxy.asked[-2:] == ["www.un.org", "plain.example.org"]


def test_the_archive_session_without_the_ca_refuses_the_intercepted_tls(
    world: tuple[FakeWeb, FakeProxy],
) -> None:
    _, proxy = world
    session = routed_session(proxy.settings(), None)
    with pytest.raises(requests.exceptions.SSLError):
        session.get("https://www.un.org/en/", timeout=5)


def test_a_proxy_that_wants_credentials_gets_them_from_its_url(
    world: tuple[FakeWeb, FakeProxy],
) -> None:
    _, proxy = world
    proxy.credentials = ("editor", "s3cret:!")
    try:
        with_login = proxy.url.replace("http://", "http://editor:s3cret%3A%21@")
        routed = ProxySettings(http=with_login, https=with_login)
        _, verdicts = probe(
            ["https://www.un.org/en/", "http://plain.example.org/"],
            settings_for(proxy, proxy=routed),
        )
        assert [v.verdict for v in verdicts] == ["ok", "ok"]
        assert asyncio.run(fetch.proxied_canary(with_login, timeout=2.0)) is True
        assert asyncio.run(fetch.proxied_canary(proxy.url, timeout=2.0)) is False
        session = routed_session(routed, str(proxy.ca_file))
        assert session.get("https://www.un.org/en/", timeout=5).status_code == 200
    finally:
        proxy.credentials = None


def test_check_takes_proxy_and_ca_bundle_options(
    world: tuple[FakeWeb, FakeProxy], tmp_path: Path
) -> None:
    _, proxy = world
    urls = tmp_path / "urls.txt"
    urls.write_text("https://www.un.org/en/\nhttp://plain.example.org/\n")
    clean = {name: "" for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "SSL_CERT_FILE")}
    result = CliRunner().invoke(
        main,
        ["check", "--no-cache", "--urls", str(urls), "--proxy", proxy.url],
        env={**clean, "REQUESTS_CA_BUNDLE": "", "NO_PROXY": ""},
    )
    assert result.exit_code == 1  # without the test CA, https through the proxy fails
    result = CliRunner().invoke(
        main,
        ["check", "--no-cache", "--urls", str(urls), "--proxy", proxy.url,
         "--ca-bundle", str(proxy.ca_file), "--archive", "none"],
        env={**clean, "REQUESTS_CA_BUNDLE": "", "NO_PROXY": ""},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [link["verdict"] for link in json.loads(result.stdout)["links"]] == ["ok", "ok"]


def test_the_archive_command_reads_the_proxy_and_ca_from_the_environment(
    world: tuple[FakeWeb, FakeProxy], tmp_path: Path
) -> None:
    _, proxy = world
    gone = "http://www.un.org/gone"
    wayback = FakeWayback(
        base="https://web.archive.org",
        captures={gone: [FakeCapture("20120101000000", body=_ARCHIVED)]},
    )

    def answer(request: FakeRequest) -> FakeResponse:
        status, headers, body = wayback.answer(request.path)
        return FakeResponse(status, body.encode(), headers.get("Content-Type"))

    proxy.site("web.archive.org").route("*", answer)
    result = CliRunner().invoke(
        main,
        ["archive", gone, "--cited-on", "2013-05-01", "--cache", str(tmp_path)],
        env={**proxy.environment(), "REQUESTS_CA_BUNDLE": ""},
    )
    assert result.exit_code == 0, result.output
    [found] = json.loads(result.stdout)["archive"]
    assert found["archive_url"] == f"https://web.archive.org/web/20120101000000/{gone}"
    assert "web.archive.org" in proxy.asked


_ARCHIVED = "<html><head><title>Archived</title></head><body><p>The page</p></body></html>"
