"""Terminal report: counts per kind, then findings grouped by text, each at its line.

Under a text's heading a finding names only its spot (`line 14`, `p. 3`); paths are
relative to where citecheck ran; every field is shown with its control characters
written out (`escape.visible`), so only this report's own colours reach a terminal.
"""

from __future__ import annotations

import click

from citecheck.findings.analysis import AuditResult
from citecheck.findings.finding import Severity
from citecheck.reports.common import (
    actions,
    also_text,
    by_document,
    message_under,
    shown_path,
    spot,
)
from citecheck.reports.escape import visible

SEVERITY_COLOURS = {Severity.HIGH: "red", Severity.MEDIUM: "yellow", Severity.LOW: "cyan"}


def render(result: AuditResult, *, color: bool = False) -> str:
    def paint(text: str, colour: str | None = None, bold: bool = False) -> str:
        """`text` with its control characters shown, then coloured: only our escapes remain."""
        shown = visible(text)
        return click.style(shown, fg=colour, bold=bold) if color else shown

    citations = sum(d.citations for d in result.documents)
    lines = [
        paint(
            f"citecheck audit: {len(result.documents)} texts, {citations} citations, "
            f"{len(result.verdicts)} links, {len(result.findings)} findings "
            f"({len(result.failing)} failing)",
            bold=True,
        )
    ]
    for kind, count in result.counts().items():
        if count:
            failing = " (fails the run)" if kind in result.fail_on else ""
            lines.append(f"  {kind.value:<17}{count:>5}{failing}")
    if result.accepted:
        lines.append(f"  {'accepted':<17}{len(result.accepted):>5} (in the baseline, not shown)")
    health = ", ".join(f"{n} {word}" for word, n in result.link_health().items())
    if health:
        lines.append(f"  links: {health}")
    for document, findings in by_document(result.findings).items():
        lines += ["", paint(shown_path(document), bold=True)]
        for finding in findings:
            where = spot(finding.places[0]) if finding.places else ""
            severity = paint(f"{finding.severity.value:<6}", SEVERITY_COLOURS[finding.severity])
            lines.append(
                f"  {paint(where):<9} {severity} {paint(finding.kind.value)}: "
                f"{paint(message_under(finding, document))}"
            )
            for action in actions(finding):
                if action.label != "cited URL" and action.url not in finding.message:
                    lines.append(f"            {action.label}: {paint(action.url)}")
            for place in finding.places[1:]:
                lines.append(f"            also {paint(also_text(place, document))}")
    if result.changes is not None:
        lines += ["", paint("Since the last audit", bold=True)]
        if not result.changes:
            lines.append("  nothing changed")
        for change in result.changes:
            lines.append(f"  {change.change:<15}{paint(change.url)}  ({paint(change.detail)})")
    for problem in result.problems:
        lines.append(paint(f"warning: {problem}", "yellow"))
    return "\n".join(lines) + "\n"
