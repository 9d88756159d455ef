"""Scoring against the hand-checked list, and the five texts scored against it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from citecheck.cite.citing import cite_corpus
from citecheck.cite.extraction import extract_paths
from citecheck.findings.accuracy import load_expected, score_dates, score_duplicates
from citecheck.findings.analysis import analyse
from citecheck.findings.finding import Finding, FindingKind, Severity
from citecheck.read.model import Place
from tests.support.paths import REPO_ROOT

ROOT = REPO_ROOT
EXPECTED = ROOT / "tests" / "expected" / "corpus_findings.toml"

LIST = """
[[date-mismatch]]
document = "a.txt"
note = 1
[[date-mismatch]]
document = "a.txt"
note = 2
maybe = true
[[date-mismatch]]
document = "b.txt"
note = 3

[[duplicate-source]]
members = ["a.txt#1", "a.txt#5", "b.txt#1"]
maybe = ["b.txt#9"]
"""


def _finding(kind: FindingKind, *spots: tuple[str, int]) -> Finding:
    return Finding(kind, Severity.LOW, "m", tuple(Place(d, n, 1) for d, n in spots))


def test_scores_count_maybe_entries_neither_way(tmp_path: Path) -> None:
    path = tmp_path / "expected.toml"
    path.write_text(LIST, encoding="utf-8")
    expected = load_expected(path)
    dates = score_dates(
        [
            _finding(FindingKind.DATE_MISMATCH, ("a.txt", 1)),
            _finding(FindingKind.DATE_MISMATCH, ("a.txt", 2)),
            _finding(FindingKind.DATE_MISMATCH, ("c.txt", 4)),
        ],
        expected,
    )
    assert (dates.true_positives, dates.false_positives, dates.misses) == (
        1,
        ("c.txt#4",),
        ("b.txt#3",),
    )
    assert dates.precision == 0.5 and dates.recall == 0.5
    duplicates = score_duplicates(
        [_finding(FindingKind.DUPLICATE_SOURCE, ("a.txt", 1), ("a.txt", 5), ("b.txt", 9))],
        expected,
    )
    assert duplicates.true_positives == 1
    assert duplicates.false_positives == ()
    assert duplicates.misses == ("a.txt#1 + b.txt#1", "a.txt#5 + b.txt#1")


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.usefixtures("in_root")
def test_the_five_texts_match_the_hand_checked_list() -> None:
    """Every date mismatch and duplicate an editor finds, and nothing else (this list was also
    used while tuning the rules, so it measures regressions, not generality: see
    docs/audits-and-reports.md)."""
    documents = extract_paths([Path("references")])
    citations = [c for d in cite_corpus(documents) for n in d.notes for c in n.citations]
    findings, _ = analyse(documents, citations, (), today=date(2026, 11, 22))
    expected = load_expected(EXPECTED)
    for score in (score_dates(findings, expected), score_duplicates(findings, expected)):
        assert (score.kind, score.false_positives, score.misses) == (score.kind, (), ())
