"""Training and out-of-sample evaluation of the learned field parser (`citecheck train`).

The training set is AnyStyle's core set (`<dataset><sequence><author>…</author>…`): each
element is one labelled segment of one reference. `train_model` fits the CRF on all of it
with fixed settings (chosen on the development folds 1-4, never on the test fold 0) and
writes the model the package loads. `cross_validate` measures the parser honestly: the
references are dealt into k folds by a seeded shuffle; for each fold a model is trained on the
other folds and the held-out references are parsed exactly as the package parses a
reference-list entry (`parse_learned`). Both gold and predicted fields pass through the same
`fields_from_segments`, and values are compared after a light canonical form (case,
punctuation, family names only for names), so the scores measure labelling, not spelling.
"""

from __future__ import annotations

import random
import re
import tempfile
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import DefusedXmlException, ElementTree

from citecheck.cite.learned import (
    LABEL_ALIASES,
    MODEL_PATH,
    Tagger,
    fields_from_segments,
    load_tagger,
    parse_learned,
)
from citecheck.cite.names import family_name, split_name_list
from citecheck.cite.split import find_works
from citecheck.cite.tokens import features, tokenize

# Chosen by 4-fold cross-validation on folds 1-4 only (`development_set`), never on fold 0.
TRAINER_PARAMS: Mapping[str, object] = {
    "c1": 0.05,
    "c2": 0.02,
    "max_iterations": 150,
    "feature.possible_transitions": True,
}
FOLDS = 5
SEED = 13
COMPARED = (
    "author",
    "editor",
    "translator",
    "title",
    "container",
    "date",
    "pages",
    "volume",
    "number",
    "publisher",
    "location",
    "edition",
    "series",
    "doi",
    "url",
    "isbn",
)


@dataclass(frozen=True)
class LabelledReference:
    """One training reference: its (label, segment text) pairs in order."""

    segments: tuple[tuple[str, str], ...]

    @property
    def text(self) -> str:
        return " ".join(" ".join(t.split()) for _, t in self.segments)

    def token_labels(self) -> list[str]:
        """One label per whitespace token of `text`."""
        labels: list[str] = []
        for label, text in self.segments:
            labels.extend([LABEL_ALIASES.get(label, label)] * len(text.split()))
        return labels


class TrainingDataError(Exception):
    """The training file is missing or is not AnyStyle's XML."""


def read_training(path: Path) -> list[LabelledReference]:
    """The labelled references of an AnyStyle XML file (entities and DTDs refused)."""
    try:
        root = ElementTree.parse(str(path)).getroot()
    except (OSError, ElementTree.ParseError, DefusedXmlException) as error:
        raise TrainingDataError(f"{path}: {error}") from error
    references = []
    for sequence in root:
        pairs = tuple(
            (child.tag, " ".join((child.text or "").split()))
            for child in sequence
            if (child.text or "").strip()
        )
        if pairs:
            references.append(LabelledReference(pairs))
    if not references:
        raise TrainingDataError(f"{path}: no <sequence> with labelled segments")
    return references


def train(references: Sequence[LabelledReference], model_path: Path) -> None:
    """Fit the CRF on `references` and write it to `model_path` (deterministic)."""
    import pycrfsuite  # noqa: PLC0415

    trainer = pycrfsuite.Trainer(verbose=False)
    for reference in references:
        tokens = tokenize(reference.text)
        trainer.append(features(tokens), reference.token_labels())
    trainer.set_params(dict(TRAINER_PARAMS))
    model_path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(model_path))


def folds(count: int, k: int = FOLDS, seed: int = SEED) -> list[list[int]]:
    """Indices 0..count-1 dealt into k folds after a seeded shuffle."""
    order = list(range(count))
    random.Random(seed).shuffle(order)
    return [sorted(order[i::k]) for i in range(k)]


def _words(value: str) -> str:
    value = unicodedata.normalize("NFKC", value).lower()
    return " ".join(re.findall(r"[^\W_]+", value))


def comparable(fields: Mapping[str, str]) -> dict[str, str]:
    """The compared fields in canonical form: family names for people, words for text."""
    out: dict[str, str] = {}
    for name in COMPARED:
        if name == "container":
            value = fields.get("journaltitle") or fields.get("booktitle") or ""
        else:
            value = fields.get(name, "")
        if not value:
            continue
        if name in {"author", "editor", "translator"}:
            out[name] = ";".join(_words(family_name(n)) for n in split_name_list(value))
        elif name == "date":
            out[name] = fields.get("year") or _words(value)
        elif name in {"url", "doi"}:
            out[name] = value.lower().rstrip("/.")
        else:
            out[name] = _words(value)
    return {k: v for k, v in out.items() if v}


@dataclass
class FieldScore:
    """True positives, predicted and gold counts of one field."""

    correct: int = 0
    predicted: int = 0
    gold: int = 0

    def prf(self) -> tuple[float, float, float]:
        p = self.correct / self.predicted if self.predicted else 0.0
        r = self.correct / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class CrossValidation:
    """Per-field scores over every held-out reference, and how many were one work."""

    scores: dict[str, FieldScore] = field(
        default_factory=lambda: {n: FieldScore() for n in COMPARED}
    )
    references: int = 0
    one_work: int = 0
    one_clause: int = 0
    folds: int = FOLDS

    def add(self, gold: Mapping[str, str], predicted: Mapping[str, str]) -> None:
        for name, score in self.scores.items():
            if name in gold:
                score.gold += 1
            if name in predicted:
                score.predicted += 1
            if name in gold and predicted.get(name) == gold[name]:
                score.correct += 1

    def total(self) -> FieldScore:
        all_fields = FieldScore()
        for score in self.scores.values():
            all_fields.correct += score.correct
            all_fields.predicted += score.predicted
            all_fields.gold += score.gold
        return all_fields

    def text(self, heading: str = "") -> str:
        lines = [
            heading
            or (
                f"out of sample: {self.folds}-fold cross-validation over {self.references} "
                "labelled references (AnyStyle core set); each fold parsed by a model that "
                "never saw it, as citecheck parses a reference-list entry"
            ),
            f"{'field':<11} {'precision':>9} {'recall':>7} {'F1':>6} {'gold':>5}",
        ]
        for name, score in [*self.scores.items(), ("all fields", self.total())]:
            p, r, f1 = score.prf()
            lines.append(f"{name:<11} {p:>9.1%} {r:>7.1%} {f1:>6.1%} {score.gold:>5}")
        share = self.one_work / self.references if self.references else 0.0
        lines.append(
            f"parsed as exactly one work (reference-list entries): {self.one_work}/"
            f"{self.references} = {share:.1%}"
        )
        clause_share = self.one_clause / self.references if self.references else 0.0
        lines.append(
            "the same strings split as if they were footnotes (find_works): exactly one work "
            f"for {self.one_clause}/{self.references} = {clause_share:.1%}"
        )
        return "\n".join(lines)


def cross_validate(
    references: Sequence[LabelledReference],
    k: int = FOLDS,
    on_fold: Callable[[int], None] | None = None,
) -> tuple[CrossValidation, CrossValidation]:
    """k-fold cross-validation of the package's reference parser (module docstring).

    Returns the scores over all folds and those of fold 0 alone: fold 0 is the test fold,
    never looked at while the features were designed (that used cross-validation within
    folds 1..k-1, `development_set`), so its figure is out of sample in the strict sense.
    """
    overall = CrossValidation(folds=k)
    test = CrossValidation(folds=k)
    with tempfile.TemporaryDirectory(prefix="citecheck-cv-") as folder:
        for number, held_out in enumerate(folds(len(references), k)):
            if on_fold is not None:
                on_fold(number)
            held = set(held_out)
            model = Path(folder) / f"fold{number}.crfsuite"
            train([r for i, r in enumerate(references) if i not in held], model)
            tagger = _open(model)
            for index in held_out:
                score_reference(overall, references[index], tagger)
                if number == 0:
                    score_reference(test, references[index], tagger)
    return overall, test


def development_set(references: Sequence[LabelledReference]) -> list[LabelledReference]:
    """Folds 1..k-1: the only references feature design may be measured on."""
    test = set(folds(len(references))[0])
    return [r for i, r in enumerate(references) if i not in test]


def score_reference(result: CrossValidation, reference: LabelledReference, tagger: Tagger) -> None:
    """Parse one held-out reference as the package would and add its scores."""
    _, gold = fields_from_segments(reference.segments)
    parsed = parse_learned(reference.text, tagger)
    result.references += 1
    result.one_work += 1  # a reference-list entry is one work by construction (cite_note)
    clauses = [c for c in find_works(reference.text) if c.kind in {"work", "short"}]
    result.one_clause += len(clauses) == 1
    result.add(comparable(gold), comparable(parsed.fields))


def _open(model: Path) -> Tagger:
    import pycrfsuite  # noqa: PLC0415

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    return tagger  # type: ignore[no-any-return]


def evaluation_text(training: Path, k: int = FOLDS) -> str:
    """The out-of-sample report `citecheck eval` and `citecheck train` print."""
    overall, test = cross_validate(read_training(training), k)
    heading = (
        f"out of sample, test fold: fold 0 of the {k} above ({test.references} references, "
        f"never used in feature design), parsed by the model trained on the other {k - 1} folds"
    )
    return "\n".join([overall.text(), "", test.text(heading)])


def train_and_report(training: Path, model_path: Path = MODEL_PATH, k: int = FOLDS) -> str:
    """`citecheck train`: evaluate out of sample, then train on everything, write the model."""
    report = evaluation_text(training, k)
    train(read_training(training), model_path)
    load_tagger.cache_clear()
    return report
