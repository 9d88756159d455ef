"""Archive trouble: with the archive unreachable or rate-limiting, the check job still
finishes, keeps every verdict, and says once which archive lookups were skipped and why.

The dead links live on the local fake web under public-looking names (the resolver maps
them to 127.0.0.x; real DNS is never asked), so the archive pass treats them as it would
real ones; the archive endpoint is a closed port or a local host that always answers 429.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from citecheck.judge.checking import CheckHooks, CheckOptions, check_links
from citecheck.probe.links import Link
from citecheck.probe.observation import ProbeSettings
from tests.support.fakeweb import FakeResponse, FakeWeb, page

DEAD_LINKS = 5
SITE = "www.long-gone-ministry.org"


async def online() -> bool:
    return True


@pytest.fixture(scope="module")
def web() -> Iterator[FakeWeb]:
    with FakeWeb() as running:
        running.add_host(SITE).route("*", page("Not Found", status=404))
        archive = running.add_host("archive.test")
        archive.route("*", FakeResponse(status=429, headers=(("Retry-After", "0"),)))
        yield running


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("trouble", ["unreachable", "rate-limited"])
def test_archive_trouble_is_reported_once_and_the_run_finishes(web: FakeWeb, trouble: str) -> None:
    endpoint = (
        f"http://127.0.0.1:{_closed_port()}"
        if trouble == "unreachable"
        else web.hosts["archive.test"].address_url("").rstrip("/")
    )
    urls = [f"http://{SITE}/gone{n}" for n in range(DEAD_LINKS)]
    result = check_links(
        [Link(url=url, normalized_url=url) for url in urls],
        CheckOptions(
            probe=ProbeSettings(timeout=5, allow_private=True),
            cache_dir=None,
            archive_endpoint=endpoint,
        ),
        CheckHooks(resolver=web.resolver(), network_canary=online),
    )
    assert [verdict.verdict for verdict in result.verdicts] == ["dead"] * DEAD_LINKS
    skipped = [warning for warning in result.warnings if "archive lookup skipped" in warning]
    assert len(skipped) == 1, result.warnings
    assert ("unreachable" if trouble == "unreachable" else "rate limit") in skipped[0]
