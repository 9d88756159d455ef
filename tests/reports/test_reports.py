"""Every report format against its hand-checked golden file, plus escaping and dispatch.

Set CITECHECK_UPDATE_GOLDEN=1 to rewrite the golden files, then review the diff like code.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from citecheck.reports import ReportFormat, render
from tests.support.paths import TESTS_DIR
from tests.support.reportsample import ARCHIVE, sample_result

GOLDEN = TESTS_DIR / "golden" / "reports"
SUFFIXES = {
    ReportFormat.TEXT: "txt",
    ReportFormat.JSON: "json",
    ReportFormat.MARKDOWN: "md",
    ReportFormat.HTML: "html",
    ReportFormat.JUNIT: "xml",
    ReportFormat.GITHUB: "github.txt",
    ReportFormat.SARIF: "sarif",
}


def test_every_format_has_a_golden_file() -> None:
    assert set(SUFFIXES) == set(ReportFormat)


@pytest.mark.parametrize("report_format", list(ReportFormat))
def test_golden(report_format: ReportFormat) -> None:
    rendered = render(report_format, sample_result())
    path = GOLDEN / f"sample.{SUFFIXES[report_format]}"
    if os.environ.get("CITECHECK_UPDATE_GOLDEN"):
        path.write_text(rendered, encoding="utf-8")
    assert rendered == path.read_text(encoding="utf-8")


def test_text_is_coloured_only_when_asked() -> None:
    plain = render(ReportFormat.TEXT, sample_result())
    coloured = render(ReportFormat.TEXT, sample_result(), color=True)
    assert "\x1b[" not in plain
    assert "\x1b[31m" in coloured


def test_json_schema_and_findings_key() -> None:
    data = json.loads(render(ReportFormat.JSON, sample_result()))
    assert data["schema"] == 1
    kinds = {f["kind"] for f in data["findings"]}
    assert kinds == {
        "dead-link",
        "soft-404",
        "redirected",
        "blocked",
        "date-mismatch",
        "symbol-mismatch",
        "suggested-url",
        "duplicate-source",
        "notes",
    }
    dead = next(f for f in data["findings"] if f["kind"] == "dead-link")
    assert dead["archive_url"] == ARCHIVE
    assert dead["places"] == [{"document": "refs/a.txt", "note": 2, "line": 14}]
    # the texts keep the keys `citecheck extract` gives them
    assert [set(d) for d in data["documents"]] == [
        {"path", "markers", "notes", "body_urls", "problems"}
    ] * 2
    assert [d["path"] for d in data["summary"]["per_text"]] == ["refs/a.txt", "refs/b.txt"]


def test_html_escapes_everything() -> None:
    page = render(ReportFormat.HTML, sample_result())
    assert page.count("<script>") == 1  # the page's own filter script, at the end
    assert page.rstrip().endswith("</script></body></html>")
    assert "&lt;script&gt;alert" in page
    assert "<b>Bold</b>" not in page
    assert f'href="{ARCHIVE}"' in page
    assert "http-equiv" not in page and "src=" not in page  # nothing loaded from outside


def test_markdown_cells_cannot_break_the_table() -> None:
    page = render(ReportFormat.MARKDOWN, sample_result())
    assert "<script>" not in page
    assert "A &lt;b&gt;Bold&lt;/b&gt; \\| Author" in page


def test_junit_is_valid_xml_with_a_case_per_link_and_finding() -> None:
    result = sample_result()
    root = ET.fromstring(render(ReportFormat.JUNIT, result))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert len(suites["links"].findall("testcase")) == len(result.verdicts)
    assert len(suites["findings"].findall("testcase")) == len(result.findings)
    assert root.get("failures") == str(2 + len(result.failing))


def test_github_annotations_point_at_exact_lines() -> None:
    lines = render(ReportFormat.GITHUB, sample_result()).splitlines()
    assert any(
        line.startswith("::error file=refs/a.txt,line=14,title=citecheck dead-link::")
        for line in lines
    )
    duplicate = [line for line in lines if line.startswith("::") and "duplicate-source" in line]
    assert [line.split(",")[1] for line in duplicate] == [
        "line=12",
        "line=40",
        "line=14",
        "line=41",
    ]


def test_a_link_that_failed_once_is_suspect_in_the_chart_the_counts_and_the_findings() -> None:
    """Issue 16: the chart said "dead 10" while the findings called the same links suspect."""
    from dataclasses import replace  # noqa: PLC0415

    from citecheck.findings.analysis import analyse  # noqa: PLC0415
    from citecheck.findings.finding import FindingKind  # noqa: PLC0415

    result = sample_result()
    once = [v for v in result.verdicts if v.verdict == "dead"]
    findings, _ = analyse((), (), once, today=date(2026, 11, 22), history={})
    suspect = replace(result, findings=tuple(findings), verdicts=tuple(once), clusters=())
    assert [f.kind for f in suspect.findings] == [FindingKind.SUSPECT_LINK]
    assert suspect.link_health() == {"suspect-link": 1}
    assert "dead" not in suspect.link_health()
    page = render(ReportFormat.HTML, suspect)
    chart = page.split("<h2>Link health</h2>", 1)[1].split("</svg>", 1)[0]
    assert ">suspect-link</text>" in chart and ">dead" not in chart
    assert "1 suspect-link" in render(ReportFormat.TEXT, suspect)
    assert "Links: 1 suspect-link" in render(ReportFormat.MARKDOWN, suspect)
    assert json.loads(render(ReportFormat.JSON, suspect))["summary"]["link_health"] == {
        "suspect-link": 1
    }


def test_html_names_the_duplicated_work_not_the_notes_first() -> None:
    """A note may cite several works; a duplicate's card names the variant it is about."""
    from dataclasses import replace  # noqa: PLC0415

    from citecheck.findings.analysis import CitedWork  # noqa: PLC0415

    result = sample_result()
    other = CitedWork("refs/a.txt", 1, "Some Other Book", "Someone Else")
    page = render(ReportFormat.HTML, replace(result, works=(other, *result.works)))
    duplicate = page.split('data-kind="duplicate-source"', 1)[1].split("</article>", 1)[0]
    assert "The Internet in China — State Council Information Office" in duplicate
    assert "Some Other Book" not in duplicate
