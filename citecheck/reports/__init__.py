"""Stage 6, reports: one module per output format, chosen by `ReportFormat`; formatting only."""

from __future__ import annotations

from enum import StrEnum
from typing import assert_never

from citecheck.findings.analysis import AuditResult
from citecheck.reports import github, html, json, junit, markdown, sarif, text


class ReportFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"
    JUNIT = "junit"
    GITHUB = "github"
    SARIF = "sarif"


def render(report_format: ReportFormat, result: AuditResult, *, color: bool = False) -> str:
    """The report as text; `color` only matters for `text` (ANSI colours for a terminal)."""
    match report_format:
        case ReportFormat.TEXT:
            return text.render(result, color=color)
        case ReportFormat.JSON:
            return json.render(result)
        case ReportFormat.MARKDOWN:
            return markdown.render(result)
        case ReportFormat.HTML:
            return html.render(result)
        case ReportFormat.JUNIT:
            return junit.render(result)
        case ReportFormat.GITHUB:
            return github.render(result)
        case ReportFormat.SARIF:
            return sarif.render(result)
        case _:
            assert_never(report_format)
