"""Score date-mismatch and duplicate-source findings against a hand-checked list.

The list (`tests/expected/corpus_findings.toml`) names the date mismatches by
(document, note) and the duplicates by their members; `maybe` entries count
neither way. Duplicates are scored by pairs of members, so a cluster that is
right but for one member loses a little, not everything.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from citecheck.findings.finding import Finding, FindingKind

Spot = tuple[str, int]


@dataclass(frozen=True)
class Expected:
    date_mismatches: frozenset[Spot]
    date_maybe: frozenset[Spot]
    duplicate_pairs: frozenset[frozenset[Spot]]
    duplicate_maybe: frozenset[Spot]
    duplicate_maybe_pairs: frozenset[frozenset[Spot]]


@dataclass(frozen=True)
class Score:
    kind: str
    true_positives: int
    false_positives: tuple[str, ...]
    misses: tuple[str, ...]

    @property
    def precision(self) -> float:
        found = self.true_positives + len(self.false_positives)
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + len(self.misses)
        return self.true_positives / wanted if wanted else 1.0


def _spot(text: str) -> Spot:
    document, _, note = text.rpartition("#")
    return document, int(note)


def load_expected(path: Path) -> Expected:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    dates = [(e["document"], int(e["note"]), bool(e.get("maybe"))) for e in data["date-mismatch"]]
    pairs: set[frozenset[Spot]] = set()
    maybe: set[Spot] = set()
    maybe_pairs: set[frozenset[Spot]] = set()
    for entry in data["duplicate-source"]:
        members = [_spot(m) for m in entry.get("members", [])]
        pairs.update(frozenset(p) for p in combinations(members, 2))
        maybe_members = [_spot(m) for m in entry.get("maybe", [])]
        if members:
            maybe.update(maybe_members)
        else:
            maybe_pairs.update(frozenset(p) for p in combinations(maybe_members, 2))
    return Expected(
        date_mismatches=frozenset((d, n) for d, n, m in dates if not m),
        date_maybe=frozenset((d, n) for d, n, m in dates if m),
        duplicate_pairs=frozenset(pairs),
        duplicate_maybe=frozenset(maybe),
        duplicate_maybe_pairs=frozenset(maybe_pairs),
    )


def _label(spots: Iterable[Spot]) -> str:
    return " + ".join(f"{Path(d).name}#{n}" for d, n in sorted(spots))


def score_dates(findings: Iterable[Finding], expected: Expected) -> Score:
    found = {
        (p.document, p.note)
        for f in findings
        if f.kind is FindingKind.DATE_MISMATCH
        for p in f.places
        if p.note is not None
    }
    relevant = found - expected.date_maybe
    return Score(
        kind="date-mismatch",
        true_positives=len(relevant & expected.date_mismatches),
        false_positives=tuple(sorted(_label([s]) for s in relevant - expected.date_mismatches)),
        misses=tuple(sorted(_label([s]) for s in expected.date_mismatches - relevant)),
    )


def score_duplicates(findings: Iterable[Finding], expected: Expected) -> Score:
    found: set[frozenset[Spot]] = set()
    for finding in findings:
        if finding.kind is FindingKind.DUPLICATE_SOURCE:
            spots = [(p.document, p.note) for p in finding.places if p.note is not None]
            found.update(frozenset(pair) for pair in combinations(spots, 2))
    relevant = {
        pair
        for pair in found
        if not pair & expected.duplicate_maybe and pair not in expected.duplicate_maybe_pairs
    }
    return Score(
        kind="duplicate-source",
        true_positives=len(relevant & expected.duplicate_pairs),
        false_positives=tuple(sorted(_label(p) for p in relevant - expected.duplicate_pairs)),
        misses=tuple(sorted(_label(p) for p in expected.duplicate_pairs - relevant)),
    )
