"""Terminal report: counts per kind, then findings grouped by text, each at `file:line`."""

from __future__ import annotations

from collections import defaultdict

import click

from citecheck.findings.analysis import AuditResult
from citecheck.findings.finding import Finding, Severity, place_label

SEVERITY_COLOURS = {Severity.HIGH: "red", Severity.MEDIUM: "yellow", Severity.LOW: "cyan"}


def render(result: AuditResult, *, color: bool = False) -> str:
    def paint(text: str, colour: str | None = None, bold: bool = False) -> str:
        return click.style(text, fg=colour, bold=bold) if color else text

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
    by_document: dict[str, list[tuple[str, Finding]]] = defaultdict(list)
    for finding in result.findings:
        first = finding.places[0] if finding.places else None
        by_document[first.document if first else "(corpus)"].append(
            (place_label(first) if first else "(corpus)", finding)
        )
    for document in sorted(by_document):
        lines += ["", paint(document, bold=True)]
        for label, finding in by_document[document]:
            severity = paint(f"{finding.severity.value:<6}", SEVERITY_COLOURS[finding.severity])
            lines.append(f"  {label}  {severity} {finding.kind.value}: {finding.message}")
            for place in finding.places[1:]:
                lines.append(f"      also {place_label(place)}")
    if result.changes is not None:
        lines += ["", paint("Since the last audit", bold=True)]
        if not result.changes:
            lines.append("  nothing changed")
        for change in result.changes:
            lines.append(f"  {change.change:<15}{change.url}  ({change.detail})")
    for problem in result.problems:
        lines.append(paint(f"warning: {problem}", "yellow"))
    return "\n".join(lines) + "\n"
