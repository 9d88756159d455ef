"""GitHub Actions workflow commands: one annotation per finding and place, on the exact line.

Failing kinds are `error`s; other findings are `warning`s (high, medium) or `notice`s (low).
"""

from __future__ import annotations

from citecheck.findings.analysis import AuditResult
from citecheck.findings.finding import Finding, Severity


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def level(finding: Finding, result: AuditResult) -> str:
    if finding.kind in result.fail_on:
        return "error"
    return "notice" if finding.severity is Severity.LOW else "warning"


def render(result: AuditResult) -> str:
    lines: list[str] = []
    for finding in result.findings:
        for place in finding.places or ():
            properties = [f"file={escape_property(place.document)}"]
            if place.line is not None:
                properties.append(f"line={place.line}")
            properties.append(f"title={escape_property('citecheck ' + finding.kind.value)}")
            lines.append(
                f"::{level(finding, result)} {','.join(properties)}::{escape_data(finding.message)}"
            )
    counts = ", ".join(f"{n} {k.value}" for k, n in result.counts().items() if n) or "no findings"
    lines.append(f"citecheck: {counts}; {len(result.failing)} failing")
    return "\n".join(lines) + "\n"
