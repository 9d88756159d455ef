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


NO_OVERFLOW = (
    "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    " && document.documentElement.clientWidth <= window.innerWidth"
)
SHOWN = "[...document.querySelectorAll('article.finding')].filter(a => !a.hidden).length"
ALL = "document.querySelectorAll('article.finding').length"
BAD_LINKS = (
    "[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"
    ".filter(h => !/^https?:\\/\\//.test(h) && !h.startsWith('#'))"
)
URL_TEXT_NOT_LINKED = (
    "[...document.querySelectorAll('article.finding, .variant')].flatMap(e => "
    "[...e.querySelectorAll('li, dd')]).filter(e => /https?:\\/\\//.test(e.textContent) && "
    "!e.querySelector('a[href^=\"http\"]')).map(e => e.textContent)"
)


def _set(name: str, value: str) -> str:
    """Choose `value` in the filter form's field `name` as a person would, firing `input`."""
    return (
        f"(() => {{ const f = document.getElementById('filters'); f['{name}'].value = "
        f"{value!r}; f['{name}'].dispatchEvent(new Event('input', {{bubbles: true}})); "
        f"return {SHOWN}; }})()"
    )


@pytest.mark.parametrize("width", [390, 1400])
def test_no_horizontal_scrolling_and_every_url_is_a_link(tmp_path: Path, width: int) -> None:
    page = tmp_path / "audit.html"
    page.write_text(render(ReportFormat.HTML, sample_result()), encoding="utf-8")
    run = load_page(page, width=width, evaluate=[NO_OVERFLOW, BAD_LINKS, URL_TEXT_NOT_LINKED])
    (tmp_path / f"audit-{width}.png").write_bytes(run.screenshot)  # kept as a test artefact
    assert run.errors == ()
    no_overflow, bad_links, unlinked = run.values
    assert no_overflow, f"the page scrolls sideways at {width} px"
    assert bad_links == []
    assert unlinked == []


def test_filters_hide_and_show_findings(tmp_path: Path) -> None:
    result = sample_result()
    page = tmp_path / "audit.html"
    page.write_text(render(ReportFormat.HTML, result), encoding="utf-8")
    high = sum(1 for f in result.findings if f.severity.value == "high")
    in_b = sum(1 for f in result.findings if f.places[0].document == "refs/b.txt")
    run = load_page(
        page,
        width=390,
        evaluate=[
            ALL,
            "document.getElementById('filters').hidden",
            _set("severity", "high"),
            _set("document", "refs/b.txt"),  # high and in b: none
            "[...document.querySelectorAll('section.document')].filter(s => !s.hidden).length",
            _set("severity", ""),
            _set("kind", "blocked"),
            _set("kind", ""),
            _set("q", "paywalled"),
            _set("q", "no such words anywhere"),
            _set("q", ""),
            _set("document", ""),
        ],
    )
    (tmp_path / "audit-filtered.png").write_bytes(run.screenshot)
    assert run.errors == ()
    (everything, hidden_form, *counts) = run.values
    assert everything == len(result.findings)
    assert hidden_form is False  # the script showed the form
    assert counts == [high, 0, 0, in_b, 1, in_b, 1, 0, in_b, everything]


def test_without_javascript_every_finding_shows(tmp_path: Path) -> None:
    page = tmp_path / "audit.html"
    page.write_text(render(ReportFormat.HTML, sample_result()), encoding="utf-8")
    run = load_page(
        page,
        width=390,
        javascript=False,
        evaluate=[SHOWN, ALL, "document.getElementById('filters').hidden", NO_OVERFLOW],
    )
    shown, everything, form_hidden, no_overflow = run.values
    assert shown == everything > 0
    assert form_hidden is True  # a form that could not work is not offered
    assert no_overflow


def test_keyboard_reaches_the_filters_and_every_link(tmp_path: Path) -> None:
    page = tmp_path / "audit.html"
    page.write_text(render(ReportFormat.HTML, sample_result()), encoding="utf-8")
    focusable = (
        "[...document.querySelectorAll('a[href], select, input, button')]"
        ".filter(e => e.tabIndex >= 0 && !e.disabled).length"
    )
    every = "document.querySelectorAll('a[href], select, input, button').length"
    run = load_page(page, evaluate=[focusable, every, "document.querySelector('a.skip').href"])
    reachable, total, skip = run.values
    assert reachable == total > 10
    assert skip.endswith("#findings")
