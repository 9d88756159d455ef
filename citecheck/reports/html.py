"""One self-contained HTML page for editors: no external assets, every field escaped.

On top, a summary: findings by kind and severity, the failing ones first, what changed
since the last audit, link health in the findings' own words and a small trend of
dead and suspect links over the audits. Below, the findings grouped by text, each with
its spot, note, cited work, message and every URL as a link (cited, successor,
archived copy). A few lines of plain JavaScript filter by kind, severity and text and
search the messages; without JavaScript the form stays hidden and every finding shows.
The layout is one column of cards that wraps long URLs, so it reads at 390 px as at
1400 px; everything is reachable with the keyboard.
"""

from __future__ import annotations

from collections import Counter
from html import escape

from citecheck.findings.analysis import AuditResult
from citecheck.findings.finding import Cluster, Finding, FindingKind, Severity
from citecheck.findings.history import TrendPoint
from citecheck.reports.common import (
    NO_DOCUMENT,
    actions,
    also_text,
    by_document,
    failing_first,
    message_under,
    place_text,
    shown_path,
    spot,
)
from citecheck.reports.escape import http_url, visible

HEALTH_COLOURS = {
    "dead-link": "#b71c1c",
    "soft-404": "#c62828",
    "suspect-link": "#ef6c00",
    "blocked": "#6a1b9a",
    "redirected": "#0277bd",
    "ok": "#2e7d32",
    "unchecked": "#757575",
    "suggested": "#00796b",
}

STYLE = """
*{box-sizing:border-box}
body{font-family:system-ui,sans-serif;margin:0 auto;padding:1rem;color:#222;max-width:72rem;
line-height:1.45;overflow-wrap:break-word}
a,code{overflow-wrap:anywhere}
a{color:#0645ad}
a:focus,button:focus,select:focus,input:focus,summary:focus{outline:3px solid #f9a825;
outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.3rem}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;margin:1.5rem 0 .5rem;
overflow-wrap:anywhere}
h3{font-size:1.05rem;margin:1rem 0 .3rem}
.summary{display:flex;flex-wrap:wrap;gap:1rem}.summary>section{flex:1 1 18rem;min-width:0}
table{border-collapse:collapse;margin:.3rem 0 1rem}
th,td{border:1px solid #ccc;padding:.2rem .45rem;text-align:left;vertical-align:top}
td.n{text-align:right}th{background:#f3f3f3}tr:first-child th{white-space:nowrap}
.badge{display:inline-block;border-radius:.3rem;padding:0 .35rem;font-size:.85rem;
font-weight:600;color:#fff}
.high{background:#b71c1c}.medium{background:#a65c00}.low{background:#2a6f97}
.fails{border-left:.35rem solid #b71c1c}
.finding{border:1px solid #ddd;border-radius:.4rem;padding:.5rem .7rem;margin:.5rem 0;
overflow-wrap:anywhere;word-break:break-word}
.finding p{margin:.25rem 0}.where{font-weight:600}.muted{color:#555}
.work{font-style:italic}
ul.links{margin:.2rem 0;padding-left:1.2rem}
code{overflow-wrap:anywhere;word-break:break-all}
svg{max-width:100%;height:auto}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;background:#f6f8fa;
padding:.6rem;border-radius:.4rem;position:sticky;top:0}
form.filters label{display:flex;flex-direction:column;font-size:.9rem;min-width:0}
form.filters select,form.filters input{font:inherit;max-width:100%}
.variant{border:1px dashed #bbb;border-radius:.3rem;padding:.3rem .6rem;margin:.4rem 0;
overflow-wrap:anywhere}
.variant dl{margin:0;display:grid;grid-template-columns:max-content 1fr;gap:0 .6rem}
.variant dd{margin:0;min-width:0}.conflict{background:#fff3cd}
[hidden]{display:none!important}
"""

SCRIPT = """
(function(){
var form=document.getElementById('filters');if(!form)return;form.hidden=false;
var cards=[].slice.call(document.querySelectorAll('article.finding'));
var sections=[].slice.call(document.querySelectorAll('section.document'));
var count=document.getElementById('shown');
function apply(){
 var kind=form.kind.value,sev=form.severity.value,doc=form.document.value,
 q=form.q.value.trim().toLowerCase(),shown=0;
 cards.forEach(function(c){
  var ok=(!kind||c.dataset.kind===kind)&&(!sev||c.dataset.severity===sev)&&
  (!doc||c.dataset.document===doc)&&(!q||c.textContent.toLowerCase().indexOf(q)>=0);
  c.hidden=!ok;if(ok)shown++;});
 sections.forEach(function(s){
  s.hidden=!s.querySelector('article.finding:not([hidden])');});
 count.textContent=shown+' of '+cards.length+' findings shown';}
form.addEventListener('input',apply);form.addEventListener('change',apply);
form.addEventListener('submit',function(e){e.preventDefault();apply();});
form.addEventListener('reset',function(){setTimeout(apply,0);});
apply();})();
"""


def _e(text: str) -> str:
    """Escaped for HTML, control characters written out."""
    return escape(visible(text))


def _a(label: str, url: str) -> str:
    """A link for http(s) URLs only; anything else (javascript:, data:) is shown as code."""
    if http_url(url):
        return f'<a href="{escape(visible(url))}">{_e(label)}</a>'
    return f"<code>{_e(url)}</code>"


def health_chart(health: dict[str, int]) -> str:
    """Horizontal bars of links per state, in the same words as the findings, as inline SVG."""
    if not health:
        return '<p class="muted">No links were checked.</p>'
    top = max(health.values())
    bar, label_width, width = 20, 110, 360
    rows = []
    for i, (word, count) in enumerate(health.items()):
        y = i * (bar + 6)
        length = max(2, round((width - label_width - 40) * count / top))
        rows.append(
            f'<text x="0" y="{y + 15}">{_e(word)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar}" '
            f'fill="{HEALTH_COLOURS.get(word, "#555")}"/>'
            f'<text x="{label_width + length + 5}" y="{y + 15}">{count}</text>'
        )
    height = len(health) * (bar + 6)
    described = ", ".join(f"{n} {w}" for w, n in health.items())
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Link health: '
        f'{_e(described)}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-size="13"><title>Link health: {_e(described)}</title>' + "".join(rows) + "</svg>"
    )


def trend_chart(trend: tuple[TrendPoint, ...]) -> str:
    """Dead (red) and suspect (orange) links per audit, oldest left, with a table behind it."""
    if not trend:
        return '<p class="muted">No audit history yet.</p>'
    top = max(1, *(max(p.dead, p.suspect) for p in trend))
    step, height = 18, 60
    bars = []
    for i, point in enumerate(trend):
        x = i * step
        for offset, value, colour in ((0, point.dead, "#b71c1c"), (8, point.suspect, "#ef6c00")):
            tall = round(height * value / top)
            bars.append(
                f'<rect x="{x + offset}" y="{height - tall}" width="7" height="{max(tall, 1)}" '
                f'fill="{colour}"><title>{_e(point.at)}: {value} '
                f"{'dead' if offset == 0 else 'suspect'}</title></rect>"
            )
    width = len(trend) * step
    last = trend[-1]
    now = (
        f"<p>This audit: {last.dead} dead-link, {last.suspect} suspect-link "
        f"({len(trend)} audit{'s' if len(trend) != 1 else ''} so far).</p>"
    )
    rows = "".join(
        f"<tr><td>{_e(p.at)}</td><td class=n>{p.dead}</td><td class=n>{p.suspect}</td></tr>"
        for p in trend
    )
    return (
        now
        + f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="Dead and suspect links over '
        f'{len(trend)} audits; now {last.dead} dead, {last.suspect} suspect">'
        + "".join(bars)
        + "</svg>"
        '<p class="muted"><span style="color:#b71c1c">■</span> dead-link '
        '<span style="color:#ef6c00">■</span> suspect-link, oldest audit first</p>'
        f"<details><summary>Trend as a table</summary><table><tr><th>audit</th>"
        f"<th>dead-link</th><th>suspect-link</th></tr>{rows}</table></details>"
    )


def counts_table(result: AuditResult) -> str:
    """Findings per kind and severity; failing kinds marked."""
    counted = Counter((f.kind, f.severity) for f in result.findings)
    severities = (Severity.HIGH, Severity.MEDIUM, Severity.LOW)
    head = "".join(f"<th>{s.value}</th>" for s in severities)
    rows = []
    for kind in FindingKind:
        total = sum(counted[(kind, s)] for s in severities)
        if not total:
            continue
        fails = " (fails)" if kind in result.fail_on else ""
        cells = "".join(f"<td class=n>{counted[(kind, s)] or ''}</td>" for s in severities)
        rows.append(
            f"<tr><th scope=row>{kind.value}{fails}</th>{cells}<td class=n>{total}</td></tr>"
        )
    if not rows:
        return "<p>No findings.</p>"
    return f"<table><tr><th>kind</th>{head}<th>all</th></tr>{''.join(rows)}</table>" + (
        f"<p class=muted>{len(result.accepted)} accepted by the baseline, not shown.</p>"
        if result.accepted
        else ""
    )


def _anchor(finding: Finding) -> str:
    return f"f-{finding.fingerprint}"


def cited_work(finding: Finding, result: AuditResult) -> tuple[str, str]:
    """(title, author) of the work a finding concerns: a duplicate's own variant at its first
    place (a note may cite several works), else the note's first cited work."""
    first = finding.places[0] if finding.places else None
    if first is None:
        return "", ""
    if finding.cluster is not None:
        for variant in finding.cluster.variants:
            if variant.place == first:
                return variant.title, variant.author
    work = result.work_at(first.document, first.note)
    return (work.title, work.author) if work is not None else ("", "")


def finding_card(finding: Finding, document: str, result: AuditResult) -> str:
    first = finding.places[0] if finding.places else None
    fails = finding.kind in result.fail_on
    note = (
        f" · note {_e(str(first.label or first.note))}"
        if first is not None and first.note is not None and first.line is not None
        else ""
    )
    title, author = cited_work(finding, result)
    cited = ""
    if title or author:
        by = f" — {_e(author)}" if author else ""
        cited = f'<p class="work">{_e(title or "(untitled)")}{by}</p>'
    links = "".join(f"<li>{_e(a.label)}: {_a(a.url, a.url)}</li>" for a in actions(finding))
    also = ", ".join(_e(also_text(p, document)) for p in finding.places[1:])
    return (
        f'<article class="finding{" fails" if fails else ""}" id="{_anchor(finding)}" '
        f'data-kind="{finding.kind.value}" data-severity="{finding.severity.value}" '
        f'data-document="{_e(shown_path(document))}">'
        f'<p><span class="where">{_e(spot(first)) if first else ""}</span>{note} '
        f'<span class="badge {finding.severity.value}">{finding.severity.value}</span> '
        f"<strong>{finding.kind.value}</strong>{' · fails the run' if fails else ''}</p>"
        f"{cited}<p>{_e(message_under(finding, document))}</p>"
        + (f'<ul class="links">{links}</ul>' if links else "")
        + (f'<p class="muted">also {also}</p>' if also else "")
        + "</article>"
    )


def cluster_block(cluster: Cluster) -> str:
    """Each variant of a duplicated work as its own small card; conflicting fields marked."""
    conflicting = {c.field for c in cluster.conflicts}
    cards = []
    for variant in cluster.variants:
        fields = [
            ("key", _e(variant.key)),
            ("title", _e(variant.title)),
            ("author", _e(variant.author)),
            ("date", _e(variant.date)),
            ("url", "<br>".join(_a(u, u) for u in variant.urls)),
            ("un_symbols", _e(", ".join(variant.un_symbols))),
        ]
        rows = "".join(
            f"<dt{' class=conflict' if name in conflicting else ''}>{name}</dt>"
            f"<dd{' class=conflict' if name in conflicting else ''}>{value}</dd>"
            for name, value in fields
            if value
        )
        cards.append(
            f'<div class="variant"><p class="where">{_e(place_text(variant.place))}</p>'
            f"<dl>{rows}</dl></div>"
        )
    reasons = _e("; ".join(cluster.reasons))
    differ = f" · differs in: {_e(', '.join(sorted(conflicting)))}" if conflicting else ""
    return f"<h3>{_e(cluster.key)}</h3><p class=muted>matched by: {reasons}{differ}</p>" + "".join(
        cards
    )


def _options(name: str, label: str, values: list[str]) -> str:
    options = "".join(f'<option value="{_e(v)}">{_e(v)}</option>' for v in values)
    return (
        f'<label>{label}<select name="{name}"><option value="">all</option>{options}'
        f"</select></label>"
    )


def render(result: AuditResult) -> str:
    citations = sum(d.citations for d in result.documents)
    grouped = by_document(result.findings)
    failing = [f for f in failing_first(result) if f.kind in result.fail_on]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>citecheck audit</title>",
        f"<style>{STYLE}</style></head><body>",
        '<a class="skip" href="#findings">Skip to the findings</a>',
        "<header><h1>citecheck audit</h1>",
        f"<p>{len(result.documents)} texts · {citations} citations · {len(result.verdicts)} links"
        f" · {len(result.findings)} findings · <strong>{len(result.failing)} failing</strong>"
        f" · generated {_e(result.generated_at)}</p></header>",
        '<div class="summary">',
        "<section><h2>Findings by kind and severity</h2>",
        counts_table(result),
        "</section>",
        "<section><h2>Failing</h2>",
        (
            "<ul>"
            + "".join(
                f'<li><a href="#{_anchor(f)}">{_e(place_text(f.places[0]) if f.places else "")}'
                f"</a> {f.kind.value}</li>"
                for f in failing
            )
            + "</ul>"
            if failing
            else "<p>Nothing fails the run.</p>"
        ),
        "</section>",
        "<section><h2>Link health</h2>",
        health_chart(result.link_health()),
        "<h3>Dead and suspect links per audit</h3>",
        trend_chart(result.trend),
        "</section>",
    ]
    if result.changes is not None:
        items = "".join(
            f"<li>{_e(c.change)}: {_a(c.url, c.url)} ({_e(c.detail)})</li>" for c in result.changes
        )
        parts.append(
            f"<section><h2>Since the last audit</h2><ul>{items or '<li>nothing changed</li>'}"
            "</ul></section>"
        )
    parts.append("</div>")
    if result.problems:
        parts.append(
            "<section><h2>Warnings</h2><ul>"
            + "".join(f"<li>{_e(p)}</li>" for p in result.problems)
            + "</ul></section>"
        )
    documents = [shown_path(d) for d in grouped if d != NO_DOCUMENT]
    parts += [
        '<main id="findings"><h2>Findings</h2>',
        '<form class="filters" id="filters" hidden role="search" aria-label="Filter findings">',
        _options("kind", "Kind", sorted({f.kind.value for f in result.findings})),
        _options("severity", "Severity", [s.value for s in Severity]),
        _options("document", "Text", documents),
        '<label>Search<input type="search" name="q" placeholder="words, URL, note"></label>',
        '<button type="reset">Show all</button>',
        '<span id="shown" role="status" aria-live="polite"></span></form>',
    ]
    if not grouped:
        parts.append("<p>No findings.</p>")
    for document, findings in grouped.items():
        ordered = sorted(findings, key=lambda f: f.kind not in result.fail_on)
        parts.append(
            f'<section class="document" data-document="{_e(shown_path(document))}">'
            f"<h2>{_e(shown_path(document))}</h2>"
            + "".join(finding_card(f, document, result) for f in ordered)
            + "</section>"
        )
    parts.append("</main>")
    if result.clusters:
        parts.append(
            f"<section><h2>Duplicate sources ({len(result.clusters)})</h2>"
            + "".join(cluster_block(c) for c in result.clusters)
            + "</section>"
        )
    parts.append(f"<script>{SCRIPT}</script></body></html>")
    return "\n".join(parts) + "\n"
