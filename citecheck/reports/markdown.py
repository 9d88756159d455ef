"""Markdown for pull-request comments and job summaries (GitHub-flavoured tables).

Nothing a document or a server wrote can make a link or break a table: cell text has
`\\`, `[`, `]`, `|`, `<` and `>` escaped and control characters written out; a link is
made only to an http(s) URL, its text escaped and its target in angle brackets with
spaces, brackets, quotes and `<>` percent-encoded, so `http://a/x](https://evil/)`
stays one link to where it says.
"""

from __future__ import annotations

from urllib.parse import quote

from citecheck.findings.analysis import AuditResult
from citecheck.findings.finding import Cluster, Finding
from citecheck.reports.common import (
    actions,
    also_text,
    by_document,
    message_under,
    place_text,
    shown_path,
    spot,
)
from citecheck.reports.escape import http_url, visible

URL_SAFE = ":/?#@!$&'*+,;=%~"
"""Characters left as they are in a link target; brackets, <, >, |, (, ), spaces, quotes,
backslashes and control characters get percent-encoded."""


def cell(text: str) -> str:
    """Table-cell safe: no pipes, line breaks, raw HTML or link syntax can escape the cell."""
    return (
        visible(text.replace("\r\n", " ").replace("\n", " ").replace("\r", " "))
        .replace("\\", "\\\\")
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "\\|")
        .replace("[", "\\[")
        .replace("]", "\\]")
        .replace("`", "\\`")
    )


def link(label: str, url: str) -> str:
    """`[label](<url>)` for an http(s) URL; anything else (javascript:, data:) as plain text."""
    if not http_url(url):
        return cell(url)
    return f"[{cell(label)}](<{quote(url, safe=URL_SAFE)}>)"


def _finding_cell(finding: Finding, document: str) -> str:
    extra = [link(a.label, a.url) for a in actions(finding) if a.label != "cited URL"]
    message = cell(message_under(finding, document))
    return message + (" (" + ", ".join(extra) + ")" if extra else "")


def _cluster_table(cluster: Cluster) -> list[str]:
    variants = cluster.variants
    header = "| | " + " | ".join(cell(place_text(v.place)) for v in variants) + " |"
    rows = [header, "|---|" + "---|" * len(variants)]
    conflicting = {c.field for c in cluster.conflicts}
    for name, values in (
        ("key", [v.key for v in variants]),
        ("title", [v.title for v in variants]),
        ("author", [v.author for v in variants]),
        ("date", [v.date for v in variants]),
        ("url", ["<br>".join(link(u, u) for u in v.urls) for v in variants]),
        ("un_symbols", [", ".join(v.un_symbols) for v in variants]),
    ):
        label = f"**{name}** ⚠" if name in conflicting else name
        shown = values if name == "url" else [cell(x) for x in values]
        rows.append(f"| {label} | " + " | ".join(shown) + " |")
    return rows


def render(result: AuditResult) -> str:
    citations = sum(d.citations for d in result.documents)
    health = ", ".join(f"{n} {word}" for word, n in result.link_health().items())
    lines = [
        "## citecheck audit",
        "",
        f"{len(result.documents)} texts · {citations} citations · {len(result.verdicts)} links · "
        f"**{len(result.failing)} failing** "
        f"(fail on: {', '.join(sorted(k.value for k in result.fail_on)) or 'nothing'})",
        *(["", f"Links: {health}"] if health else []),
        "",
        "| kind | findings |",
        "|---|---:|",
    ]
    lines += [f"| {k.value} | {n} |" for k, n in result.counts().items() if n]
    if result.accepted:
        lines.append(f"| accepted (baseline) | {len(result.accepted)} |")
    for document, findings in by_document(result.findings).items():
        lines += [
            "",
            f"### {cell(shown_path(document))}",
            "",
            "| where | severity | kind | finding |",
            "|---|---|---|---|",
        ]
        for finding in findings:
            where = [spot(p) for p in finding.places[:1]]
            where += [also_text(p, document) for p in finding.places[1:]]
            lines.append(
                f"| {'<br>'.join(cell(w) for w in where)} | {finding.severity.value} | "
                f"{finding.kind.value} | {_finding_cell(finding, document)} |"
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
    for problem in result.problems:
        lines += ["", f"> warning: {cell(problem)}"]
    return "\n".join(lines) + "\n"
