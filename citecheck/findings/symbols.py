"""Findings about UN symbols: a URL that opens another document than the text names, and
the URL citecheck suggests for a citation that names a symbol but gives no URL.

The site rules (citecheck.judge.sites) know the symbols and the access URLs; this module only
turns what they found into findings. A symbol's session against the citation's date is
reported by the date analysis (citecheck.findings.dates), never here, so it is reported once.
"""

from __future__ import annotations

from collections.abc import Iterable

from citecheck.cite.citation import Citation
from citecheck.findings.finding import Finding, FindingKind, Severity
from citecheck.judge.sites import symbol_mismatches
from citecheck.judge.verdicts import LinkVerdict


def symbol_mismatch_findings(citations: Iterable[Citation]) -> list[Finding]:
    """One medium finding per URL whose UN symbol none of its citation's text symbols match."""
    findings: list[Finding] = []
    for citation in citations:
        for mismatch in symbol_mismatches(citation):
            named = ", ".join(mismatch.in_text)
            findings.append(
                Finding(
                    kind=FindingKind.SYMBOL_MISMATCH,
                    severity=Severity.MEDIUM,
                    message=(
                        f"The text cites {named} but its URL {mismatch.url} opens "
                        f"{mismatch.in_url}; correct the symbol or the URL."
                    ),
                    places=(citation.place,),
                    subject=f"{mismatch.in_url}:{named}",
                    url=mismatch.url,
                    evidence=(("in_text", named), ("in_url", mismatch.in_url)),
                )
            )
    return findings


def suggested_url_findings(verdicts: Iterable[LinkVerdict]) -> list[Finding]:
    """One low finding per suggested link (`suggested_for` set): where the document is,
    or that the suggestion did not answer; never a dead link, the author cited no URL."""
    findings: list[Finding] = []
    for verdict in verdicts:
        symbol = verdict.suggested_for
        if symbol is None:
            continue
        found = verdict.final_url or verdict.url
        if verdict.verdict in ("ok", "redirected"):
            message = f"{symbol} has no URL; its document is at {verdict.url}, cite that."
        elif verdict.verdict == "unchecked":
            message = (
                f"{symbol} has no URL; its document should be at {verdict.url} "
                f"(not checked: {verdict.reason})."
            )
        else:
            message = (
                f"{symbol} has no URL, and the suggested {verdict.url} did not answer with the "
                f"document ({verdict.verdict}: {verdict.reason}); check the symbol."
            )
        findings.append(
            Finding(
                kind=FindingKind.SUGGESTED_URL,
                severity=Severity.LOW,
                message=message,
                places=verdict.cited_in,
                subject=f"suggested:{verdict.normalized_url}",
                url=verdict.url,
                final_url=verdict.final_url if found != verdict.url else None,
                evidence=tuple(
                    (name, value)
                    for name, value in (
                        ("suggested_for", symbol),
                        ("verdict", verdict.verdict),
                        ("reason", verdict.reason),
                    )
                    if value
                ),
            )
        )
    return findings
