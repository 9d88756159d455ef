"""The DOCX reader: input package -> expected notes (number, label, text, URLs), as tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from citecheck.read.docx import format_number, read_docx
from citecheck.read.formats import read_noted
from citecheck.read.model import NotedDocument
from tests.read.makefixtures import (
    bidi,
    content_control,
    deleted,
    docx,
    endnote_ref,
    field_link,
    footnote_ref,
    hyperlink,
    inserted,
    note_para,
    note_xml,
    pandoc_available,
    pandoc_convert,
    para,
    run,
    section_break,
    smart_tag,
)

Expected = list[tuple[int, str | None, str, tuple[str, ...]]]  # number, label, text, urls


def summary(document: NotedDocument) -> Expected:
    return [(n.number, n.label, n.text, n.urls) for n in document.notes]


def fn(note_id: int, *content: str) -> str:
    return note_xml("footnote", note_id, note_para(*content))


CASES: list[tuple[str, dict[str, Any], Expected]] = [
    (
        "numbered by reference order, not by Word's ids",
        {
            "body": [para(run("A."), footnote_ref(7)), para(run("B."), footnote_ref(3))],
            "footnotes": [fn(3, run(" Second.")), fn(7, run(" First."))],
        },
        [(1, None, "First.", ()), (2, None, "Second.", ())],
    ),
    (
        "URL only as a hyperlink target",
        {
            "body": [para(run("A."), footnote_ref(1))],
            "footnotes": [fn(1, run(" See "), hyperlink("rId5", "the report"), run("."))],
            "footnote_links": {"rId5": "https://example.org/report?id=1"},
        },
        [(1, None, "See the report.", ("https://example.org/report?id=1",))],
    ),
    (
        "HYPERLINK field split over runs, and a URL in the text",
        {
            "body": [para(run("A."), footnote_ref(1))],
            "footnotes": [
                fn(
                    1,
                    run(" Roe, "),
                    field_link("https://example.org/field", "online", split=True),
                    run(", and http://example.net/text."),
                )
            ],
        },
        [
            (
                1,
                None,
                "Roe, online, and http://example.net/text.",
                ("https://example.org/field", "http://example.net/text"),
            )
        ],
    ),
    (
        "custom mark * takes no number from Word's count",
        {
            "body": [
                para(run("Title"), footnote_ref(1, mark="*")),
                para(run("A."), footnote_ref(2)),
            ],
            "footnotes": [
                note_xml("footnote", 1, para(run("*"), run(" Thanks to the funders."))),
                fn(2, run(" A source.")),
            ],
        },
        [(1, "*", "Thanks to the funders.", ()), (2, "1", "A source.", ())],
    ),
    (
        "tracked insertion read, deletion skipped (a deleted reference too)",
        {
            "body": [
                para(run("A."), inserted(footnote_ref(1))),
                para(deleted("gone"), "<w:del w:id='5'>" + footnote_ref(2) + "</w:del>"),
                para(run("B."), footnote_ref(3)),
            ],
            "footnotes": [
                fn(
                    1,
                    run(" Kept "),
                    inserted(run("and inserted")),
                    deleted(" and deleted"),
                    run("."),
                ),
                fn(2, run(" Deleted note.")),
                fn(3, run(" Third.")),
            ],
        },
        [(1, None, "Kept and inserted.", ()), (2, None, "Third.", ())],
    ),
    (
        "content controls, smart tags and bidi runs are walked into",
        {
            "body": [para(content_control(run("A."), footnote_ref(1)))],
            "footnotes": [
                fn(
                    1,
                    content_control(run(" In a control,")),
                    smart_tag(run(" a tag,")),
                    bidi(run(" مرجع", rtl=True)),
                )
            ],
        },
        [(1, None, "In a control, a tag, مرجع", ())],
    ),
    (
        "right-to-left text keeps its characters; bidi controls leave the URL",
        {
            "body": [para(run("متن."), footnote_ref(1))],
            "footnotes": [
                fn(
                    1,
                    run(" \u200fمنبع: \u202bhttps://example.ir/fa/1\u202c\u200f و ", rtl=True),
                    hyperlink("rId1", "پیوند"),
                )
            ],
            "footnote_links": {"rId1": "\u200fhttps://example.ir/fa/2\u200f"},
        },
        [
            (
                1,
                None,
                "\u200fمنبع: \u202bhttps://example.ir/fa/1\u202c\u200f و پیوند",
                ("https://example.ir/fa/1", "https://example.ir/fa/2"),
            )
        ],
    ),
    (
        "endnotes count with footnotes; Word shows them as i, ii",
        {
            "body": [
                para(run("A."), endnote_ref(1)),
                para(run("B."), footnote_ref(1)),
                para(run("C."), endnote_ref(2)),
            ],
            "footnotes": [fn(1, run(" Foot."))],
            "endnotes": [
                note_xml("endnote", 1, note_para(run(" End one."), kind="endnote")),
                note_xml("endnote", 2, note_para(run(" End two."), kind="endnote")),
            ],
        },
        [(1, "i", "End one.", ()), (2, "1", "Foot.", ()), (3, "ii", "End two.", ())],
    ),
    (
        "numbering restarts per section, in the section's format",
        {
            "body": [
                para(run("A."), footnote_ref(1)),
                para(run("B."), footnote_ref(2), section=section_break("eachSect")),
                para(run("C."), footnote_ref(3)),
            ],
            "footnotes": [fn(1, run(" a")), fn(2, run(" b")), fn(3, run(" c"))],
            "final_section": section_break("eachSect", "lowerLetter"),
        },
        [(1, None, "a", ()), (2, None, "b", ()), (3, "a", "c", ())],
    ),
    (
        "document-wide format from settings",
        {
            "body": [para(run("A."), footnote_ref(1)), para(run("B."), footnote_ref(2))],
            "footnotes": [fn(1, run(" a")), fn(2, run(" b"))],
            "settings": '<w:footnotePr><w:numFmt w:val="upperRoman"/></w:footnotePr>',
        },
        [(1, "I", "a", ()), (2, "II", "b", ())],
    ),
]


@pytest.mark.parametrize(("name", "package", "expected"), CASES, ids=[c[0] for c in CASES])
def test_docx_notes(tmp_path: Path, name: str, package: dict[str, Any], expected: Expected) -> None:
    path = docx(tmp_path / "case.docx", **package)
    assert summary(read_docx(path)) == expected


def test_sections_are_counted_as_restarts(tmp_path: Path) -> None:
    _, package, _ = CASES[8]
    document = read_docx(docx(tmp_path / "s.docx", **package))
    assert [n.section for n in document.notes] == [0, 0, 1]


def test_lines_are_body_paragraphs_and_markers_in_order(tmp_path: Path) -> None:
    path = docx(
        tmp_path / "lines.docx",
        [
            para(run("Heading")),
            para(
                run("See "), hyperlink("b1", "this"), run(" and www.example.com."), footnote_ref(2)
            ),
            para(run("Again."), footnote_ref(1)),
        ],
        footnotes=[fn(1, run(" One.")), fn(2, run(" Two."))],
        body_links={"b1": "https://example.org/body"},
    )
    document = read_docx(path)
    assert document.format == "docx"
    assert [(n.number, n.line, n.text) for n in document.notes] == [(1, 2, "Two."), (2, 3, "One.")]
    assert document.markers == (1, 2)
    assert [(m.number, m.line) for m in document.marker_places] == [(1, 2), (2, 3)]
    assert [(b.url, b.line) for b in document.body_urls] == [
        ("https://example.org/body", 2),
        ("http://www.example.com", 2),
    ]


def test_reference_without_note_is_a_problem(tmp_path: Path) -> None:
    path = docx(tmp_path / "missing.docx", [para(run("A."), footnote_ref(4))])
    document = read_docx(path)
    assert document.notes == ()
    assert [p.kind for p in document.problems] == ["marker-without-note"]


@pytest.mark.parametrize(
    ("number", "fmt", "shown"),
    [
        (4, "decimal", "4"),
        (4, "lowerRoman", "iv"),
        (14, "upperRoman", "XIV"),
        (2, "lowerLetter", "b"),
        (28, "upperLetter", "BB"),
        (1, "chicago", "*"),
        (6, "chicago", "††"),
        (3, "ordinal", "3"),
    ],
)
def test_number_formats(number: int, fmt: str, shown: str) -> None:
    assert format_number(number, fmt) == shown


PANDOC_MARKDOWN = (
    "A claim.[^1] Another claim.[^2] And an inline one.^[Inline note, <https://example.org/in>.]\n"
    "\n"
    "[^1]: Jane Roe, [The Report](https://example.org/report), 2010.\n"
    "[^2]: See http://example.net/plain for more.\n"
)
PANDOC_EXPECTED: Expected = [
    (1, None, "Jane Roe, The Report, 2010.", ("https://example.org/report",)),
    (2, None, "See http://example.net/plain for more.", ("http://example.net/plain",)),
    (3, None, "Inline note, https://example.org/in.", ("https://example.org/in",)),
]


@pytest.mark.skipif(not pandoc_available(), reason="pandoc is not installed (.ci/run installs it)")
@pytest.mark.parametrize("suffix", [".docx", ".odt", ".html"])
def test_pandoc_written_files(tmp_path: Path, suffix: str) -> None:
    """The same Markdown through pandoc gives the same notes in every format."""
    path = pandoc_convert(PANDOC_MARKDOWN, tmp_path / f"notes{suffix}", ["--standalone"])
    assert summary(read_noted(path)) == PANDOC_EXPECTED


PERSIAN_MARKDOWN = (
    "متن فارسی با یک پانویس.[^1] و دومی.[^2]\n\n"
    "[^1]: منبع: [سایت](https://example.ir/a) ۱۳۹۹.\n"
    "[^2]: کتاب، https://example.ir/b/ و پایان.\n"
)
PERSIAN_EXPECTED: Expected = [
    (1, None, "منبع: سایت ۱۳۹۹.", ("https://example.ir/a",)),
    (2, None, "کتاب، https://example.ir/b/ و پایان.", ("https://example.ir/b/",)),
]


@pytest.mark.skipif(not pandoc_available(), reason="pandoc is not installed (.ci/run installs it)")
@pytest.mark.parametrize("suffix", [".docx", ".odt", ".html"])
def test_right_to_left_persian_through_pandoc(tmp_path: Path, suffix: str) -> None:
    """pandoc writes `w:bidi`/`w:rtl` (DOCX) and `dir="rtl"` (HTML): the text keeps its
    characters and order, the URLs come out clean."""
    path = pandoc_convert(
        PERSIAN_MARKDOWN,
        tmp_path / f"fa{suffix}",
        ["--standalone", "-M", "dir=rtl", "-M", "lang=fa"],
    )
    assert summary(read_noted(path)) == PERSIAN_EXPECTED


def test_the_markdown_source_itself_gives_the_same_notes(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(PANDOC_MARKDOWN, encoding="utf-8")
    assert summary(read_noted(path)) == PANDOC_EXPECTED
