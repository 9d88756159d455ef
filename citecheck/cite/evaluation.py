"""Accuracy against the hand-labelled set (`tests/labels/citations.psv`): `citecheck eval`.

Measures what the issue asks for: field-level precision and recall (authors, title, container,
date, url, symbols, type), the share of notes whose number of cited works is exactly right,
and the share of back references linked to the right work. The label format is described at
the top of the label file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from citecheck.cite.citation import Citation, CitedDocument
from citecheck.cite.names import readable_name, split_name_list

FIELDS = ("authors", "title", "container", "date", "url", "symbols", "type")
DEFAULT_LABELS = Path("tests/labels/citations.psv")


@dataclass(frozen=True)
class GoldWork:
    """One labelled work; `ref` = (note, index) for a back reference, else the fields."""

    fields: Mapping[str, str] = field(default_factory=dict)
    ref: tuple[int, int] | None = None


@dataclass(frozen=True)
class LabelError(Exception):
    """A label line that does not follow the format; names the line."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"labels line {self.line}: {self.reason}"


def read_labels(text: str) -> dict[tuple[str, int], list[GoldWork]]:
    """Parse the label file into {(document prefix, note): [works in order]}."""
    labels: dict[tuple[str, int], list[GoldWork]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("|")
        if len(parts) < 3 or not parts[1].isdigit():
            raise LabelError(number, "expected doc|note|…")
        key = (parts[0], int(parts[1]))
        works = labels.setdefault(key, [])
        if parts[2] == "none":
            continue
        if parts[2] == "ref":
            if len(parts) != 5 or not (parts[3].isdigit() and parts[4].isdigit()):
                raise LabelError(number, "expected doc|note|ref|NOTE|INDEX")
            works.append(GoldWork(ref=(int(parts[3]), int(parts[4]))))
            continue
        if len(parts) != 9:
            raise LabelError(number, f"expected 9 fields, found {len(parts)}")
        works.append(GoldWork(fields=dict(zip(("type", *FIELDS[:-1]), parts[2:], strict=True))))
    return labels


def _text(value: str) -> str:
    value = unicodedata.normalize("NFKC", value).lower()
    value = re.sub(r"[‘’“”\"'`]", "", value)
    return re.sub(r"\s+", " ", value).strip(" .,;:")


def predicted_fields(citation: Citation) -> dict[str, str]:
    """The compared fields of a predicted citation, normalised like the labels."""
    fields = citation.fields
    names = fields.get("author") or fields.get("editor") or ""
    authors = ";".join(_text(readable_name(n)) for n in split_name_list(names))
    container = fields.get("journaltitle") or fields.get("booktitle") or fields.get("organization")
    return {
        "authors": authors,
        "title": _text(fields.get("title", "")),
        "container": _text(container or ""),
        "date": fields.get("date", ""),
        "url": citation.urls[0] if citation.urls else "",
        "symbols": ";".join(sorted(citation.un_symbols)),
        "type": citation.type,
    }


def gold_fields(work: GoldWork) -> dict[str, str]:
    values = dict(work.fields)
    return {
        "authors": ";".join(_text(a) for a in values.get("authors", "").split(";") if a),
        "title": _text(values.get("title", "")),
        "container": _text(values.get("container", "")),
        "date": values.get("date", ""),
        "url": values.get("url", ""),
        "symbols": ";".join(sorted(s for s in values.get("symbols", "").split(";") if s)),
        "type": values.get("type", ""),
    }


@dataclass
class Score:
    """Counts for one field: true positives, predicted non-empty, gold non-empty."""

    correct: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0


@dataclass
class Report:
    fields: dict[str, Score] = field(default_factory=lambda: {f: Score() for f in FIELDS})
    notes: int = 0
    notes_exact: int = 0
    links: int = 0
    links_right: int = 0
    gold_works: int = 0
    mismatched_notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        lines = [
            f"labelled notes: {self.notes}, labelled full citations: {self.gold_works}, "
            f"back references: {self.links}",
            f"{'field':<10} {'precision':>9} {'recall':>7} {'F1':>6}",
        ]
        for name, score in self.fields.items():
            p, r = score.precision, score.recall
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            lines.append(f"{name:<10} {p:>9.1%} {r:>7.1%} {f1:>6.1%}")
        share = self.notes_exact / self.notes if self.notes else 1.0
        lines.append(f"works per note exactly right: {self.notes_exact}/{self.notes} = {share:.1%}")
        linked = self.links_right / self.links if self.links else 1.0
        lines.append(
            f"back references linked right: {self.links_right}/{self.links} = {linked:.1%}"
        )
        if self.mismatched_notes:
            lines.append("notes with a wrong number of works: " + ", ".join(self.mismatched_notes))
        return "\n".join(lines)


def _similarity(a: str, b: str) -> float:
    left, right = set(a.split()), set(b.split())
    return len(left & right) / max(1, len(left | right))


def _align(gold: Sequence[GoldWork], predicted: Sequence[Citation]) -> list[int | None]:
    """For each gold work, the index of its predicted citation (in order when counts agree)."""
    if len(gold) == len(predicted):
        return list(range(len(gold)))
    taken: set[int] = set()
    result: list[int | None] = []
    for work in gold:
        best, best_score = None, 0.0
        for index, citation in enumerate(predicted):
            if index in taken:
                continue
            if work.ref is not None:
                score = 0.5 if citation.refers_to else 0.0
            else:
                score = _similarity(
                    gold_fields(work)["title"], _text(citation.fields.get("title", ""))
                )
                score += (
                    0.5 if work.fields.get("url") and work.fields["url"] in citation.urls else 0
                )
            if score > best_score:
                best, best_score = index, score
        if best is not None:
            taken.add(best)
        result.append(best)
    return result


def evaluate(
    labels: Mapping[tuple[str, int], list[GoldWork]], documents: Sequence[CitedDocument]
) -> Report:
    """Score `documents` against `labels` (documents matched by file-name prefix)."""
    report = Report()
    by_prefix = {Path(d.path).name.split("_")[0]: d for d in documents}
    for (prefix, number), gold in sorted(labels.items()):
        document = by_prefix.get(prefix)
        notes = {n.number: n for n in document.notes} if document else {}
        predicted = list(notes[number].citations) if number in notes else []
        report.notes += 1
        if len(predicted) == len(gold):
            report.notes_exact += 1
        else:
            report.mismatched_notes.append(f"{prefix}:{number} ({len(predicted)}≠{len(gold)})")
        alignment = _align(gold, predicted)
        matched: set[int] = set()
        for work, index in zip(gold, alignment, strict=True):
            citation = predicted[index] if index is not None else None
            if index is not None:
                matched.add(index)
            if work.ref is not None:
                report.links += 1
                target = _gold_target(labels, prefix, work.ref, notes)
                if citation is not None and target is not None and citation.refers_to == target:
                    report.links_right += 1
                continue
            report.gold_works += 1
            expected = gold_fields(work)
            got = predicted_fields(citation) if citation is not None else {}
            for name in FIELDS:
                score = report.fields[name]
                if expected[name]:
                    score.gold += 1
                if got.get(name):
                    score.predicted += 1
                if expected[name] and got.get(name) == expected[name]:
                    score.correct += 1
        for index, citation in enumerate(predicted):
            if index not in matched and citation.refers_to is None:
                for name, value in predicted_fields(citation).items():
                    if value:
                        report.fields[name].predicted += 1
    return report


def _gold_target(
    labels: Mapping[tuple[str, int], list[GoldWork]],
    prefix: str,
    ref: tuple[int, int],
    notes: Mapping[int, object],
) -> str | None:
    """The predicted key of the work a gold back reference points to."""
    note = notes.get(ref[0])
    citations: tuple[Citation, ...] = getattr(note, "citations", ())
    gold = labels.get((prefix, ref[0]), [])
    alignment = _align(gold, citations)
    if ref[1] >= len(alignment) or alignment[ref[1]] is None:
        return None
    index = alignment[ref[1]]
    assert index is not None
    return citations[index].key
