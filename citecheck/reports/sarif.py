"""SARIF 2.1.0 for GitHub code scanning: findings shown inline on pull requests.

One rule per finding kind (rule id = the kind, `dead-link`); one result per finding,
its first place the location (`file` + `startLine`; a PDF's page goes in the
location's message and properties, as SARIF has no pages) and the other places
related locations. `partialFingerprints` carries the finding's own fingerprint (kind,
subject, documents and notes; not lines), so an alert survives edits that move a
note. Levels: a failing kind is `error`, other high and medium findings `warning`,
low ones `note`. Paths are relative to where citecheck ran (`%SRCROOT%`), which is
how code scanning matches them to the repository.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from citecheck import __version__
from citecheck.findings.analysis import AuditResult
from citecheck.findings.finding import Finding, FindingKind, Severity
from citecheck.read.model import Place
from citecheck.reports.common import NO_DOCUMENT, actions, message_under, shown_path
from citecheck.util.visible import visible

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "citecheckFingerprint/v1"

RULES: dict[FindingKind, tuple[str, str]] = {
    FindingKind.DEAD_LINK: ("Dead link", "A cited URL failed in audits at least a day apart."),
    FindingKind.SUSPECT_LINK: (
        "Suspect link",
        "A cited URL failed once or could not be checked; it is dead only if it fails again.",
    ),
    FindingKind.SOFT_404: ("Soft 404", "A cited URL answers with a 'not found' page."),
    FindingKind.BLOCKED: ("Blocked", "The site refused the checker; check the URL in a browser."),
    FindingKind.REDIRECTED: ("Redirected", "A cited URL now redirects: cite the new address."),
    FindingKind.DATE_MISMATCH: (
        "Date mismatch",
        "A citation's date is impossible or disagrees with its URL, symbol or other citations.",
    ),
    FindingKind.SYMBOL_MISMATCH: (
        "Symbol mismatch",
        "A UN document symbol disagrees with the document its URL opens.",
    ),
    FindingKind.SUGGESTED_URL: ("Suggested URL", "A UN document cited without a URL has one."),
    FindingKind.DUPLICATE_SOURCE: (
        "Duplicate source",
        "One work is cited in full more than once, possibly in different ways.",
    ),
    FindingKind.NOTES: ("Notes", "Note markers and notes that do not match up."),
}


def level(finding: Finding, result: AuditResult) -> str:
    if finding.kind in result.fail_on:
        return "error"
    return "note" if finding.severity is Severity.LOW else "warning"


def artifact_uri(path: str) -> str:
    """A relative POSIX URI for a path under the working folder, else a file:// URI."""
    shown = shown_path(path)
    if os.path.isabs(shown):
        return Path(shown).as_uri()
    return quote(shown.replace(os.sep, "/"), safe="/")


def location(place: Place, identifier: int | None = None) -> dict[str, Any]:
    uri = artifact_uri(place.file or place.document)
    artifact: dict[str, Any] = {"uri": uri}
    if not uri.startswith("file:"):
        artifact["uriBaseId"] = "%SRCROOT%"
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if place.page is None and place.line is not None and place.line >= 1:
        physical["region"] = {"startLine": place.line}
    found: dict[str, Any] = {"physicalLocation": physical}
    if identifier is not None:
        found["id"] = identifier
    properties: dict[str, Any] = {}
    if place.note is not None:
        properties["note"] = place.note
    if place.page is not None:
        properties["page"] = place.page
        found["message"] = {"text": f"p. {place.page}"}
    if properties:
        found["properties"] = properties
    return found


def result_json(finding: Finding, result: AuditResult, rule_index: int) -> dict[str, Any]:
    links = [f"{a.label}: {a.url}" for a in actions(finding) if a.url not in finding.message]
    message = message_under(finding, NO_DOCUMENT)  # other texts' paths shown relative
    text = " ".join([message, *(f"({link})" for link in links)])
    entry: dict[str, Any] = {
        "ruleId": finding.kind.value,
        "ruleIndex": rule_index,
        "level": level(finding, result),
        "message": {"text": visible(text)},
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": {"severity": finding.severity.value},
    }
    if finding.places:
        entry["locations"] = [location(finding.places[0])]
    if len(finding.places) > 1:
        entry["relatedLocations"] = [
            location(place, identifier) for identifier, place in enumerate(finding.places[1:], 1)
        ]
    for name in ("url", "archive_url", "successor_url"):
        value = getattr(finding, name)
        if value:
            entry["properties"][name] = visible(value)
    return entry


def payload(result: AuditResult) -> dict[str, Any]:
    kinds = list(FindingKind)
    rules = [
        {
            "id": kind.value,
            "name": RULES[kind][0].replace(" ", ""),
            "shortDescription": {"text": RULES[kind][0]},
            "fullDescription": {"text": RULES[kind][1]},
            "defaultConfiguration": {"level": "error" if kind in result.fail_on else "warning"},
            "properties": {"tags": ["citations"]},
        }
        for kind in kinds
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "citecheck",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [result_json(f, result, kinds.index(f.kind)) for f in result.findings],
            }
        ],
    }


def render(result: AuditResult) -> str:
    return json.dumps(payload(result), ensure_ascii=False, indent=2) + "\n"
