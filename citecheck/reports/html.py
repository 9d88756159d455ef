"""One self-contained HTML page for editors: no scripts, no external assets, everything escaped.

Per-text tables of findings, an inline SVG chart of link health, duplicate
clusters with their variants side by side, archived copies one click away.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape

from citecheck.findings.analysis import AuditResult
from citecheck.findings.finding import Cluster, Finding, FindingKind, place_label

VERDICT_COLOURS = {
    "ok": "#2e7d32",
    "redirected": "#0277bd",
    "blocked": "#6a1b9a",
    "timeout": "#ef6c00",
    "error": "#ef6c00",
    "soft-404": "#c62828",
    "dead": "#b71c1c",
    "unchecked": "#757575",
}

STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:80rem}
table{border-collapse:collapse;margin:.5rem 0 1.5rem;width:100%}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}
.high{color:#b71c1c;font-weight:bold}.medium{color:#a66300}.low{color:#2a6f97}
.conflict th{background:#fff3cd}
.muted{color:#666}
table.narrow{width:auto}
"""


def _a(label: str, url: str) -> str:
    """A link for http(s) URLs only; anything else is shown as text."""
    if url.startswith(("http://", "https://")):
        return f'<a href="{escape(url)}">{escape(label)}</a>'
    return escape(label)


def chart(verdict_counts: dict[str, int]) -> str:
    """Horizontal bar chart of link verdicts as inline SVG."""
    if not verdict_counts:
        return '<p class="muted">No links were checked.</p>'
    order = list(VERDICT_COLOURS)
    verdict_counts = dict(
        sorted(
            verdict_counts.items(),
            key=lambda item: (order.index(item[0]) if item[0] in order else len(order), item[0]),
        )
    )
    top = max(verdict_counts.values())
    bar_height, label_width, width = 22, 110, 420
    rows = []
    for i, (verdict, count) in enumerate(verdict_counts.items()):
        y = i * (bar_height + 6)
        length = max(2, round((width - label_width - 50) * count / top))
        colour = VERDICT_COLOURS.get(verdict, "#555")
        rows.append(
            f'<text x="0" y="{y + 16}">{escape(verdict)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" '
            f'fill="{colour}"/>'
            f'<text x="{label_width + length + 6}" y="{y + 16}">{count}</text>'
        )
    height = len(verdict_counts) * (bar_height + 6)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-size="13"><title>Link health</title>'
        + "".join(rows)
        + "</svg>"
    )


def _finding_row(finding: Finding) -> str:
    first = finding.places[0] if finding.places else None
    links = []
    if finding.url:
        suggested = finding.kind is FindingKind.SUGGESTED_URL  # no author cited it
        links.append(_a("suggested URL" if suggested else "cited URL", finding.url))
    if finding.archive_url:
        links.append(_a("archived copy", finding.archive_url))
    if finding.successor_url:
        links.append(_a("successor", finding.successor_url))
    also = "".join(
        f"<br><span class=muted>also {escape(place_label(p))}</span>" for p in finding.places[1:]
    )
    return (
        f"<tr><td>{escape(place_label(first)) if first else ''}{also}</td>"
        f'<td class="{finding.severity.value}">{finding.severity.value}</td>'
        f"<td>{escape(finding.kind.value)}</td><td>{escape(finding.message)}</td>"
        f"<td>{' · '.join(links)}</td></tr>"
    )


def _cluster_table(cluster: Cluster) -> str:
    conflicting = {c.field for c in cluster.conflicts}
    head = "".join(f"<th>{escape(place_label(v.place))}</th>" for v in cluster.variants)
    rows = [f"<tr><th></th>{head}</tr>"]
    fields: list[tuple[str, list[str]]] = [
        ("key", [escape(v.key) for v in cluster.variants]),
        ("title", [escape(v.title) for v in cluster.variants]),
        ("author", [escape(v.author) for v in cluster.variants]),
        ("date", [escape(v.date) for v in cluster.variants]),
        ("url", ["<br>".join(_a(u, u) for u in v.urls) for v in cluster.variants]),
        ("un_symbols", [escape(", ".join(v.un_symbols)) for v in cluster.variants]),
    ]
    for name, cells in fields:
        css = ' class="conflict"' if name in conflicting else ""
        rows.append(f"<tr{css}><th>{name}</th>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    reasons = escape("; ".join(cluster.reasons))
    return (
        f"<h3>{escape(cluster.key)}</h3><p class=muted>matched by: {reasons}</p>"
        f"<table>{''.join(rows)}</table>"
    )


def render(result: AuditResult) -> str:
    citations = sum(d.citations for d in result.documents)
    counts = "".join(
        f"<tr><td>{k.value}</td><td>{n}</td></tr>" for k, n in result.counts().items() if n
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>citecheck audit</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>citecheck audit</h1>",
        f"<p>{len(result.documents)} texts · {citations} citations · {len(result.verdicts)} links"
        f" · <strong>{len(result.failing)} failing</strong> · generated "
        f"{escape(result.generated_at)}</p>",
        "<h2>Link health</h2>",
        chart(result.verdict_counts()),
        "<h2>Findings</h2>",
        f"<table class=narrow><tr><th>kind</th><th>count</th></tr>{counts}</table>"
        if counts
        else "<p>No findings.</p>",
    ]
    by_document: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        by_document[finding.places[0].document if finding.places else "(corpus)"].append(finding)
    for document in sorted(by_document):
        rows = "".join(_finding_row(f) for f in by_document[document])
        parts.append(
            f"<h2>{escape(document)}</h2><table><tr><th>where</th><th>severity</th>"
            f"<th>kind</th><th>finding</th><th>links</th></tr>{rows}</table>"
        )
    if result.clusters:
        parts.append(f"<h2>Duplicate sources ({len(result.clusters)})</h2>")
        parts += [_cluster_table(c) for c in result.clusters]
    if result.changes is not None:
        items = "".join(
            f"<li>{escape(c.change)}: {_a(c.url, c.url)} ({escape(c.detail)})</li>"
            for c in result.changes
        )
        parts.append(f"<h2>Since the last audit</h2><ul>{items or '<li>nothing changed</li>'}</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
