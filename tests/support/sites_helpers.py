"""Build Observations from the hand-written site fixtures, as the prober would record them."""

from __future__ import annotations

import re

from citecheck.probe.observation import Observation
from tests.support.paths import TESTS_DIR

FIXTURES = TESTS_DIR / "fixtures" / "sites"
TITLE = re.compile(r"<title>([^<]*)</title>", re.IGNORECASE)


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def observed(
    url: str,
    fixture: str | None = None,
    *,
    final_url: str | None = None,
    status: int | None = 200,
    error: str | None = None,
) -> Observation:
    """What a probe of `url` that was answered with `fixture` (after redirects) saw."""
    body = fixture_text(fixture) if fixture else ""
    title_match = TITLE.search(body)
    return Observation(
        url=url,
        checked_at="2026-11-22T00:00:00Z",
        status=status,
        final_url=final_url or url,
        redirects=(final_url,) if final_url and final_url != url else (),
        content_type="text/html" if fixture else None,
        title=title_match.group(1).strip() if title_match else None,
        body_excerpt=body[:4096],
        error=error,
    )
