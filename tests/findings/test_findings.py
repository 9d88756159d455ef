"""The Finding model: fingerprints, ordering, kinds, and extraction problems as findings."""

from __future__ import annotations

import pytest

from citecheck.findings.analysis import apply_baseline
from citecheck.findings.finding import (
    Finding,
    FindingKind,
    Severity,
    parse_kinds,
    place_label,
    sort_findings,
)
from citecheck.findings.notes import note_findings
from citecheck.read.model import NotedDocument, Place, Problem


def _finding(*places: Place, kind: FindingKind = FindingKind.DEAD_LINK) -> Finding:
    return Finding(kind, Severity.HIGH, "m", places, subject="http://x.org/a")


def test_fingerprint_ignores_lines_and_wording() -> None:
    a = _finding(Place("a.txt", 3, 40))
    b = Finding(
        FindingKind.DEAD_LINK,
        Severity.LOW,
        "other words",
        (Place("a.txt", 3, 47),),
        subject="http://x.org/a",
    )
    assert a.fingerprint == b.fingerprint
    assert a.fingerprint != _finding(Place("a.txt", 4, 40)).fingerprint
    assert a.fingerprint != _finding(Place("a.txt", 3, 40), kind=FindingKind.SOFT_404).fingerprint


@pytest.mark.parametrize(
    ("place", "label"),
    [
        (Place("a.txt", 3, 40), "a.txt:40"),
        (Place("a.txt", 3), "a.txt (note 3)"),
        (Place("a.txt"), "a.txt"),
    ],
)
def test_place_label(place: Place, label: str) -> None:
    assert place_label(place) == label


def test_sort_by_document_then_line() -> None:
    late = _finding(Place("a.txt", 9, 90))
    early = _finding(Place("a.txt", 1, 10))
    other = _finding(Place("0.txt", 1, 500))
    assert sort_findings([late, early, other]) == [other, early, late]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("dead-link,soft-404", {FindingKind.DEAD_LINK, FindingKind.SOFT_404}),
        (" date-mismatch , ", {FindingKind.DATE_MISMATCH}),
        ("none", set()),
        ("", set()),
    ],
)
def test_parse_kinds(text: str, kinds: set[FindingKind]) -> None:
    assert parse_kinds(text) == kinds


def test_parse_kinds_names_the_bad_one() -> None:
    with pytest.raises(ValueError, match="unknown finding kind 'dead'"):
        parse_kinds("dead,soft-404")


def test_many_problems_of_one_kind_are_one_finding() -> None:
    problems = tuple(
        Problem("marker-without-note", f"marker {n} has no note", note=n, line=10 * n)
        for n in range(1, 86)
    )
    document = NotedDocument("001.txt", tuple(range(1, 86)), (), problems=problems)
    (finding,) = note_findings([document])
    assert finding.kind is FindingKind.NOTES
    assert finding.message == (
        "85 marker-without-note problems: marker 1 has no note; marker 2 has no note; "
        "marker 3 has no note; and 82 more."
    )
    assert len(finding.places) == 85
    assert finding.places[0] == Place("001.txt", 1, 10)


def test_one_problem_keeps_its_message_and_kinds_stay_apart() -> None:
    document = NotedDocument(
        "002.txt",
        (1, 2),
        (),
        problems=(
            Problem("gap", "note 5 is missing between 4 and 6", note=5, line=250),
            Problem("repeat", "note 7 appears twice", note=7, line=260),
        ),
    )
    findings = note_findings([document])
    assert [f.message for f in findings] == [
        "note 5 is missing between 4 and 6",
        "note 7 appears twice",
    ]
    assert note_findings([NotedDocument("003.txt", (), ())]) == []


def test_baseline_silences_exactly_the_accepted_fingerprints() -> None:
    kept = _finding(Place("a.txt", 1, 10))
    accepted = _finding(Place("a.txt", 2, 20))
    reported, silenced = apply_baseline([kept, accepted], frozenset({accepted.fingerprint}))
    assert (reported, silenced) == ([kept], [accepted])
