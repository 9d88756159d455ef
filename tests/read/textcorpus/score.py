"""Scoring the plain-text note finder against the generated corpus (see make.py).

Reads every rendering under tests/read/textcorpus/texts/ (made by
`python3 -m tests.read.textcorpus.make`), finds its notes and reference entries, and
compares them with what the generator put in (expected/NAME.json). A note is *found*
when a note with the same section and printed number exists and its text starts and
ends as expected (letters and digits compared, so line-end hyphens and spaces do not
count); *spurious* notes are the found notes that match no expected note; a URL is
*exact* when the expected note's URL comes back character for character.
Used by bench/notes_eval.py (which prints the figures) and by the test that guards them.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citecheck.read.model import REFERENCE, Document, Note
from citecheck.read.notes import extract_notes
from tests.support.paths import REPO_ROOT

CORPUS = REPO_ROOT / "tests" / "read" / "textcorpus"
MODES = ("default", "layout", "pdfminer")
EDGE = 24  # characters compared at each end of a note
_NOT_WORD = re.compile(r"[^0-9a-z]+")


@dataclass
class Score:
    """Counts over a set of renderings."""

    expected: int = 0
    found: int = 0
    spurious: int = 0
    returned: int = 0
    urls: int = 0
    exact_urls: int = 0
    citations: int = 0  # in-text citations of a reference list
    linked: int = 0  # … linked to their own entry
    extra_links: int = 0  # links to an entry the text does not cite there
    false_problems: int = 0  # problems reported although the document has none
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.expected += other.expected
        self.found += other.found
        self.spurious += other.spurious
        self.returned += other.returned
        self.urls += other.urls
        self.exact_urls += other.exact_urls
        self.citations += other.citations
        self.linked += other.linked
        self.extra_links += other.extra_links
        self.false_problems += other.false_problems
        self.misses.extend(other.misses)

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def spurious_rate(self) -> float:
        return self.spurious / self.returned if self.returned else 0.0

    @property
    def url_rate(self) -> float:
        return self.exact_urls / self.urls if self.urls else 1.0


def _plain(text: str) -> str:
    return _NOT_WORD.sub("", text.lower())


def _same_text(found: str, expected: str) -> bool:
    got, want = _plain(found), _plain(expected)
    return got[:EDGE] == want[:EDGE] and got[-EDGE:] == want[-EDGE:]


def _key(note: Note) -> tuple[int, int]:
    label = (note.label or "").strip("[]")
    return note.section, int(label) if label.isdigit() else note.number


def score_rendering(path: Path, expected: dict[str, Any]) -> Score:
    """Found, missed and spurious notes (and reference entries) of one rendering."""
    document = extract_notes(Document(str(path), path.read_text(encoding="utf-8")))
    score = Score()
    wanted: list[tuple[tuple[int, int], str, list[str]]] = []
    for note in expected["notes"]:
        wanted.append(((note["section"], note["number"]), note["text"], note["urls"]))
    for entry in expected["references"]:
        wanted.append(((-1, entry["number"]), entry["text"], entry["urls"]))
    got: dict[tuple[int, int], Note] = {}
    for note in document.notes:
        key = (
            (-1, note.number - _first_reference(document.notes) + 1)
            if (note.kind == REFERENCE)
            else _key(note)
        )
        got.setdefault(key, note)
    matched: set[tuple[int, int]] = set()
    for key, text, urls in wanted:
        score.expected += 1
        score.urls += len(urls)
        note = got.get(key)
        if note is not None and _same_text(note.text, text):
            score.found += 1
            matched.add(key)
        else:
            shown = note.text[:60] + "…" + note.text[-40:] if note else "(none)"
            score.misses.append(f"{path.name} {key}: want {text[:50]!r}… got {shown!r}")
        if note is not None:
            score.exact_urls += sum(url in note.urls for url in urls)
    first = _first_reference(document.notes)
    references = {n.number for n in document.notes if n.kind == REFERENCE}
    links = Counter(m.number - first + 1 for m in document.marker_places if m.number in references)
    wanted_links = Counter(int(c["entry"]) for c in expected["citations"])
    score.citations = sum(wanted_links.values())
    score.linked = sum((links & wanted_links).values())
    score.extra_links = sum((links - wanted_links).values())
    uncited = sum(1 for entry in expected["references"] if not entry["cited"])
    reported_uncited = sum(1 for p in document.problems if p.kind == "entry-never-cited")
    score.false_problems = max(0, reported_uncited - uncited) + sum(
        1 for p in document.problems if p.kind != "entry-never-cited"
    )
    score.returned = len(document.notes)
    score.spurious = sum(
        1 for key in got if key not in matched and key not in {k for k, _, _ in wanted}
    )
    score.spurious += len(document.notes) - len(got)
    return score


def _first_reference(notes: Iterable[Note]) -> int:
    return next((n.number for n in notes if n.kind == REFERENCE), 1)


def evaluate(held_out: bool) -> dict[tuple[str, str], Score]:
    """Scores keyed by (layout, mode) for the held-out or the tuned documents."""
    scores: dict[tuple[str, str], Score] = {}
    for expected_path in sorted((CORPUS / "expected").glob("*.json")):
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        if expected["held_out"] != held_out:
            continue
        for text in sorted((CORPUS / "texts").glob(expected["name"] + ".*.txt")):
            mode = text.name.split(".")[-2]
            scores.setdefault((expected["style"], mode), Score()).add(
                score_rendering(text, expected)
            )
    return scores


def total(scores: dict[tuple[str, str], Score], mode: str | None = None) -> Score:
    summed = Score()
    for (_, each_mode), score in scores.items():
        if mode is None or each_mode == mode:
            summed.add(score)
    return summed
