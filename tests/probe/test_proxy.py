"""Proxy settings: what the environment and --proxy mean, which hosts bypass, which names
are internal (tables, no network)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from citecheck.cli.main import main
from citecheck.probe.proxy import (
    ProxyError,
    ProxySettings,
    ca_bundle_setting,
    looks_internal,
    proxy_url,
)


@pytest.mark.parametrize(
    ("environ", "override", "expected"),
    [
        ({}, None, ProxySettings()),
        (
            {"HTTPS_PROXY": "http://p:3128", "HTTP_PROXY": "http://q:8080"},
            None,
            ProxySettings(http="http://q:8080", https="http://p:3128"),
        ),
        # lower case wins over upper case, as in curl
        (
            {"https_proxy": "http://lower:1", "HTTPS_PROXY": "http://upper:2"},
            None,
            ProxySettings(https="http://lower:1"),
        ),
        # ALL_PROXY fills in for a scheme without its own proxy
        (
            {"ALL_PROXY": "http://all:1", "HTTP_PROXY": "http://h:2"},
            None,
            ProxySettings(http="http://h:2", https="http://all:1"),
        ),
        # host:port alone means an http proxy
        ({"HTTPS_PROXY": "proxy.corp:3128"}, None, ProxySettings(https="http://proxy.corp:3128")),
        # --proxy replaces both, NO_PROXY still holds
        (
            {"HTTP_PROXY": "http://h:2", "NO_PROXY": " Example.org, .intra ,"},
            "http://cli:9",
            ProxySettings(
                http="http://cli:9", https="http://cli:9", no_proxy=("example.org", ".intra")
            ),
        ),
        ({"HTTPS_PROXY": "   "}, None, ProxySettings()),
    ],
)
def test_settings_from_environment(
    environ: dict[str, str], override: str | None, expected: ProxySettings
) -> None:
    assert ProxySettings.from_environment(environ, override) == expected


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("socks5://p:1080", "only http:// and https://"),
        ("http://p:notaport", "not a proxy URL"),
        ("http://", "names no proxy host"),
    ],
)
def test_unusable_proxy_urls_name_the_setting(value: str, problem: str) -> None:
    with pytest.raises(ProxyError, match=problem) as raised:
        proxy_url(value, "HTTPS_PROXY")
    assert str(raised.value).startswith("HTTPS_PROXY: ")


EVERYTHING = ProxySettings(
    http="http://h:1",
    https="http://s:2",
    no_proxy=("example.org", ".intra.net", "*.corp.test", "10.0.0.0/8", "::1", "host.test:8443"),
)


@pytest.mark.parametrize(
    ("url", "proxy"),
    [
        ("http://www.un.org/x", "http://h:1"),
        ("https://www.un.org/x", "http://s:2"),
        ("ftp://www.un.org/x", None),
        ("https://example.org/", None),
        ("https://www.example.org/", None),
        ("https://notexample.org/", "http://s:2"),
        ("https://intra.net/", None),
        ("https://a.b.intra.net/", None),
        ("https://x.corp.test/", None),
        ("http://10.1.2.3/", None),
        ("http://11.1.2.3/", "http://h:1"),
        ("http://[::1]/", None),
        ("https://host.test:8443/", None),
        ("https://host.test/", "http://s:2"),
        ("https://EXAMPLE.ORG./", None),
    ],
)
def test_which_proxy_a_url_takes(url: str, proxy: str | None) -> None:
    assert EVERYTHING.proxy_for(url) == proxy


def test_no_proxy_star_and_no_proxies() -> None:
    assert ProxySettings(https="http://s:2", no_proxy=("*",)).proxy_for("https://a.org/") is None
    assert ProxySettings().proxy_for("https://a.org/") is None
    assert ProxySettings(http="http://h:1").proxy_for("https://a.org/") is None


def test_the_proxies_own_endpoints() -> None:
    settings = ProxySettings(http="http://Proxy.Corp:3128", https="https://127.0.0.9")
    assert settings.proxy_endpoints() == frozenset({("proxy.corp", 3128), ("127.0.0.9", 443)})


@pytest.mark.parametrize(
    ("host", "internal"),
    [
        ("localhost", True),
        ("api.localhost", True),
        ("intranet", True),
        ("printer.local", True),
        ("db.internal", True),
        ("nas.home.arpa", True),
        ("router.lan", True),
        ("box.localdomain.", True),
        ("www.un.org", False),
        ("localhost.example.com", False),
        ("www.fmprc.gov.cn", False),
        ("127.0.0.1", False),  # literals are for the address policy
        ("", False),
    ],
)
def test_internal_names(host: str, internal: bool) -> None:
    assert looks_internal(host) is internal


@pytest.mark.parametrize(
    ("option", "environ", "expected"),
    [
        (None, {}, None),
        ("cli.pem", {"SSL_CERT_FILE": "env.pem"}, "cli.pem"),
        (None, {"SSL_CERT_FILE": "ssl.pem", "REQUESTS_CA_BUNDLE": "req.pem"}, "ssl.pem"),
        (None, {"REQUESTS_CA_BUNDLE": "req.pem"}, "req.pem"),
    ],
)
def test_ca_bundle_setting(
    option: str | None, environ: dict[str, str], expected: str | None
) -> None:
    assert ca_bundle_setting(option, environ) == expected


@pytest.mark.parametrize(
    ("args", "environ", "message"),
    [
        (["--proxy", "socks5://p:1080"], {}, "citecheck: error: --proxy: 'socks5://p:1080': only"),
        ([], {"HTTPS_PROXY": "http://p:bad"}, "citecheck: error: HTTPS_PROXY: 'http://p:bad'"),
        (["--ca-bundle", "missing.pem"], {}, "citecheck: error: missing.pem: no such CA bundle"),
        ([], {"SSL_CERT_FILE": "gone.pem"}, "citecheck: error: gone.pem: no such CA bundle"),
    ],
)
def test_unusable_network_settings_are_one_line_and_exit_2(
    tmp_path: Path, args: list[str], environ: dict[str, str], message: str
) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text("https://www.un.org/\n")
    clean = {name: "" for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "SSL_CERT_FILE")}
    result = CliRunner().invoke(
        main, ["check", "--no-cache", "--urls", str(urls), *args], env={**clean, **environ}
    )
    assert result.exit_code == 2
    assert result.stderr.strip().startswith(message)
    assert "Traceback" not in result.output
