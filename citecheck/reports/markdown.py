"""Markdown for pull-request comments and job summaries (GitHub-flavoured tables)."""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import quote

from citecheck.findings.analysis import AuditResult
from citecheck.findings.finding import Cluster, Finding, place_label

URL_SAFE = ":/?#[]@!$&'*+,;=%~"
"""Characters left as they are in a link target; <, >, |, (, ), spaces and quotes get encoded."""


def cell(text: str) -> str:
    """Table-cell safe: no pipes, line breaks or raw HTML can escape the cell."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "\\|")
        .replace("\r", " ")
        .replace("\n", " ")
    )


def _link(label: str, url: str) -> str:
    safe = quote(url, safe=URL_SAFE)
    return f"[{cell(label)}]({safe})" if url.startswith(("http://", "https://")) else cell(url)


def _finding_cell(finding: Finding) -> str:
    text = cell(finding.message)
    extra = []
    if finding.archive_url:
        extra.append(_link("archived copy", finding.archive_url))
    if finding.successor_url:
        extra.append(_link("successor", finding.successor_url))
    return text + (" (" + ", ".join(extra) + ")" if extra else "")


def _cluster_table(cluster: Cluster) -> list[str]:
    variants = cluster.variants
    header = "| | " + " | ".join(cell(place_label(v.place)) for v in variants) + " |"
    rows = [header, "|---|" + "---|" * len(variants)]
    conflicting = {c.field for c in cluster.conflicts}
    for name, values in (
        ("key", [v.key for v in variants]),
        ("title", [v.title for v in variants]),
        ("author", [v.author for v in variants]),
        ("date", [v.date for v in variants]),
        ("url", ["<br>".join(_link(u, u) for u in v.urls) for v in variants]),
        ("un_symbols", [", ".join(v.un_symbols) for v in variants]),
    ):
        label = f"**{name}** ⚠" if name in conflicting else name
        shown = values if name == "url" else [cell(x) for x in values]
        rows.append(f"| {label} | " + " | ".join(shown) + " |")
    return rows


def render(result: AuditResult) -> str:
    citations = sum(d.citations for d in result.documents)
    lines = [
        "## citecheck audit",
        "",
        f"{len(result.documents)} texts · {citations} citations · {len(result.verdicts)} links · "
        f"**{len(result.failing)} failing** "
        f"(fail on: {', '.join(sorted(k.value for k in result.fail_on)) or 'nothing'})",
        "",
        "| kind | findings |",
        "|---|---:|",
    ]
    lines += [f"| {k.value} | {n} |" for k, n in result.counts().items() if n]
    if result.accepted:
        lines.append(f"| accepted (baseline) | {len(result.accepted)} |")
    by_document: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        by_document[finding.places[0].document if finding.places else "(corpus)"].append(finding)
    for document in sorted(by_document):
        lines += [
            "",
            f"### {cell(document)}",
            "",
            "| line | severity | kind | finding |",
            "|---:|---|---|---|",
        ]
        for finding in by_document[document]:
            first = finding.places[0] if finding.places else None
            line = "" if first is None or first.line is None else str(first.line)
            lines.append(
                f"| {line} | {finding.severity.value} | {finding.kind.value} | "
                f"{_finding_cell(finding)} |"
            )
    if result.clusters:
        lines += ["", f"<details><summary>Duplicate clusters ({len(result.clusters)})</summary>"]
        for cluster in result.clusters:
            lines += ["", f"#### {cell(cluster.key)}", "", *_cluster_table(cluster)]
        lines += ["", "</details>"]
    if result.changes is not None:
        lines += ["", "### Since the last audit", ""]
        lines += [f"- {c.change}: {cell(c.url)} ({cell(c.detail)})" for c in result.changes]
        if not result.changes:
            lines.append("Nothing changed.")
    return "\n".join(lines) + "\n"
