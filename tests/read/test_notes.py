"""Reading notes, markers and problems: each row is a small text in, what was found out."""

from __future__ import annotations

import pytest

from citecheck.read.model import BodyUrl, Document, Marker, NotedDocument
from citecheck.read.notes import (
    DUPLICATE_NOTE,
    MARKER_WITHOUT_NOTE,
    MARKERS_WITHOUT_NOTES,
    NOTE_WITHOUT_MARKER,
    NOTES_WITHOUT_MARKERS,
    NUMBERING_GAP,
    UNREADABLE_NOTE,
    Layout,
    detect_layout,
    extract_notes,
)

LONG = "A paragraph on one line, as markdown has it, " * 6  # over 200 characters


def read(text: str) -> NotedDocument:
    return extract_notes(Document(path="t.txt", text=text))


def numbered(document: NotedDocument) -> list[tuple[int, str]]:
    return [(note.number, note.text) for note in document.notes]


@pytest.mark.parametrize(
    ("text", "markers"),
    [
        # digits glued to a word or to punctuation
        ("its interests in cyberspace.1 There is\nas argued,2 with\n", [1, 2]),
        ("the regime complex for cyber-\nspace,1 it is clear that Ministers2 which\n", [1, 2]),
        ("a fact that secured praise.’1\nthe ‘cyber power’.”2\n", [1, 2]),
        ("Organization (SCO),1 the Beijing\n", [1]),
        # a year followed by a marker
        ("the Beijing Convention 20101 on aircraft and 20042 and 2006.3\n", [1, 2, 3]),
        # the count decides: G8, IPv6, 3G, 1.1. and Track 2 are not markers
        ("admitted to the G8, and IPv6 and 3G networks.1\n", [1]),
        ("1.1. Introduction\n1.2. Development\nTrack 2 talks, 1:38 PM\n", []),
        ("a reference.2 alone, with no 1 before it\n", []),
        # a missing marker is skipped when the count visibly resumes
        ("one.1 two.2 four.4 five.5 six.6\n", [1, 2, 4, 5, 6]),
        ("one.1 stray.7 two.2 three.3\n", [1, 2, 3]),
        # superscripts
        ("institutions.¹ The linchpin ... partners.³ and again,² and\nabout.¹⁰ ²\n", [1, 3, 2, 10]),
        ("- China Internet Illegal Information Reporting Center (CIIRC)³;\n", [3]),
        # the style with more markers is the document's: superscripts here, not `text.1`
        ("a text.1 with¹ three² superscripts³\n", [1, 2, 3]),
        ("a text.1 and.2 with¹ superscript\n", [1, 2]),
    ],
)
def test_markers(text: str, markers: list[int]) -> None:
    assert list(read(text).markers) == markers


def test_markers_remember_their_lines() -> None:
    document = read("first line.1\n\nthird line,2 here\n")
    assert document.marker_places == (Marker(1, 1), Marker(2, 3))


# Lines as a PDF rendering gives them: trailing spaces after words, none after a URL
# that breaks at the line's end.
PDF_PAGE = "\n".join(
    [
        " China, like most states, has sought to protect its interests in cyber-",
        "space.1 The chapter addresses two goals.2",
        "",
        "1. Legal Norms in Practical Diplomacy",
        "",
        "Table rows follow:",
        "2. An international legal norm can be universal",
        "2015 China issues first ‘Military Strategy’",
        "",
        "1 The author would like to acknowledge the comments of ",
        "Jamie Collier of Oxford University.",
        "2 See Greg Austin, ‘2015 is the Year of Chinese Cyber Power,’ East Asia Forum, "
        "http://www.eastasiaforum.",
        "org/2015/07/31/2015-is-the-year/; and the author, such as the ",
        "",
        "article in The Diplomat, http://thediplomat.com/2015/01/us-",
        "china-internet-cooperation/.",
        " Nye. In this, it has often been a cooperative contributor.3",
        "",
        "3 Ibid.",
        " Body text resumes after the page's notes.",
        "",
    ]
)


def test_pdf_page_notes() -> None:
    document = read(PDF_PAGE)
    assert numbered(document) == [
        (
            1,
            "The author would like to acknowledge the comments of Jamie Collier of Oxford "
            "University.",
        ),
        (
            2,
            "See Greg Austin, ‘2015 is the Year of Chinese Cyber Power,’ East Asia Forum, "
            "http://www.eastasiaforum.org/2015/07/31/2015-is-the-year/; and the author, such as "
            "the article in The Diplomat, http://thediplomat.com/2015/01/us-china-internet-cooperation/.",
        ),
        (3, "Ibid."),
    ]
    assert [note.line for note in document.notes] == [10, 12, 19]
    assert document.notes[1].urls == (
        "http://www.eastasiaforum.org/2015/07/31/2015-is-the-year/",
        "http://thediplomat.com/2015/01/us-china-internet-cooperation/",
    )
    assert list(document.markers) == [1, 2, 3]
    assert document.problems == ()


@pytest.mark.parametrize(
    ("text", "notes"),
    [
        # a numbered body list is not a note, even when its number is the next one
        ("body.1\n\n1. Cyberspace is ubiquitous\n\n1 The real note.\n", [(1, "The real note.")]),
        ("\n1 First.\n\n2. China Security Interests\n", [(1, "First.")]),
        # a table row that starts with a year is not a note
        ("\n1 First.\n\n2015 China issues its strategy\n", [(1, "First.")]),
        # a note runs over a blank line while its sentence is unfinished ...
        ("\n1 Published by the \n\nauthor, 2015.\n", [(1, "Published by the author, 2015.")]),
        # ... but not once it has ended
        ("\n1 Ibid, 4.\n\nBody text again.\n", [(1, "Ibid, 4.")]),
        # body text indented by a space ends a note at once
        ("\n1 Note text\n continues the body\n", [(1, "Note text")]),
        # consecutive notes without blank lines
        (
            "\n1 One.\n2 Two.\n3 Three\ncontinued.\n",
            [(1, "One."), (2, "Two."), (3, "Three continued.")],
        ),
        # markdown endnotes, superscript notes, a note that is only a URL
        ("NOTES\n\n- 1 First.\n- 2 *Second*, \\$5.\n", [(1, "First."), (2, "Second, $5.")]),
        ("\n¹⁰ Zhang, 2013, http://a.cn/x.htm\n", []),
        (
            "\n¹ Zhang, 2013, http://a.cn/x.htm\n\n² <http://b.cn/>.\n",
            [(1, "Zhang, 2013, http://a.cn/x.htm"), (2, "http://b.cn/.")],
        ),
        # a bulleted number that does not continue the count is a list item
        ("\n1 First.\n\n- 12321 Harmful Information Reporting Center⁵;\n", [(1, "First.")]),
        # prose that starts with a small number is not a first note
        ("A post.\n\n3 days later, the strategy appeared.\n", []),
        # a number at the start of a continuation line that is not the next one
        (
            "\n1 Skinner, Law Review 46 (2014): \n1165-1207.\n",
            [(1, "Skinner, Law Review 46 (2014): 1165-1207.")],
        ),
    ],
)
def test_notes(text: str, notes: list[tuple[int, str]]) -> None:
    assert numbered(read(text)) == notes


def test_paragraph_layout_note_ends_at_blank_line() -> None:
    text = f"{LONG}\n\n1 Zhang, 2013, http://a.cn/x.htm\n\ncooperation. Officials attended.²\n"
    document = read(text)
    assert numbered(document) == [(1, "Zhang, 2013, http://a.cn/x.htm")]
    assert list(document.markers) == [2]


def test_chinese_title_and_full_width_stop_before_url() -> None:
    text = (
        f"{LONG}\n\n1 State Council, *White Paper*, 8 June 2010; "
        "国务院新闻办公室:《中国互联网状况》白皮书, 2010年6月8日。"
        "http://www.scio.gov.cn/zfbps/t662572.htm.\n"
    )
    (note,) = read(text).notes
    assert note.urls == ("http://www.scio.gov.cn/zfbps/t662572.htm",)
    assert note.text.startswith("State Council, White Paper, 8 June 2010; 国务院")


def test_markdown_link_note_counts_its_target_once() -> None:
    text = "NOTES\n\n- 1 EY, 2016, [www.ey.com/Pub/\\\\$FILE/ey.pdf](http://www.ey.com/Pub/$FILE/ey.pdf).\n"
    (note,) = read(text).notes
    assert note.urls == ("http://www.ey.com/Pub/$FILE/ey.pdf",)
    assert note.text == "EY, 2016, www.ey.com/Pub/$FILE/ey.pdf."


def test_body_urls() -> None:
    text = (
        f"{LONG}\n\nTo view a copy of this license, visit "
        "<http://creativecommons.org/licenses/by-nd/3.0>.\n\nAuthor Photo\n\n"
        "http://www.cfr.org/content/bios/SegalPhotoBig_1.png\ncredit: David White\n"
    )
    assert read(text).body_urls == (
        BodyUrl("http://creativecommons.org/licenses/by-nd/3.0", 3),
        BodyUrl("http://www.cfr.org/content/bios/SegalPhotoBig_1.png", 7),
    )


def test_body_url_broken_over_pdf_lines() -> None:
    text = "The text is at http://www.china.\norg.cn/white.htm and elsewhere.\n"
    assert read(text).body_urls == (BodyUrl("http://www.china.org.cn/white.htm", 1),)


@pytest.mark.parametrize(
    ("lines", "layout"),
    [
        ([], Layout.WRAPPED),
        (["short line"] * 20, Layout.WRAPPED),
        (["short line"] * 20 + [LONG], Layout.WRAPPED),
        (["short line"] * 5 + [LONG], Layout.PARAGRAPHS),
        ([LONG, "", LONG], Layout.PARAGRAPHS),
    ],
)
def test_detect_layout(lines: list[str], layout: Layout) -> None:
    assert detect_layout(lines) is layout


def kinds(text: str) -> list[tuple[str, int | None, int | None]]:
    return [(p.kind, p.note, p.line) for p in read(text).problems]


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        # markers but no notes at all: one plain problem, not one per marker
        (
            "".join(f"sentence {n}.{n} " for n in range(1, 86)) + "\n",
            [(MARKERS_WITHOUT_NOTES, None, None)],
        ),
        ("\n1 A note.\n2 Another.\n", [(NOTES_WITHOUT_MARKERS, None, None)]),
        ("one.1 two.2\n\n1 Note one.\n", [(MARKER_WITHOUT_NOTE, 2, 1)]),
        ("one.1\n\n1 Note one.\n2 Note two.\n", [(NOTE_WITHOUT_MARKER, 2, 4)]),
        ("one.1 three.3 four.4\n\n1 One.\n\n3 Three.\n\n4 Four.\n", [(NUMBERING_GAP, 3, 5)]),
        (
            "one.¹ two.²\n\n- 1 One.\n- 2 Two.\n- 2 Two again.\n",
            [(DUPLICATE_NOTE, 2, 5)],
        ),
        ("one.1\n\n1 \ufffd\ufffd\n", [(UNREADABLE_NOTE, 1, 3)]),
        # a text with neither markers nor notes has no problems
        ("A blog post naming its sources in prose, 2017, 1:38 PM. Track 2.\n", []),
        ("", []),
    ],
)
def test_problems(text: str, problems: list[tuple[str, int | None, int | None]]) -> None:
    assert kinds(text) == problems


def test_markers_without_notes_message_is_plain() -> None:
    text = "".join(f"sentence {n}.{n} " for n in range(1, 86)) + "\n"
    (problem,) = read(text).problems
    assert problem.message == "85 in-text note markers (1–85) but no numbered notes in the text"
