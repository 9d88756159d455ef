"""Read a JSON audit report (schema 1) back into an `AuditResult`, to render it again.

CI can audit once with `--format json` and turn that file into a job summary,
an HTML page or annotations without probing again (`citecheck report`). A file
that is not a schema-1 audit is an `AuditFileError` naming the file, never a
traceback: the file is checked against the published JSON Schema
(`docs/audit-schema.json`, shipped as `citecheck/reports/audit-schema.json`) before
any field is used, so a string where a line number belongs is refused, not printed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, cast

import jsonschema
from jsonschema.exceptions import best_match

from citecheck.findings.analysis import AuditResult, CitedWork, DocumentSummary
from citecheck.findings.finding import Cluster, Conflict, Finding, FindingKind, Severity, Variant
from citecheck.findings.history import Change, TrendPoint
from citecheck.judge.verdicts import LinkVerdict, VerdictWord
from citecheck.read.model import DocumentError, Place
from citecheck.reports.json import SCHEMA


class AuditFileError(DocumentError):
    """A file that is not a readable schema-1 audit; the message is one line naming it."""


def load_audit(path: Path) -> AuditResult:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise AuditFileError(f"{path}: cannot read: {error.strerror or error}") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise AuditFileError(f"{path}: not JSON ({error})") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        schema = data.get("schema") if isinstance(data, dict) else None
        raise AuditFileError(
            f"{path}: not a citecheck audit of schema {SCHEMA} (schema {schema!r})"
        )
    problem = schema_problem(data)
    if problem is not None:
        raise AuditFileError(f"{path}: not a valid audit: {problem}")
    try:
        return audit_from_json(data)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise AuditFileError(f"{path}: malformed audit ({type(error).__name__}: {error})") from None


@cache
def audit_schema() -> dict[str, Any]:
    """The JSON Schema of a schema-1 audit, as published in docs/audit-schema.json."""
    text = resources.files("citecheck.reports").joinpath("audit-schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def schema_problem(data: Any) -> str | None:
    """The most telling way `data` breaks the audit schema, in one short line, or None."""
    validator = jsonschema.Draft202012Validator(audit_schema())
    error = best_match(validator.iter_errors(data))
    if error is None:
        return None
    where = "/".join(str(part) for part in error.absolute_path) or "(top)"
    message = error.message if len(error.message) <= 200 else error.message[:200] + "…"
    return f"{where}: {message}"


def _place(data: Mapping[str, Any]) -> Place:
    return Place(
        str(data["document"]),
        data.get("note"),
        data.get("line"),
        data.get("page"),
        data.get("label"),
        data.get("file"),
    )


def _cluster(data: Mapping[str, Any]) -> Cluster:
    return Cluster(
        key=data["key"],
        variants=tuple(
            Variant(
                key=v["key"],
                place=_place(v["place"]),
                title=v["title"],
                author=v["author"],
                date=v["date"],
                urls=tuple(v["urls"]),
                un_symbols=tuple(v["un_symbols"]),
                raw=v["raw"],
            )
            for v in data["variants"]
        ),
        conflicts=tuple(Conflict(c["field"], tuple(c["values"])) for c in data["conflicts"]),
        reasons=tuple(data["reasons"]),
    )


def _finding(data: Mapping[str, Any], clusters: Mapping[str, Cluster]) -> Finding:
    return Finding(
        kind=FindingKind(data["kind"]),
        severity=Severity(data["severity"]),
        message=data["message"],
        places=tuple(_place(p) for p in data["places"]),
        subject=data["subject"],
        url=data.get("url"),
        archive_url=data.get("archive_url"),
        successor_url=data.get("successor_url"),
        final_url=data.get("final_url"),
        evidence=tuple((str(k), str(v)) for k, v in data.get("evidence", {}).items()),
        cluster=clusters[data["cluster"]] if data.get("cluster") else None,
    )


def _verdict(data: Mapping[str, Any]) -> LinkVerdict:
    return LinkVerdict(
        url=data["url"],
        normalized_url=data["normalized_url"],
        verdict=cast(VerdictWord, data["verdict"]),
        reason=data["reason"],
        status=data.get("status"),
        final_url=data.get("final_url"),
        redirects=tuple(data.get("redirects", ())),
        checked_at=data.get("checked_at"),
        cited_in=tuple(_place(p) for p in data.get("cited_in", ())),
        rule=data.get("rule"),
        successor_url=data.get("successor_url"),
        archive_url=data.get("archive_url"),
        archive_timestamp=data.get("archive_timestamp"),
        suggested_for=data.get("suggested_for"),
    )


def audit_from_json(data: Mapping[str, Any]) -> AuditResult:
    clusters = {c["key"]: _cluster(c) for c in data["clusters"]}
    summary = data["summary"]
    changes = data.get("changes")
    return AuditResult(
        generated_at=data["generated_at"],
        documents=tuple(DocumentSummary(**d) for d in summary["per_text"]),
        findings=tuple(_finding(f, clusters) for f in data["findings"]),
        clusters=tuple(clusters.values()),
        verdicts=tuple(_verdict(v) for v in data["links"]),
        fail_on=frozenset(FindingKind(k) for k in summary["fail_on"]),
        accepted=tuple(_finding(f, clusters) for f in data["accepted"]),
        changes=None if changes is None else tuple(Change(**c) for c in changes),
        problems=tuple(data.get("problems", ())),
        extracted=tuple(data.get("documents", ())),
        trend=tuple(TrendPoint(**p) for p in data.get("trend", ())),
        works=tuple(CitedWork(**w) for w in data.get("works", ())),
    )
