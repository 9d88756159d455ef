"""What the human-readable reports (text, Markdown, HTML) say alike: where, and what to do.

Paths are shown relative to the folder citecheck runs in when they lie under it (an
editor ran it there; the absolute path only repeats what they know); within a
document's section a place is `line 14`, `p. 3` or `note 2`, never the path again.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from citecheck.findings.analysis import AuditResult
from citecheck.findings.finding import SEVERITY_ORDER, Finding, FindingKind, place_label
from citecheck.read.model import Place

NO_DOCUMENT = "(corpus)"


def shown_path(path: str, base: Path | None = None) -> str:
    """`path` relative to `base` (default: the current folder) when it lies under it."""
    if not os.path.isabs(path):
        return path
    folder = (base or Path.cwd()).resolve()
    try:
        return Path(path).relative_to(folder).as_posix()
    except ValueError:
        try:
            return Path(path).resolve().relative_to(folder).as_posix()
        except (ValueError, OSError):
            return path


def spot(place: Place) -> str:
    """Where in its document: `p. 3`, `line 14` or `note 2`, with the included file it
    stands in (LaTeX `\\input`) when that is not the document itself."""
    if place.page is not None:
        where = f"p. {place.page}"
    elif place.line is not None:
        where = f"line {place.line}"
    elif place.note is not None:
        where = f"note {place.label or place.note}"
    else:
        where = ""
    if place.file and place.file != place.document:
        return f"{shown_path(place.file)} {where}".strip()
    return where


def place_text(place: Place) -> str:
    """A place outside the section it is listed under: `path:line`, `path p. 3`."""
    return place_label(place, shown_path)


def also_text(place: Place, document: str) -> str:
    """Another place of a finding listed under `document`: the spot alone when it is in it."""
    return spot(place) if place.document == document else place_text(place)


def message_under(finding: Finding, document: str) -> str:
    """The message as listed under `document`'s heading: `doc note 2` there becomes `note 2`
    and other texts' paths are shown relative, so no line repeats the path it sits under."""
    message = finding.message
    for path in sorted({p.document for p in finding.places}, key=len, reverse=True):
        if path == document:
            message = message.replace(f"{path} note", "note").replace(f"{path}: ", "")
        elif os.path.isabs(path):
            message = message.replace(path, shown_path(path))
    return message


def document_of(finding: Finding) -> str:
    return finding.places[0].document if finding.places else NO_DOCUMENT


def by_document(findings: tuple[Finding, ...] | list[Finding]) -> dict[str, list[Finding]]:
    """Findings grouped under their first place's document, documents in name order."""
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        grouped[document_of(finding)].append(finding)
    return {document: grouped[document] for document in sorted(grouped)}


@dataclass(frozen=True)
class Action:
    """A link a finding offers: what it is (`cited URL`, `archived copy`, `successor`) and where."""

    label: str
    url: str


def actions(finding: Finding) -> tuple[Action, ...]:
    """Every URL a finding concerns, the cited one first, then the copies to use instead."""
    found: list[Action] = []
    if finding.url:
        label = "suggested URL" if finding.kind is FindingKind.SUGGESTED_URL else "cited URL"
        found.append(Action(label, finding.url))
    if finding.successor_url and finding.successor_url != finding.url:
        found.append(Action("successor", finding.successor_url))
    if finding.archive_url:
        found.append(Action("archived copy", finding.archive_url))
    if (
        finding.final_url
        and finding.kind is FindingKind.REDIRECTED
        and finding.final_url not in (finding.url, finding.successor_url)
    ):
        found.append(Action("redirects to", finding.final_url))
    return tuple(found)


def failing_first(result: AuditResult) -> list[Finding]:
    """Findings that fail the run, then the rest, each by severity then place."""
    return sorted(
        result.findings,
        key=lambda f: (f.kind not in result.fail_on, SEVERITY_ORDER[f.severity]),
    )
