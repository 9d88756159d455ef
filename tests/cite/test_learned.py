"""The learned field parser: names, volumes, segments → fields, the shipped model, training."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from citecheck.cite.citing import cite_corpus, cite_note
from citecheck.cite.learned import (
    MODEL_PATH,
    fields_from_segments,
    parse_learned,
    segments,
    split_names,
)
from citecheck.cite.tokens import features, shape, token_features, tokenize
from citecheck.cite.training import (
    LabelledReference,
    TrainingDataError,
    comparable,
    folds,
    read_training,
    train,
)
from citecheck.cli.main import main
from citecheck.read.model import REFERENCE, Note, NotedDocument
from tests.support.paths import REPO_ROOT


@pytest.mark.parametrize(
    ("written", "names"),
    [
        ("Romero, C., Paunesku, D., & Dweck, C.", ["Romero, C.", "Paunesku, D.", "Dweck, C."]),
        (
            "Brischoux, F., Chakraborty, S., Brierley, D.I., and Ungless, M.A.",
            ["Brischoux, F.", "Chakraborty, S.", "Brierley, D.I.", "Ungless, M.A."],
        ),
        (
            "Lee, L. L., W. E. Howard, and R. E. Marsh.",
            ["Lee, L. L.", "Howard, W. E.", "Marsh, R. E."],
        ),
        (
            "Pérez-Higueras JJ, Arias A, Peters OA.",
            ["Pérez-Higueras, JJ", "Arias, A", "Peters, OA"],
        ),
        ("Heidegger M.,", ["Heidegger, M."]),
        ("S. E. Han, G. Chen,", ["Han, S. E.", "Chen, G."]),
        ("Adams, Nicholson B.,", ["Adams, Nicholson B."]),
        ("Smith, J.; Jones, K.", ["Smith, J.", "Jones, K."]),
        ("In O. Card (Ed.),", ["Card, O."]),
        ("Ludwig van Beethoven", ["van Beethoven, Ludwig"]),
        ("Smith, J., et al.", ["Smith, J.", "others"]),
        ("World Health Organization.", ["{World Health Organization}"]),
        ("Hrsg. von Peter Müller", ["Müller, Peter"]),
        ("King, M. L., Jr., & Abernathy, R.", ["King, Jr, M. L.", "Abernathy, R."]),
        ("Martin Luther King, Jr.", ["King, Jr, Martin Luther"]),
        ("M. C. Ferris and J.-S. Pang (editors).", ["Ferris, M. C.", "Pang, J.-S."]),
        ("Barron, D., Heyman, D. (Producers), &", ["Barron, D.", "Heyman, D."]),
        ("Görner, Rüdiger and Angus Nicholls, editors.", ["Görner, Rüdiger", "Nicholls, Angus"]),
        ("eds. Feretti L., Gioia I.M.,", ["Feretti, L.", "Gioia, I.M."]),
    ],
)
def test_contributor_segments_become_bibtex_names(written: str, names: list[str]) -> None:
    assert split_names(written) == names


@pytest.mark.parametrize(
    ("labelled", "expected"),
    [
        (
            [
                ("author", "Ungless, M.A."),
                ("date", "(2004)."),
                ("title", "Title."),
                ("journal", "Science"),
                ("volume", "303,"),
                ("pages", "2040–2042."),
            ],
            {"journaltitle": "Science", "volume": "303", "pages": "2040--2042", "year": "2004"},
        ),
        (
            [("title", "T."), ("journal", "J."), ("volume", "vol. 98(2),"), ("pages", "pp. 1-9.")],
            {"volume": "98", "number": "2", "pages": "1--9"},
        ),
        (
            [("title", "T."), ("volume", "No. 134,")],
            {"number": "134"},
        ),
        (
            [("title", "T."), ("url", "https://doi.org/10.1000/xyz123.")],
            {"doi": "10.1000/xyz123", "url": "https://doi.org/10.1000/xyz123"},
        ),
        (
            [("title", "T."), ("doi", "doi:10.1000/abc.")],
            {"doi": "10.1000/abc"},
        ),
        (
            [
                ("author", "A, B."),
                ("title", "Ch."),
                ("editor", "In C. Dee (Ed.),"),
                ("container-title", "Handbook"),
                ("location", "London:"),
                ("publisher", "Elsevier."),
            ],
            {
                "booktitle": "Handbook",
                "editor": "Dee, C.",
                "location": "London",
                "publisher": "Elsevier",
            },
        ),
        (
            [("title", "“A Spanish Romanticist Parodies Himself,”"), ("edition", "2nd ed.")],
            {"title": "A Spanish Romanticist Parodies Himself", "edition": "2"},
        ),
        (
            [("title", "T."), ("isbn", "ISBN 978-3-16-148410-0.")],
            {"isbn": "978-3-16-148410-0"},
        ),
        (
            [("title", "T."), ("note", "Retrieved March 3, 2010, from"), ("url", "http://a.org/x")],
            {"urldate": "2010-03-03", "url": "http://a.org/x", "note": None},
        ),
        (
            [("title", "T."), ("note", "(accessed 12 May 2019)."), ("note", "Retrieved from")],
            {"urldate": "2019-05-12", "note": "Retrieved from"},
        ),
        (
            [("citation-number", "[13]"), ("title", "T."), ("note", "In press.")],
            {"title": "T", "note": "In press."},
        ),
    ],
)
def test_segments_become_biblatex_fields(
    labelled: list[tuple[str, str]], expected: dict[str, str]
) -> None:
    _, fields = fields_from_segments(labelled)
    assert {k: fields.get(k) for k in expected} == expected


@pytest.mark.parametrize(
    ("labels", "entry_type"),
    [
        (["author", "title", "journal"], "article"),
        (["author", "title", "editor", "container-title", "publisher"], "incollection"),
        (["author", "title", "location", "publisher"], "book"),
        (["editor", "title", "publisher"], "collection"),
        (["author", "title", "genre", "publisher"], "report"),
        (["author", "title", "url"], "online"),
        (["author", "title"], "misc"),
    ],
)
def test_entry_type_follows_the_labels(labels: list[str], entry_type: str) -> None:
    genre = {"genre": "PhD thesis,"}
    labelled = [(label, genre.get(label, "Word,")) for label in labels]
    assert fields_from_segments(labelled)[0] == entry_type


def test_shape_and_features_are_per_token() -> None:
    assert shape("Smith,") == "Aa,"
    assert shape("2004).") == "9)."
    tokens = tokenize("Ungless, M.A. (2004). “Title.” Science 303, pp. 2040–2042.")
    feats = features(tokens)
    assert len(feats) == len(tokens)
    assert "year" in feats[2] and "BOS" in feats[0] and "EOS" in feats[-1]
    assert "in-quote" in feats[3] and "page-word" in feats[6] and "range" in feats[7]


@pytest.mark.parametrize(
    ("word", "feature"),
    [
        ("Kluwer,", "publisher-word"),
        ("Westview", "publisher-word"),
        ("Ithaca:", "place-word"),
        ("Basingstoke:", "place-word"),
        ("Syst.", "journal-word"),
        ("Neurosci.", "journal-word"),
        ("Symposium", "event-word"),
    ],
)
def test_dictionary_words_are_features(word: str, feature: str) -> None:
    assert feature in token_features(word)


def test_segments_join_runs_of_one_label() -> None:
    labelled = [("author", "A,"), ("author", "B."), ("title", "T.")]
    assert segments(labelled) == [("author", "A, B."), ("title", "T.")]


# ---------------------------------------------------------------- the shipped model


def test_the_model_ships_inside_the_package_with_its_licence() -> None:
    assert MODEL_PATH.is_file()
    assert MODEL_PATH.stat().st_size < 20 * 1024 * 1024
    notice = (MODEL_PATH.parent / "ANYSTYLE-LICENSE").read_text(encoding="utf-8")
    assert "Sylvester Keil" in notice
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data = config["tool"]["setuptools"]["package-data"]["citecheck.cite"]
    assert f"models/{MODEL_PATH.name}" in data and "models/ANYSTYLE-LICENSE" in data


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        (
            "Joyce, James. Finnegans Wake. New York: Penguin Books, 1976.",
            {
                "title": "Finnegans Wake",
                "publisher": "Penguin Books",
                "location": "New York",
                "year": "1976",
                "author": "Joyce, James",
            },
        ),
        (
            "Ungless, M.A. (2004). Dopamine: the salient issue. Trends Neurosci. 27, 702–706.",
            {"author": "Ungless, M.A.", "year": "2004", "volume": "27", "pages": "702--706"},
        ),
    ],
)
def test_the_shipped_model_parses_common_references(
    reference: str, expected: dict[str, str]
) -> None:
    fields = parse_learned(reference).fields
    assert {k: fields.get(k) for k in expected} == expected


@pytest.mark.parametrize(
    ("reference", "eprint"),
    [
        ("Doe, J. (2020). A model. arXiv:2001.01234v2.", "2001.01234v2"),
        ("Doe, J. (2020). A model. https://arxiv.org/abs/2001.01234", "2001.01234"),
        ("Doe, J. (1999). Old. arXiv: hep-th/9901001.", "hep-th/9901001"),
    ],
)
def test_arxiv_identifiers_become_eprint(reference: str, eprint: str) -> None:
    fields = parse_learned(reference).fields
    assert (fields.get("eprint"), fields.get("eprinttype")) == (eprint, "arxiv")


def test_a_reference_list_entry_is_exactly_one_work() -> None:
    text = "Smith, J. (2001). One; two. Three. Journal of Things 4, 1–9. See also Jones."
    note = Note(1, 1, text, kind=REFERENCE)
    ((clause, parsed),) = cite_note(note)
    assert clause.kind == "work" and parsed is not None
    assert parsed.fields["year"] == "2001"
    footnote = Note(1, 1, text)
    assert len(cite_note(footnote)) != 1


def test_reference_entries_get_keys_and_link_to_the_same_work() -> None:
    entry = "Joyce, James. Finnegans Wake. New York: Penguin Books, 1976."
    notes = (Note(1, 1, entry, kind=REFERENCE), Note(2, 2, entry, kind=REFERENCE))
    (cited,) = cite_corpus([NotedDocument("x.txt", (), notes)])
    first, second = (n.citations[0] for n in cited.notes)
    assert first.key.startswith("joyce1976") and second.refers_to == first.key


def test_extracting_footnotes_never_loads_the_model(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from citecheck.cli.main import main\n"
        "try:\n"
        f"    main(['extract', {str(REPO_ROOT / 'references')!r}, '-o', 'out.json'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('\\n'.join(sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "pycrfsuite" not in done.stderr.split()


# ---------------------------------------------------------------- training and evaluation

TINY = """<?xml version="1.0" encoding="UTF-8"?>
<dataset>
{}
</dataset>
"""
ROW = (
    "<sequence><author>Lee, A{i}.</author><date>(20{y:02d}).</date><title>Title number {i}.</title>"
    "<journal>Journal {i}</journal><volume>{i},</volume><pages>{i}–{j}.</pages></sequence>"
)


def _tiny(tmp_path: Path, count: int = 30) -> Path:
    rows = "\n".join(ROW.format(i=i, y=i % 20, j=i + 9) for i in range(1, count + 1))
    path = tmp_path / "tiny.xml"
    path.write_text(TINY.format(rows), encoding="utf-8")
    return path


def test_training_is_deterministic(tmp_path: Path) -> None:
    references = read_training(_tiny(tmp_path))
    train(references, tmp_path / "a.crfsuite")
    train(references, tmp_path / "b.crfsuite")
    assert (tmp_path / "a.crfsuite").read_bytes() == (tmp_path / "b.crfsuite").read_bytes()


def test_folds_cover_every_reference_once() -> None:
    dealt = folds(103, 5)
    assert sorted(i for fold in dealt for i in fold) == list(range(103))
    assert dealt == folds(103, 5)


def test_labelled_reference_labels_every_token() -> None:
    reference = LabelledReference((("author", "Lee, A."), ("title", "A  title here.")))
    assert reference.text == "Lee, A. A title here."
    assert reference.token_labels() == ["author", "author", "title", "title", "title"]


def test_comparison_uses_family_names_and_words() -> None:
    gold = {"author": "Lee, A. and Kim, B.", "title": "A Title.", "year": "2004", "date": "2004"}
    assert comparable(gold) == {"author": "lee;kim", "title": "a title", "date": "2004"}


@pytest.mark.parametrize(
    "content",
    ["not xml", "<dataset></dataset>", '<!DOCTYPE d [<!ENTITY e "x">]><dataset>&e;</dataset>'],
)
def test_unusable_training_data_is_one_clear_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.xml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TrainingDataError, match=r"bad\.xml"):
        read_training(path)
    result = CliRunner().invoke(main, ["train", "--training", str(path), "--model", "m"])
    assert result.exit_code == 2 and "bad.xml" in result.stderr


def test_train_and_eval_commands_report_out_of_sample_first(tmp_path: Path) -> None:
    tiny = _tiny(tmp_path)
    model = tmp_path / "model.crfsuite"
    result = CliRunner().invoke(
        main, ["train", "--training", str(tiny), "--folds", "2", "--model", str(model)]
    )
    assert result.exit_code == 0, result.output
    assert model.is_file() and "2-fold cross-validation over 30" in result.output
    labels = REPO_ROOT / "tests" / "labels" / "citations.psv"
    result = CliRunner().invoke(
        main,
        [
            "eval",
            str(REPO_ROOT / "references"),
            "--labels",
            str(labels),
            "--training",
            str(tiny),
            "--folds",
            "2",
        ],
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.index("out of sample") < out.index("in sample") < out.index("works per note")


def test_eval_without_training_data_skips_the_default_and_refuses_a_given_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    labels = REPO_ROOT / "tests" / "labels" / "citations.psv"
    arguments = ["eval", str(REPO_ROOT / "references"), "--labels", str(labels), "--training"]
    given = CliRunner().invoke(main, [*arguments, str(tmp_path / "given.xml")])
    assert given.exit_code == 2 and "given.xml" in given.stderr
    default = tmp_path / "default.xml"
    monkeypatch.setattr("citecheck.cli.main.DEFAULT_TRAINING_PATH", default)
    skipped = CliRunner().invoke(main, [*arguments, str(default)])
    assert skipped.exit_code == 0, skipped.output
    assert skipped.output.startswith("out of sample: skipped, no training data")
    assert "works per note exactly right: 198/198" in skipped.output


class _FixedTagger:
    """A stand-in model that gives the tokens the labels it was built with."""

    def __init__(self, labels: list[str]) -> None:
        self.labels = labels

    def tag(self, xseq: list[list[str]]) -> list[str]:
        assert len(xseq) == len(self.labels)
        return self.labels


@pytest.mark.parametrize(
    ("reference", "labels", "expected", "problems"),
    [
        (
            "Balucinska-Church M., 1992, ApJ, 400, 699",
            ["author", "author", "date", "journal", "volume", "pages"],
            {
                "author": "Balucinska-Church, M.",
                "journaltitle": "ApJ",
                "volume": "400",
                "pages": "699",
            },
            ("could not find a title",),
        ),
        (
            "Tester, Keith, ed. The Flâneur. London: Routledge, 1994.",
            ["editor"] * 3 + ["container-title"] * 2 + ["location", "publisher", "date"],
            {"title": "The Flâneur", "journaltitle": None, "booktitle": None},
            (),
        ),
        (
            "Cited 76 times.",
            ["note", "note", "note"],
            {"note": "Cited 76 times."},
            ("could not find a title; the raw text is kept in the note field",),
        ),
    ],
)
def test_a_reference_without_a_title_keeps_the_fields_it_has(
    reference: str, labels: list[str], expected: dict[str, str | None], problems: tuple[str, ...]
) -> None:
    parsed = parse_learned(reference, _FixedTagger(labels))
    assert {k: parsed.fields.get(k) for k in expected} == expected
    assert parsed.problems == problems
