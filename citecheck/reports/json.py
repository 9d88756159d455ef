"""JSON report, schema 1 (docs/audit-schema.json): everything, findings under "findings"."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from citecheck.findings.analysis import AuditResult
from citecheck.findings.finding import Cluster, Finding
from citecheck.judge.verdicts import LinkVerdict
from citecheck.read.model import Place

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


def payload(result: AuditResult) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "generated_at": result.generated_at,
        "summary": {
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
        "documents": [dict(d) for d in result.extracted],
        "findings": [finding_json(f) for f in result.findings],
        "clusters": [cluster_json(c) for c in result.clusters],
        "links": [verdict_json(v) for v in result.verdicts],
        "accepted": [finding_json(f) for f in result.accepted],
        "changes": None if result.changes is None else [asdict(c) for c in result.changes],
        "problems": list(result.problems),
        "trend": [asdict(p) for p in result.trend],
        "works": [asdict(w) for w in result.works],
    }


def render(result: AuditResult) -> str:
    return json.dumps(payload(result), ensure_ascii=False, indent=2) + "\n"
