"""GitHub Actions workflow commands: one annotation per finding and place, on the exact line.

Failing kinds are `error`s; other findings are `warning`s (high, medium) or `notice`s (low).
"""

from __future__ import annotations

from citecheck.findings.analysis import AuditResult
from citecheck.findings.finding import Finding, Severity
from citecheck.reports.common import NO_DOCUMENT, message_under, shown_path
from citecheck.reports.escape import visible


def escape_data(text: str) -> str:
    """A workflow command's message: `%`, CR and LF encoded as the runner decodes them, and
    every other control character written out, so no field can start a command of its own."""
    encoded = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return visible(encoded)


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
            # Relative to where citecheck ran (the checkout), which is how GitHub matches a
            # file; the included file (LaTeX \input) when the line is in one.
            where = shown_path(place.file or place.document)
            properties = [f"file={escape_property(where)}"]
            if isinstance(place.line, int):  # never text: a crafted audit cannot add a command
                properties.append(f"line={place.line:d}")
            properties.append(f"title={escape_property('citecheck ' + finding.kind.value)}")
            message = escape_data(message_under(finding, NO_DOCUMENT))
            lines.append(f"::{level(finding, result)} {','.join(properties)}::{message}")
    counts = ", ".join(f"{n} {k.value}" for k, n in result.counts().items() if n) or "no findings"
    lines.append(f"citecheck: {counts}; {len(result.failing)} failing")
    return "\n".join(lines) + "\n"
