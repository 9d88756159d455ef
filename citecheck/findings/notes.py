"""Extraction problems as findings: one finding per document and kind of problem.

A text whose 85 markers all lack notes is one thing to fix, not 85, so problems
of one kind in one document are folded into a single finding that lists where.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from citecheck.findings.finding import Finding, FindingKind, Severity
from citecheck.read.model import NotedDocument, Place, Problem

SHOWN_IN_MESSAGE = 3


def note_findings(documents: Iterable[NotedDocument]) -> list[Finding]:
    findings: list[Finding] = []
    for document in documents:
        by_kind: dict[str, list[Problem]] = defaultdict(list)
        for problem in document.problems:
            by_kind[problem.kind].append(problem)
        for kind, problems in by_kind.items():
            places = tuple(Place(document.path, p.note, p.line) for p in problems)
            if len(problems) == 1:
                message = problems[0].message
            else:
                shown = "; ".join(p.message for p in problems[:SHOWN_IN_MESSAGE])
                more = len(problems) - SHOWN_IN_MESSAGE
                message = f"{len(problems)} {kind} problems: {shown}" + (
                    f"; and {more} more." if more > 0 else "."
                )
            findings.append(
                Finding(
                    kind=FindingKind.NOTES,
                    severity=Severity.MEDIUM,
                    message=message,
                    places=places or (Place(document.path),),
                    subject=f"{document.path}:{kind}",
                    evidence=(("problem", kind), ("count", str(len(problems)))),
                )
            )
    return findings
