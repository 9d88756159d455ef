"""The ODT and HTML readers: input -> expected notes (number, label, text, URLs), as tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from citecheck.read.formats import read_noted
from citecheck.read.html import read_html
from citecheck.read.model import NotedDocument
from citecheck.read.odt import read_odt
from tests.read.makefixtures import WIKIPEDIA_HTML, WORD_EXPORT_HTML, odt, odt_link, odt_note

Expected = list[tuple[int, str | None, str, tuple[str, ...]]]


def summary(document: NotedDocument) -> Expected:
    return [(n.number, n.label, n.text, n.urls) for n in document.notes]


ODT_CASES: list[tuple[str, list[str], Expected]] = [
    (
        "a footnote and an endnote with its displayed label",
        [
            f"<text:p>Some text{odt_note('1', 'Footnote text')} and more"
            f"{odt_note('i', 'Endnote text', note_class='endnote')}.</text:p>"
        ],
        [(1, None, "Footnote text", ()), (2, "i", "Endnote text", ())],
    ),
    (
        "text:label wins over the citation text",
        [f"<text:p>Title{odt_note('1', 'Funded by X.', label='*')}</text:p>"],
        [(1, "*", "Funded by X.", ())],
    ),
    (
        "a link target is a URL; a written URL too; paragraphs joined",
        [
            "<text:h>Heading</text:h>",
            "<text:p>Claim"
            + odt_note(
                "1",
                f"Roe, {odt_link('https://example.org/report', 'the report')}",
                "and www.example.com/page.",
            )
            + "</text:p>",
        ],
        [
            (
                1,
                None,
                "Roe, the report and www.example.com/page.",
                ("https://example.org/report", "http://www.example.com/page"),
            )
        ],
    ),
    (
        "tracked deletions are not read",
        [
            "<text:tracked-changes><text:changed-region text:id='c1'><text:deletion>"
            "<text:p>Deleted http://example.org/deleted</text:p></text:deletion>"
            "</text:changed-region></text:tracked-changes>",
            f"<text:p>Kept{odt_note('1', 'Kept note')}</text:p>",
        ],
        [(1, None, "Kept note", ())],
    ),
]


@pytest.mark.parametrize(("name", "body", "expected"), ODT_CASES, ids=[c[0] for c in ODT_CASES])
def test_odt_notes(tmp_path: Path, name: str, body: list[str], expected: Expected) -> None:
    assert summary(read_odt(odt(tmp_path / "case.odt", body))) == expected


def test_odt_lines_are_body_paragraphs(tmp_path: Path) -> None:
    path = odt(
        tmp_path / "lines.odt",
        [
            "<text:h>Title</text:h>",
            f"<text:p>See {odt_link('https://example.org/b', 'x')}.{odt_note('1', 'One')}</text:p>",
            f"<text:p>Two{odt_note('2', 'Two')}</text:p>",
        ],
    )
    document = read_odt(path)
    assert document.format == "odt"
    assert [(n.number, n.line) for n in document.notes] == [(1, 2), (2, 3)]
    assert [(b.url, b.line) for b in document.body_urls] == [("https://example.org/b", 2)]


def test_odt_recognised_by_its_mimetype_whatever_the_suffix(tmp_path: Path) -> None:
    path = odt(tmp_path / "saved-as.zip", [f"<text:p>A{odt_note('1', 'Note')}</text:p>"])
    assert summary(read_noted(path)) == [(1, None, "Note", ())]


HTML_CASES: list[tuple[str, str, Expected]] = [
    (
        "Word export: _ftn/_ftnref anchors, each note once, all its paragraphs",
        WORD_EXPORT_HTML,
        [
            (
                1,
                None,
                "Jane Roe, A Report, see the report. Its second paragraph, "
                "http://example.org/second.",
                ("https://example.org/report", "http://example.org/second"),
            ),
            (2, None, "Ibid.", ()),
        ],
    ),
    (
        "Wikipedia references: absolute in-page links, a note cited twice, a lettered note",
        WIKIPEDIA_HTML,
        [
            (1, None, "Doe, J. One.", ("https://example.org/one",)),
            (2, None, "Roe, R. (2001). Two.", ("https://example.org/two",)),
            (3, "a", "An explanatory note.", ()),
        ],
    ),
    (
        "Word export of endnotes: _edn/_ednref anchors, roman labels",
        '<p>Claim.<a href="#_edn1" name="_ednref1">[i]</a></p><hr>'
        '<div id=edn1><p><a href="#_ednref1" name="_edn1">[i]</a> An endnote.</p></div>',
        [(1, "i", "An endnote.", ())],
    ),
    (
        "Wikipedia note group: [note 1] label",
        '<p>Fact.<sup id="cite_ref-n1"><a href="#cite_note-n1">[note 1]</a></sup></p>'
        '<ol><li id="cite_note-n1"><b><a href="#cite_ref-n1">^</a></b> A comment, see '
        '<a href="https://example.org/c">this</a>.</li></ol>',
        [(1, "note 1", "A comment, see this.", ("https://example.org/c",))],
    ),
    (
        "a link to an anchor that does not link back is no note",
        '<p>See <a href="#sec2">section 2</a>.</p><h2 id="sec2">Two</h2><p>Text.</p>',
        [],
    ),
]


@pytest.mark.parametrize(("name", "page", "expected"), HTML_CASES, ids=[c[0] for c in HTML_CASES])
def test_html_notes(tmp_path: Path, name: str, page: str, expected: Expected) -> None:
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    assert summary(read_html(path)) == expected


def test_html_markers_body_urls_and_lines(tmp_path: Path) -> None:
    path = tmp_path / "wiki.html"
    path.write_text(WIKIPEDIA_HTML, encoding="utf-8")
    document = read_html(path)
    assert document.format == "html"
    assert document.markers == (1, 2, 2, 3)
    assert [b.url for b in document.body_urls] == ["https://example.com/body"]
    lines = WIKIPEDIA_HTML.splitlines()
    first_note = next(i for i, line in enumerate(lines, 1) if 'id="cite_note-1"' in line)
    assert document.notes[0].line == first_note


def test_html_in_windows_1252_is_decoded_by_its_meta_charset(tmp_path: Path) -> None:
    page = WORD_EXPORT_HTML.replace('charset="utf-8"', 'charset="windows-1252"').replace(
        "Ibid.", "Übersicht – Ibid."
    )
    path = tmp_path / "word.htm"
    path.write_bytes(page.encode("cp1252"))
    assert read_noted(path).notes[1].text == "Übersicht – Ibid."


def test_html_lines_are_where_start_tags_begin(tmp_path: Path) -> None:
    """libxml2 reports the line where a start tag ends; pandoc wraps attributes."""
    page = (
        "<html><body>\n"  # 1
        '<p>Claim.<a href="#fn1"\n'  # 2
        'id="r1">1</a> See <a\n'  # 3
        'href="https://example.org/body">this</a>.</p>\n'  # 4
        "<ol><li\n"  # 5
        'id="fn1">Note. <a href="#r1">back</a></li></ol>\n'  # 6
        "</body></html>\n"
    )
    path = tmp_path / "wrapped.html"
    path.write_text(page, encoding="utf-8")
    document = read_html(path)
    assert [(m.number, m.line) for m in document.marker_places] == [(1, 2)]
    assert [(b.url, b.line) for b in document.body_urls] == [("https://example.org/body", 3)]
    assert [(n.number, n.line, n.text) for n in document.notes] == [(1, 5, "Note.")]
