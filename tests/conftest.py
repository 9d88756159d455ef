"""Settings every test shares."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

# The standard variables citecheck reads for its network route (citecheck/probe/proxy.py).
NETWORK_VARIABLES = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "SSL_CERT_FILE",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
)


@pytest.fixture(autouse=True, scope="session")
def no_proxy_settings_from_the_developer() -> Iterator[None]:
    """A developer's own proxy or CA settings must not reroute the tests' local web: tests
    that want a proxy set one themselves. Session-wide, so module fixtures see it too."""
    with pytest.MonkeyPatch.context() as patch:
        for name in NETWORK_VARIABLES:
            patch.delenv(name, raising=False)
            patch.delenv(name.lower(), raising=False)
        yield
