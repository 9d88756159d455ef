"""Text, Markdown and HTML name paths relative to where citecheck ran, never twice a line."""

from __future__ import annotations

from pathlib import Path

import pytest

from citecheck.findings.analysis import AuditResult
from citecheck.reports import ReportFormat, render
from citecheck.reports.load import load_audit
from tests.support.reportsample import sample_result


def absolute_sample(folder: Path) -> AuditResult:
    """The sample audit as if its texts had been given as absolute paths under `folder`."""
    text = render(ReportFormat.JSON, sample_result()).replace("refs/", f"{folder}/refs/")
    path = folder / "audit.json"
    path.write_text(text, encoding="utf-8")
    return load_audit(path)


@pytest.mark.parametrize(
    "report_format",
    [
        ReportFormat.TEXT,
        ReportFormat.MARKDOWN,
        ReportFormat.HTML,
        ReportFormat.GITHUB,
        ReportFormat.SARIF,
    ],
)
def test_paths_are_relative_to_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, report_format: ReportFormat
) -> None:
    result = absolute_sample(tmp_path)
    monkeypatch.chdir(tmp_path)
    page = render(report_format, result)
    assert str(tmp_path) not in page
    assert "refs/a.txt" in page and "refs/b.txt" in page


def test_elsewhere_paths_stay_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "project").mkdir()
    (tmp_path / "elsewhere").mkdir()
    result = absolute_sample(tmp_path / "project")
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert f"{tmp_path}/project/refs/a.txt" in render(ReportFormat.TEXT, result)


def test_no_line_repeats_the_path_it_sits_under() -> None:
    lines = render(ReportFormat.TEXT, sample_result()).splitlines()
    heading = None
    checked = 0
    for line in lines:
        if line in ("refs/a.txt", "refs/b.txt"):
            heading = line
        elif not line:
            heading = None
        elif heading is not None:
            assert heading not in line, line
            checked += 1
    assert checked > 10
    markdown = render(ReportFormat.MARKDOWN, sample_result()).split("### ")
    for section in markdown[1:]:
        title, _, body = section.partition("\n")
        if title.startswith("refs/"):
            assert title not in body.split("<details>")[0]


def test_each_finding_says_what_to_do_with_the_copies_known() -> None:
    result = sample_result()
    text = render(ReportFormat.TEXT, result)
    markdown = render(ReportFormat.MARKDOWN, result)
    for finding in result.findings:
        for url in (finding.archive_url, finding.successor_url):
            if url:
                assert url in text
                assert f"(<{url}>)" in markdown
