"""The PDF reader on PDFs compiled from LaTeX with known notes, and on hostile PDFs.

The LaTeX fixtures (tests/read/pdf_fixtures.py) are compiled with pdflatex into a temp folder
once per session (about a second each); without pdflatex those tests skip with the reason.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from citecheck.read.formats import read_noted
from citecheck.read.model import DocumentError, NotedDocument
from citecheck.read.pdf import UNREADABLE_TEXT
from tests.read import pdf_fixtures
from tests.support.paths import REPO_ROOT

needs_pdflatex = pytest.mark.skipif(
    pdf_fixtures.PDFLATEX is None, reason="pdflatex not installed (.ci/run installs texlive)"
)


@pytest.fixture(scope="session")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, NotedDocument]:
    if pdf_fixtures.PDFLATEX is None:
        pytest.skip("pdflatex not installed (.ci/run installs texlive)")
    folder = tmp_path_factory.mktemp("pdf-fixtures")
    return {
        name: read_noted(pdf_fixtures.compile_pdf(name, folder)) for name in pdf_fixtures.SOURCES
    }


# fixture, note number -> (page, start of its text, its URLs)
EXPECTED_NOTES: list[tuple[str, int, int, str, tuple[str, ...]]] = [
    # `%` and `~` in a \url survive; the URL is both in the text and in a link annotation
    ("basic", 1, 1, "See http://a.org/x%20y~z for the report.", ("http://a.org/x%20y~z",)),
    # the URL exists only as the link annotation over "annual report"
    ("basic", 2, 1, "The annual report of the board.", ("https://b.org/hidden/page",)),
    # a long URL broken over lines at its hyphens comes back whole
    (
        "basic",
        3,
        1,
        "Available at https://example.org/some-very-long-path/with-many-hyphenated-segments/"
        "and-more-segments-here/final-document-name.pdf.",
        (
            "https://example.org/some-very-long-path/with-many-hyphenated-segments/"
            "and-more-segments-here/final-document-name.pdf",
        ),
    ),
    # \footnotemark + \footnotetext
    ("basic", 4, 1, "Text set apart by footnotetext.", ()),
    # a note that starts on page 2 and runs onto page 3 (checked whole below)
    ("basic", 5, 2, "This note is long. This note is long.", ("https://end.example.org/last",)),
    ("basic", 6, 3, "Second page note, https://p2.example.org/x.", ("https://p2.example.org/x",)),
    ("twocolumn", 1, 1, "Left note: https://left.example.org/a.", ("https://left.example.org/a",)),
    ("twocolumn", 2, 1, "Second left note.", ()),
    (
        "twocolumn",
        3,
        2,
        "Right note: https://right.example.org/b.",
        ("https://right.example.org/b",),
    ),
    # a long note whose first line is justified with gaps wider than a column gap
    ("twocolumn-long", 1, 1, "A short note.", ()),
    (
        "twocolumn-long",
        2,
        1,
        "Long note words. " * 120 + "It ends at https://long.example.org/end.",
        ("https://long.example.org/end",),
    ),
    # notes outweigh the body text
    ("heavy-notes", 1, 1, "A long first note. " * 29 + "A long first note.", ()),
    ("heavy-notes", 2, 2, "A long second note. " * 30, ("https://heavy.example.org/b",)),
    # ligature ffi comes back as letters
    (
        "affiliations",
        1,
        1,
        "Affiliated note one, https://aff.example.org/1.",
        ("https://aff.example.org/1",),
    ),
    ("affiliations", 2, 1, "Affiliated note two.", ()),
    # no note block in smaller type: the plain-text finder reads the laid-out text
    (
        "endnotes",
        1,
        1,
        "First endnote, see https://end1.example.org/a.",
        ("https://end1.example.org/a",),
    ),
    ("endnotes", 2, 1, "Second endnote without a link.", ()),
]


@needs_pdflatex
@pytest.mark.parametrize("row", EXPECTED_NOTES, ids=lambda row: f"{row[0]}-{row[1]}")
def test_notes_of_compiled_pdfs(
    compiled: dict[str, NotedDocument], row: tuple[str, int, int, str, tuple[str, ...]]
) -> None:
    fixture, number, page, text, urls = row
    note = next(n for n in compiled[fixture].notes if n.number == number)
    assert (note.page, note.text[: len(text)], note.urls) == (page, text, urls)


@needs_pdflatex
@pytest.mark.parametrize(
    ("fixture", "numbers", "markers"),
    [
        ("basic", [1, 2, 3, 4, 5, 6], [(1, 1), (2, 1), (3, 1), (4, 1), (5, 2), (6, 3)]),
        ("twocolumn", [1, 2, 3], [(1, 1), (2, 1), (3, 2)]),
        ("twocolumn-long", [1, 2], [(1, 1), (2, 1)]),
        ("heavy-notes", [1, 2], [(1, 1), (2, 2)]),
        # the authors' affiliation digits 1-3 are not the notes' markers
        ("affiliations", [1, 2], [(1, 1), (2, 1)]),
        ("endnotes", [1, 2], [(1, 1), (2, 1)]),
    ],
)
def test_note_numbers_and_markers_with_pages(
    compiled: dict[str, NotedDocument],
    fixture: str,
    numbers: list[int],
    markers: list[tuple[int, int]],
) -> None:
    document = compiled[fixture]
    assert [n.number for n in document.notes] == numbers
    assert [(m.number, m.page) for m in document.marker_places] == markers
    assert document.format == "pdf"
    assert not document.problems


@needs_pdflatex
def test_long_note_runs_on_across_the_page_break(compiled: dict[str, NotedDocument]) -> None:
    note = next(n for n in compiled["basic"].notes if n.number == 5)
    assert note.text == "This note is long. " * 90 + "It ends at https://end.example.org/last."


@needs_pdflatex
def test_watermark_running_head_and_page_numbers_stay_out_of_notes(
    compiled: dict[str, NotedDocument],
) -> None:
    for document in compiled.values():
        for note in document.notes:
            assert "DRAFT" not in note.text
            assert "Running Head" not in note.text
            assert not note.text.rstrip(".").endswith((" 1", " 2", " 3"))


@needs_pdflatex
def test_the_affiliation_marker_of_the_note_is_the_one_in_the_text(
    compiled: dict[str, NotedDocument],
) -> None:
    """Raised 1 after an author's name stands before the note's own raised 1: the marker is
    the last raised 1 before the note, on the body line that calls the note."""
    document = compiled["affiliations"]
    author_line = min(m.line for m in document.marker_places)
    assert author_line > 5


@needs_pdflatex
def test_extract_prints_pages_in_json(tmp_path: Path) -> None:
    pdf = pdf_fixtures.compile_pdf("twocolumn", tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "citecheck", "extract", str(pdf), "--format", "json"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "https://right.example.org/b" in result.stdout


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (pdf_fixtures.encrypted_pdf(), "not a readable PDF: encrypted (needs a password)"),
        (pdf_fixtures.BROKEN_PDF, "not a readable PDF: "),
    ],
)
def test_encrypted_or_broken_pdf_is_one_named_error(
    tmp_path: Path, data: bytes, message: str
) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(data)
    with pytest.raises(DocumentError) as caught:
        read_noted(path)
    assert str(caught.value).startswith(f"{path}: {message}")
    assert "\n" not in str(caught.value)


def test_broken_pdf_on_the_command_line_exits_2_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"  # content decides: it starts with %PDF-
    path.write_bytes(pdf_fixtures.BROKEN_PDF)
    result = subprocess.run(
        [sys.executable, "-m", "citecheck", "extract", str(path)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"{path}: not a readable PDF" in result.stderr


def test_fonts_without_unicode_give_one_problem_and_no_notes(tmp_path: Path) -> None:
    path = tmp_path / "glyphs.pdf"
    path.write_bytes(pdf_fixtures.unmapped_font_pdf())
    document = read_noted(path)
    assert document.notes == ()
    assert [p.kind for p in document.problems] == [UNREADABLE_TEXT]
    assert str(path) in document.problems[0].message
    assert "no Unicode mapping" in document.problems[0].message


@needs_pdflatex
@pytest.mark.parametrize(
    ("cap", "value", "message"),
    [
        ("MAX_PAGES", 2, "only the first 2 of 3 pages were read"),
        ("MAX_CHARS", 100, "reading stopped after 100 characters at page 2"),
        ("TIME_BUDGET", -1.0, "reading stopped after -1 s at page 1"),
    ],
)
def test_reading_is_bounded_and_says_where_it_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cap: str, value: float, message: str
) -> None:
    from citecheck.read import pdf  # noqa: PLC0415 - the module whose caps are lowered

    path = pdf_fixtures.compile_pdf("basic", tmp_path)
    monkeypatch.setattr(pdf, cap, value)
    document = read_noted(path)
    assert [p.message for p in document.problems if p.kind == pdf.TRUNCATED] == [
        f"{path}: {message}"
    ]
