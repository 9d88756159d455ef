"""The LaTeX reader: each row is a source and the notes (number, line, text, URLs) it holds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from citecheck.read import latex
from citecheck.read.formats import read_noted
from citecheck.read.model import CitedEntry, NotedDocument
from tests.support.paths import REPO_ROOT

NoteRow = tuple[int, int, str, tuple[str, ...]]


def _read(folder: Path, files: dict[str, str], main: str = "main.tex") -> NotedDocument:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return read_noted(folder / main)


def _rows(document: NotedDocument) -> list[NoteRow]:
    return [(n.number, n.line, n.text, n.urls) for n in document.notes]


CASES: list[tuple[str, str, list[NoteRow]]] = [
    (
        "percent and tilde in \\url are characters, not a comment and a space",
        "a\\footnote{See \\url{http://a.b/c_d%20e~f#x} and \\texttt{expr.func}.} b\n",
        [(1, 1, "See http://a.b/c_d%20e~f#x and expr.func.", ("http://a.b/c_d%20e~f#x",))],
    ),
    (
        "escaped percent inside a footnote's \\url (what pdflatex needs) is a percent",
        "a\\footnote{\\url{http://a.org/x\\%20y\\#z}}\n",
        [(1, 1, "http://a.org/x%20y#z", ("http://a.org/x%20y#z",))],
    ),
    (
        "\\href target read verbatim, its text shown before it",
        "x\\footnote{See\n\\href{http://b.org/~me#f%2F}{the page}.}\n",
        [(1, 1, "See the page <http://b.org/~me#f%2F>.", ("http://b.org/~me#f%2F",))],
    ),
    (
        "a comment inside a note is dropped, its braces do not count",
        "x\\footnote{Kept % dropped {\nand kept.}\n",
        [(1, 1, "Kept and kept.", ())],
    ),
    (
        "\\verb and verbatim environments keep their text",
        "x\\footnote{A \\verb!}%! and \\begin{verbatim}{ raw }\\end{verbatim} end.}\n",
        [(1, 1, "A }% and { raw } end.", ())],
    ),
    (
        "commented-out and verbatim \\footnote are not notes",
        "% \\footnote{no}\n\\begin{verbatim}\\footnote{no}\\end{verbatim}\ny\\footnote{yes}\n",
        [(1, 3, "yes", ())],
    ),
    (
        "\\footnotemark + \\footnotetext, and an explicit number",
        "a\\footnotemark{} b\n\\footnotetext{Set apart.}\nc\\footnote[7]{Seventh.}\n",
        [(1, 2, "Set apart.", ()), (7, 3, "Seventh.", ())],
    ),
    (
        "\\endnote counts apart from footnotes: reading order, printed number as label",
        "a\\footnote{Foot one.} b\\endnote{End one.} c\\footnote{Foot two.}\n",
        [(1, 1, "Foot one.", ()), (2, 1, "End one.", ()), (3, 1, "Foot two.", ())],
    ),
    (
        "\\footcite is a note of its own",
        "a\\footcite[see][p.~4]{knuth84}.\n",
        [(1, 1, "see [knuth84, p. 4]", ())],
    ),
    (
        "a note over several lines starts on the line of its command",
        "one\ntwo\\footnote{Line\nbreaks\nundone.}\n",
        [(1, 2, "Line breaks undone.", ())],
    ),
]


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        # handled by hand (the common case, fast) ...
        ("\\emph{Title}, \\textbf{2020}~p.~3", "Title, 2020 p. 3"),
        ("pp.~3--5, ``quoted'' --- \\& more \\% \\#1", "pp. 3–5, “quoted” — & more % #1"),
        # ... and by pylatexenc
        ("Caf\\'e na\\\"ive \\emph{\\textit{x}}", "Café naïve x"),
        ("The {\\TeX}book", "The TeXbook"),
    ],
)
def test_note_markup_becomes_text(tmp_path: Path, latex: str, text: str) -> None:
    document = _read(tmp_path, {"main.tex": f"a\\footnote{{{latex}}}\n"})
    assert document.notes[0].text == text


@pytest.mark.parametrize(("why", "source", "expected"), CASES, ids=[c[0] for c in CASES])
def test_notes_of_latex_sources(
    tmp_path: Path, why: str, source: str, expected: list[NoteRow]
) -> None:
    document = _read(tmp_path, {"main.tex": source})
    assert _rows(document) == expected, why


def test_endnote_labels_keep_the_printed_numbers(tmp_path: Path) -> None:
    document = _read(tmp_path, {"main.tex": "a\\footnote{F.} b\\endnote{E.} c\\footnote{G.}"})
    assert [n.label for n in document.notes] == ["1", "1", "2"]


def test_markers_are_the_note_commands(tmp_path: Path) -> None:
    source = "a\\footnote{One.}\nb\\footnotemark\n\\footnotetext{Two.}\n"
    document = _read(tmp_path, {"main.tex": source})
    assert [(m.number, m.line) for m in document.marker_places] == [(1, 1), (2, 2)]
    assert document.problems == ()


def test_body_urls_are_read_verbatim(tmp_path: Path) -> None:
    source = "See \\url{http://x.org/a%20b} and \\href{https://y.org/~c}{y}.\n"
    document = _read(tmp_path, {"main.tex": source})
    assert [(u.url, u.line) for u in document.body_urls] == [
        ("http://x.org/a%20b", 1),
        ("https://y.org/~c", 1),
    ]


def test_inputs_are_followed_and_notes_say_their_file_and_line(tmp_path: Path) -> None:
    files = {
        "main.tex": "a\\footnote{Main.}\n\\input{chap/one}\n\\include{two}\nz\\footnote{Last.}\n",
        "chap/one.tex": "% comment\nx\\footnote{In one, \\url{http://one.org/%7E}.}\n",
        "two.tex": "\n\n\ny\\footnote{In two.}\n",
    }
    document = _read(tmp_path, files)
    assert [(n.number, n.source, n.line, n.urls) for n in document.notes] == [
        (1, None, 1, ()),
        (2, "chap/one.tex", 2, ("http://one.org/%7E",)),
        (3, "two.tex", 4, ()),
        (4, None, 4, ()),
    ]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"main.tex": "\\input{nowhere}\n"}, "main.tex:1: \\input file 'nowhere' not found"),
        (
            {"main.tex": "\n\\input{../outside}\n"},
            "main.tex:2: \\input file '../outside' is outside the document's folder; not read",
        ),
        (
            {"main.tex": "\\input{a}\n", "a.tex": "\\input{main}\n"},
            "a.tex:1: \\input 'main' not followed (a cycle",
        ),
    ],
)
def test_inputs_that_cannot_be_followed_are_problems(
    tmp_path: Path, files: dict[str, str], message: str
) -> None:
    folder = tmp_path / "doc"
    folder.mkdir()
    (tmp_path / "outside.tex").write_text("x\\footnote{Outside.}", encoding="utf-8")
    document = _read(folder, files)
    assert document.notes == ()
    assert [p.kind for p in document.problems] == [latex.MISSING_INPUT]
    assert document.problems[0].message.startswith(message)


def test_unbalanced_braces_are_one_problem_naming_file_and_line(tmp_path: Path) -> None:
    document = _read(tmp_path, {"main.tex": "a\\footnote{Fine.}\n\nb\\footnote{Never closed.\n"})
    assert [n.text for n in document.notes] == ["Fine."]
    assert [(p.kind, p.message) for p in document.problems] == [
        (
            latex.UNBALANCED,
            "main.tex:3: the argument of \\footnote never closes (unbalanced braces); "
            "the rest of the file is not read",
        )
    ]


BIB = """@book{knuth84,
  author = {Knuth, Donald E.},
  title = {The {\\TeX}book},
  publisher = {Addison-Wesley},
  year = 1984,
  url = {http://tex.example.org/book%20page}
}
@article{Lamport94,
  author = {Lamport, Leslie},
  title = {How to write a proof},
  journal = {Amer. Math. Monthly},
  year = {1995},
  doi = {10.2307/2974795}
}
"""


def test_cited_keys_become_entries_with_their_fields_and_url(tmp_path: Path) -> None:
    files = {
        "main.tex": (
            "a\\footnote{See \\cite[p.~3]{knuth84}.}\nb\\footnote{\\citep{Lamport94}.}\n"
            "\\bibliography{refs}\n"
        ),
        "refs.bib": BIB,
    }
    document = _read(tmp_path, files)
    first, second = document.notes
    assert first.text == "See [knuth84, p. 3]."
    assert first.urls == ("http://tex.example.org/book%20page",)
    assert first.entries == (
        CitedEntry(
            "knuth84",
            "book",
            (
                ("author", "Knuth, Donald E."),
                ("title", "The {\\TeX}book"),
                ("publisher", "Addison-Wesley"),
                ("year", "1984"),
                ("url", "http://tex.example.org/book%20page"),
            ),
        ),
    )
    assert [e.key for e in second.entries] == ["Lamport94"]
    assert second.urls == ()
    assert document.problems == ()


def test_addbibresource_is_read_too(tmp_path: Path) -> None:
    files = {
        "main.tex": "\\addbibresource{refs.bib}\na\\footnote{\\autocite{knuth84}}\n",
        "refs.bib": BIB,
    }
    assert [e.key for e in _read(tmp_path, files).notes[0].entries] == ["knuth84"]


@pytest.mark.parametrize(
    ("key", "kind", "message"),
    [
        ("nosuch", latex.MISSING_KEY, "main.tex:1: \\cite key 'nosuch' is not in the .bib"),
        (
            "Knuth84",
            latex.KEY_CASE,
            "main.tex:1: \\cite key 'Knuth84' matches 'knuth84' in the .bib only when case "
            "is ignored (BibTeX keys are case-sensitive)",
        ),
    ],
)
def test_keys_missing_from_the_bib_are_problems(
    tmp_path: Path, key: str, kind: str, message: str
) -> None:
    files = {"main.tex": f"a\\footnote{{\\cite{{{key}}}.}}\n\\bibliography{{refs}}\n"}
    files["refs.bib"] = BIB
    document = _read(tmp_path, files)
    assert document.notes[0].entries == ()
    assert [(p.kind, p.message) for p in document.problems] == [(kind, message)]


def test_missing_bib_file_is_a_problem(tmp_path: Path) -> None:
    document = _read(tmp_path, {"main.tex": "\\bibliography{gone}\n"})
    assert [p.message for p in document.problems] == ["main.tex:1: bibliography 'gone' not found"]


def test_extract_exports_the_cited_bib_entries(tmp_path: Path) -> None:
    files = {
        "main.tex": (
            "a\\footnote{See \\cite[p.~3]{knuth84} and \\url{http://own.example.org/x}.}\n"
            "b\\footnote{\\cite{Lamport94}.}\nc\\footnote{Again \\cite{knuth84}.}\n"
            "\\bibliography{refs}\n"
        ),
        "refs.bib": BIB,
    }
    _read(tmp_path, files)
    command = [sys.executable, "-m", "citecheck", "extract", str(tmp_path / "main.tex")]
    result = subprocess.run(
        [*command, "--format", "bibtex"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "@book{knuth1984texbook," in out
    assert "title = {The TeXbook}" in out
    assert "url = {http://tex.example.org/book%20page}" in out
    assert "@article{" in out
    assert "title = {How to write a proof}" in out
    assert "journaltitle = {Amer. Math. Monthly}" in out
    assert out.count("@book{") == 1  # cited twice, one entry
    assert "url = {http://own.example.org/x}" in out  # the note's own link is still a work


@pytest.mark.parametrize(
    ("source", "kinds"),
    [
        # 300 000 commands and no `%`: a search for the next `%` from every command would be
        # quadratic (minutes); one scan takes a fraction of a second
        ("\\relax x " * 300_000, []),
        # 50 000 nested, never closed notes: one problem, no recursion error
        ("\\footnote{" * 50_000, [latex.UNBALANCED]),
    ],
)
def test_hostile_sources_take_bounded_time(tmp_path: Path, source: str, kinds: list[str]) -> None:
    import time  # noqa: PLC0415

    started = time.process_time()
    document = _read(tmp_path, {"main.tex": source})
    assert time.process_time() - started < 20
    assert [p.kind for p in document.problems] == kinds
