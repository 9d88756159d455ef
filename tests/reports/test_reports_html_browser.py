"""The HTML report in a real headless Chromium: it renders, with no console errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from citecheck.reports import ReportFormat, render
from tests.support.browser import find_chromium, load_page
from tests.support.reportsample import sample_result

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        find_chromium() is None,
        reason="chromium not installed (apt-get install -y chromium) - HTML not rendered",
    ),
]

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_report_renders_without_errors_and_screenshot(tmp_path: Path) -> None:
    page = tmp_path / "audit.html"
    page.write_text(render(ReportFormat.HTML, sample_result()), encoding="utf-8")
    run = load_page(page)
    assert run.errors == ()
    assert run.title == "citecheck audit"
    assert run.screenshot.startswith(PNG_MAGIC)
    screenshot = tmp_path / "audit.png"
    screenshot.write_bytes(run.screenshot)
    assert screenshot.stat().st_size > 10_000  # a rendered page, not a blank one


def test_the_harness_does_see_console_errors(tmp_path: Path) -> None:
    """Without this, a harness that never reports errors would pass the test above."""
    page = tmp_path / "broken.html"
    page.write_text(
        "<!DOCTYPE html><title>x</title><script>console.error('boom'); undefinedCall();</script>",
        encoding="utf-8",
    )
    run = load_page(page)
    assert any("boom" in error for error in run.errors)
    assert any("undefinedCall" in error for error in run.errors)
