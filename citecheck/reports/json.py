"""JSON report, schema 1 (docs/audit-schema.json): everything, findings under "findings"."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import Any, TextIO

from citecheck.findings.analysis import AuditResult
from citecheck.findings.finding import Cluster, Finding
from citecheck.judge.verdicts import LinkVerdict
from citecheck.read.model import Place
from citecheck.util.deferred import DeferredMapping

SCHEMA = 1


def place_json(place: Place) -> dict[str, Any]:
    data: dict[str, Any] = {"document": place.document, "note": place.note, "line": place.line}
    for key in ("page", "label", "file"):  # only formats that have them set them
        if getattr(place, key) is not None:
            data[key] = getattr(place, key)
    return data


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "kind": finding.kind.value,
        "severity": finding.severity.value,
        "message": finding.message,
        "places": [place_json(p) for p in finding.places],
        "fingerprint": finding.fingerprint,
        "subject": finding.subject,
        "url": finding.url,
        "archive_url": finding.archive_url,
        "successor_url": finding.successor_url,
        "final_url": finding.final_url,
        "evidence": dict(finding.evidence),
        "cluster": finding.cluster.key if finding.cluster else None,
    }


def cluster_json(cluster: Cluster) -> dict[str, Any]:
    return {
        "key": cluster.key,
        "reasons": list(cluster.reasons),
        "documents": list(cluster.documents),
        "variants": [
            {
                "key": v.key,
                "place": place_json(v.place),
                "title": v.title,
                "author": v.author,
                "date": v.date,
                "urls": list(v.urls),
                "un_symbols": list(v.un_symbols),
                "raw": v.raw,
            }
            for v in cluster.variants
        ],
        "conflicts": [{"field": c.field, "values": list(c.values)} for c in cluster.conflicts],
    }


def verdict_json(verdict: LinkVerdict) -> dict[str, Any]:
    data = asdict(verdict)
    data["redirects"] = list(verdict.redirects)
    data["cited_in"] = [place_json(p) for p in verdict.cited_in]
    return data


@dataclass(frozen=True)
class Lazy:
    """A list in the report whose items are made only as they are written."""

    items: Callable[[], Iterable[Any]]


def sections(result: AuditResult) -> Iterator[tuple[str, Any]]:
    """The report's top-level keys in order, with its long lists as `Lazy` item makers."""
    yield "schema", SCHEMA
    yield "generated_at", result.generated_at
    yield (
        "summary",
        {
            "texts": len(result.documents),
            "citations": sum(d.citations for d in result.documents),
            "links": len(result.verdicts),
            "findings": {k.value: n for k, n in result.counts().items()},
            "verdicts": result.verdict_counts(),
            "link_health": result.link_health(),
            "failing": len(result.failing),
            "accepted": len(result.accepted),
            "fail_on": sorted(k.value for k in result.fail_on),
            "per_text": [asdict(d) for d in result.documents],
        },
    )
    yield "documents", Lazy(lambda: (_plain(d) for d in result.extracted))
    yield "findings", Lazy(lambda: (finding_json(f) for f in result.findings))
    yield "clusters", Lazy(lambda: (cluster_json(c) for c in result.clusters))
    yield "links", Lazy(lambda: (verdict_json(v) for v in result.verdicts))
    yield "accepted", Lazy(lambda: (finding_json(f) for f in result.accepted))
    changes = None if result.changes is None else [asdict(c) for c in result.changes]
    yield "changes", changes
    yield "problems", list(result.problems)
    yield "trend", [asdict(p) for p in result.trend]
    yield "works", [asdict(w) for w in result.works]


def _plain(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """A plain dict of `mapping`, a deferred one made once."""
    return mapping.value() if isinstance(mapping, DeferredMapping) else dict(mapping)


def payload(result: AuditResult) -> dict[str, Any]:
    """The whole report as one value (what `write` streams, piece by piece)."""
    return {
        key: list(value.items()) if isinstance(value, Lazy) else value
        for key, value in sections(result)
    }


def render(result: AuditResult) -> str:
    return json.dumps(payload(result), ensure_ascii=False, indent=2) + "\n"


def write(result: AuditResult, handle: TextIO) -> None:
    """Write the report to `handle` piece by piece: exactly the text of `render`."""
    for chunk in chunks(result):
        handle.write(chunk)


def chunks(result: AuditResult) -> Iterator[str]:
    """The report's text in pieces, exactly the text of `render`, without ever holding it
    (or the whole payload) in memory.

    The audit of 10,000 links built 105 MB of text with the pure-Python encoder that
    `indent` needs, then copied it; here each item is encoded on its own and indented to
    its depth (a JSON text has newlines only between its tokens, never inside a string).
    """
    yield "{"
    separator = "\n"
    for key, value in sections(result):
        yield f"{separator}{INDENT}{_dumps(key)}: "
        separator = ",\n"
        if isinstance(value, Lazy):
            yield from _item_chunks(value.items(), depth=1)
        else:
            yield _nested(value, depth=1)
    yield "\n}\n"


INDENT = "  "


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def _nested(value: Any, depth: int) -> str:
    """`value` as `json.dumps(indent=2)` writes it `depth` levels down."""
    return _dumps(value).replace("\n", "\n" + INDENT * depth)


def _item_chunks(items: Iterable[Any], depth: int) -> Iterator[str]:
    inner = INDENT * (depth + 1)
    opening = "[\n"
    for item in items:
        yield f"{opening}{inner}{_nested(item, depth + 1)}"
        opening = ",\n"
    yield "[]" if opening == "[\n" else f"\n{INDENT * depth}]"
