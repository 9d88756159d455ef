"""Acceptance: `citecheck extract FILE --format json` on the real manuscripts in ../shared.

The truth was read off each file by hand (`pandoc -t plain`, `unzip -p … word/footnotes.xml`);
see docs/readers.md for the table. Skipped when ../shared/manuscripts is absent (a clean
clone without the shared folder). Every DOCX, ODT, HTML and Markdown file there must be in
the table below, so a new file cannot slip through unchecked.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from citecheck.cli.main import main
from tests.support.paths import REPO_ROOT

# Beside the repository; CITECHECK_MANUSCRIPTS points elsewhere (a worktree one level deeper).
MANUSCRIPTS = Path(
    os.environ.get("CITECHECK_MANUSCRIPTS", REPO_ROOT.parent / "shared" / "manuscripts")
)
OUR_SUFFIXES = {".docx", ".odt", ".html", ".md"}

Row = tuple[int, str | None, str, tuple[str, ...]]  # number, label, text, urls
_S8 = "poi-stress008.docx"

EXPECTED: dict[str, list[Row]] = {
    "pandoc-notes.docx": [
        (1, None, "My note.", ()),
        (2, "i", "This is an endnote at the end of the document.", ()),  # Word's endnote format
    ],
    "pandoc-link-in-notes.docx": [
        (1, None, "http://wikipedia.org/", ("http://wikipedia.org/",)),
    ],
    "pandoc-sdt-in-footnote.docx": [
        (
            1,
            None,
            "Vgl. Bitzios u. a.: Dissonance in the food traceability regulatory environment and "
            "food fraud, in: Dries u. a. (Hrsg.): It’s a jungle out there - the strange animals "
            "of economic organization in agri-food value chains, Wageningen im Druck, hier "
            "S. 100-105.",
            (),
        ),
    ],
    "poi-bug54849.docx": [
        (1, None, "Footnote_sdt", ()),
        (2, "i", "Endnote Endnote_sdt", ()),
    ],
    "pandoc-footnote.odt": [(1, None, "Footnote text", ())],
    "pandoc-endnote.odt": [(1, "i", "Endnote text", ())],
    "pandoc-writer.html5.html": [
        (
            1,
            None,
            "Here is the footnote. It can go anywhere after the footnote reference. It need not "
            "be placed at the end of the document.",
            (),
        ),
        (
            2,
            None,
            "Here’s the long note. This one contains multiple blocks. Subsequent blocks are "
            "indented to show that they belong to the footnote (as with list items). "
            "{ <code> } If you want, you can indent every line, but you can also be lazy and "
            "just indent the first line of each block.",
            (),
        ),
        (
            3,
            None,
            "This is easier to type. Inline notes may contain links and ] verbatim characters, "
            "as well as [bracketed text].",
            ("http://google.com",),
        ),
        (4, None, "In quote.", ()),
        (5, None, "In list.", ()),
    ],
    "word-export-snippets.html": [
        (
            1,
            None,
            "BSK-Dubs/Truffer, N. 1 zu Art. 701 OR. Hier gibt es auch Kursivschrift und "
            "Fettschrift.",
            (),
        ),
        (
            2,
            None,
            "Spühler/Rodriguez, Rz. 323; Linke/Hau, Rz. 12.1; Donzallaz, Rz. 1749 f.; "
            "Matscher, S. 265.",
            (),
        ),
    ],
    "pandoc-testsuite.md": [
        (
            1,
            None,
            "Here is the footnote. It can go anywhere after the footnote reference. It need not "
            "be placed at the end of the document.",
            (),
        ),
        (
            2,
            "longnote",
            "Here's the long note. This one contains multiple blocks. Subsequent blocks are "
            "indented to show that they belong to the footnote (as with list items). "
            "{ <code> } If you want, you can indent every line, but you can also be lazy and "
            "just indent the first line of each block.",
            (),
        ),
        (
            3,
            None,
            "This is easier to type. Inline notes may contain links and ] verbatim characters, "
            "as well as [bracketed text].",
            ("http://google.com",),
        ),
        (4, None, "In quote.", ()),
        (5, None, "In list.", ()),
    ],
    # The whole file is one fenced code block (pandoc's test input and expected output):
    # as Markdown it holds no note at all, and code is never a note.
    "pandoc-chicago-fullnote.md": [],
    "SOURCES.md": [],
}
EXPECTED_LINES: dict[str, list[int]] = {
    "pandoc-notes.docx": [3, 3],  # body paragraph of the reference
    "poi-bug54849.docx": [2, 25],
    "pandoc-writer.html5.html": [750, 753, 760, 764, 766],  # source line of the note's <li>
    "pandoc-testsuite.md": [723, 710, 701, 706, 708],  # definition line; inline: the ^[ line
}
# poi-stress008.docx: a German essay (not Persian) with 182 footnotes; all 182 texts equal
# pandoc's rendering. Three notes carry a URL, written in their text.
STRESS008_URLS = {
    11: ("http://www.epochtimes.de/articles/2006/08/13/44571.html",),
    128: ("http://www.friedgreentomatoes.org/articles/psychopaths_neuroticism.php",),
    172: ("http://www.uni-salzburg.at/pls/portal/docs/1/347085.PDF",),
}

pytestmark = pytest.mark.skipif(
    not MANUSCRIPTS.is_dir(), reason=f"{MANUSCRIPTS} is absent (shared test manuscripts)"
)


def extracted(name: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["extract", str(MANUSCRIPTS / name), "--format", "json"])
    assert result.exit_code == 0, result.output
    (document,) = json.loads(result.stdout)["documents"]
    found: dict[str, Any] = document
    return found


def rows(document: dict[str, Any]) -> list[Row]:
    return [(n["number"], n.get("label"), n["text"], tuple(n["urls"])) for n in document["notes"]]


def test_every_file_of_our_formats_is_in_the_table() -> None:
    present = {p.name for p in MANUSCRIPTS.iterdir() if p.suffix.lower() in OUR_SUFFIXES}
    assert present - {_S8} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_manuscript_notes(name: str) -> None:
    document = extracted(name)
    assert rows(document) == EXPECTED[name]
    assert document["markers"] == [n for n, *_ in EXPECTED[name]]
    assert document["problems"] == []
    if name in EXPECTED_LINES:
        assert [n["line"] for n in document["notes"]] == EXPECTED_LINES[name]


def test_stress008_has_182_notes_numbered_in_order() -> None:
    document = extracted(_S8)
    notes = document["notes"]
    assert len(notes) == 182
    assert [n["number"] for n in notes] == list(range(1, 183))
    assert document["markers"] == list(range(1, 183))
    assert all("label" not in n for n in notes)
    assert {n["number"]: tuple(n["urls"]) for n in notes if n["urls"]} == STRESS008_URLS
    assert notes[0]["text"] == "Philippe Aries, Geschichte des Todes, München 1982, S 715"
    assert notes[-1]["text"] == (
        "Aus: Idries Shah: Die fabelhaften Heldentaten des vollendeten Narren und Meisters "
        "Mulla Nasrudin. Freiburg im Breisgau 1984, S. 16f"
    )
    assert [b["line"] for b in document["body_urls"]] == [707, 983]  # two mail links


def test_bibtex_export_runs_on_every_manuscript() -> None:
    names = [*sorted(EXPECTED), _S8]
    result = CliRunner().invoke(
        main, ["extract", *(str(MANUSCRIPTS / n) for n in names), "--format", "bibtex"]
    )
    assert result.exit_code == 0, result.output
    assert "http://wikipedia.org/" in result.stdout
    assert "347085.PDF" in result.stdout
