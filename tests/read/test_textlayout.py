"""The paged-text note finder, furniture, reference lists and the generated corpus."""

from __future__ import annotations

import pytest

from citecheck.read.furniture import find_furniture, split_pages
from citecheck.read.model import REFERENCE, Document
from citecheck.read.notes import extract_notes
from citecheck.read.urltext import find_urls_with_bare_hosts, rejoin_spaced_hyphens, unwrap_lines

BODY = "Body text of the chapter goes on here with a claim.{n} More words follow it here."


def chapter_page(numbers: list[int], head: str = "A RUNNING HEAD", page: int = 1) -> str:
    body = "\n".join(BODY.format(n=n) for n in numbers)
    titles = ["Alpha", "Beta", "Gamma", "Delta"]
    notes = "\n".join(
        f"{n}\nAuthor, {titles[page % 4]} {titles[n % 4]} (Press, 2010), {n}." for n in numbers
    )
    return f"{head}\n{body}\n{notes}\n{page}\n"


def test_form_feeds_give_pages_and_page_numbers_and_running_heads_are_furniture() -> None:
    text = "\f".join(chapter_page([n], page=n) for n in range(1, 5))
    paged = split_pages(text)
    assert paged.page_count == 4
    furniture = find_furniture(paged)
    assert sorted(paged.lines[i] for i in furniture) == sorted(
        ["A RUNNING HEAD"] * 4 + ["1", "2", "3", "4"]
    )


def test_number_alone_on_its_line_starts_a_note_and_numbering_restarts_per_chapter() -> None:
    pages = [chapter_page([1, 2], page=1), chapter_page([3], page=2),
             chapter_page([1, 2], page=3)]  # fmt: skip
    document = extract_notes(Document("book.txt", "\f".join(pages)))
    assert [(n.section, n.label, n.number) for n in document.notes] == [
        (1, "1", 1), (1, "2", 2), (1, "3", 3), (2, "1", 4), (2, "2", 5),
    ]  # fmt: skip
    assert document.notes[3].text == "Author, Delta Beta (Press, 2010), 1."
    assert document.notes[3].page == 3
    assert document.problems == ()


def test_headings_table_rows_and_lists_without_markers_are_not_notes() -> None:
    page = (
        "1\n\nIntroduction\n\nSome body text without any marker at all here.\n"
        "1. A numbered list item\n2. Another item\n1 Alpha 2001\n2 Beta 2002\n"
        "Now a claim.1\n1\nThe only note, (Press, 2010).\n"
    )
    document = extract_notes(Document("a.txt", page + "\f" + page.replace("claim.1", "x")))
    assert [n.text for n in document.notes] == ["The only note, (Press, 2010)."]


def test_a_note_open_at_the_page_end_takes_its_wide_continuation_on_the_next_page() -> None:
    body = "A body line of ordinary width, set in the normal size of type here."
    wide = "a continuation line that is set in small type and so runs a good deal wider than body"
    first = f"{body}\n" * 8 + f"{body} claim.1\n1\nFirst part of the note that goes on\n1\n"
    second = f"{body}\n" * 8 + f"{body} more.2\n{wide}\nends here.\n2\nSecond note.\n2\n"
    document = extract_notes(Document("a.txt", first + "\f" + second))
    assert [n.text for n in document.notes] == [
        f"First part of the note that goes on {wide} ends here.",
        "Second note.",
    ]


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["see https:", "//example.org/a.pdf."], "see https://example.org/a.pdf."),
        (["see htt", "ps://example.org/a"], "see https://example.org/a"),
        (["at http://example.org/report.pdf", "Nathanson, Title"],
         "at http://example.org/report.pdf Nathanson, Title"),
        (["at http://example.org/page.aspx", "CHAPTER TWO"],
         "at http://example.org/page.aspx CHAPTER TWO"),
        (["at http://example.org/a.pdf.", "Industry grew."],
         "at http://example.org/a.pdf. Industry grew."),
        (["at https://docs.example-insti", "tute.net/x?id=5."], "at https://docs.example-institute.net/x?id=5."),
        (["https://github.com/a/b/0023-use-maven.md", "Option+ Pros"],
         "https://github.com/a/b/0023-use-maven.md Option+ Pros"),
        (["https://example.org/a.pdf", "Documents/b.pdf"], "https://example.org/a.pdfDocuments/b.pdf"),
    ],
)  # fmt: skip
def test_urls_broken_at_line_ends(lines: list[str], joined: str) -> None:
    assert unwrap_lines(lines, True) == joined


REFERENCES = """An essay that cites (Smith 2010, 12) and Jones (2004) and (Brown 1999).

References

Jones, A. 2004. A Book of Things. Example Press. https://example.org/jo
nes.pdf
Smith, J. 2010. Another Work. Example Press.
Walker, P. 2001. Never Cited. Example Press.
"""


def test_a_reference_list_is_read_as_entries_and_citations_are_linked() -> None:
    document = extract_notes(Document("essay.txt", REFERENCES))
    entries = [n for n in document.notes if n.kind == REFERENCE]
    assert [(n.number, n.line, n.urls) for n in entries] == [
        (1, 5, ("https://example.org/jones.pdf",)),
        (2, 7, ()),
        (3, 8, ()),
    ]
    assert sorted(document.markers) == [1, 2]
    assert [(p.kind, p.line) for p in document.problems] == [
        ("citation-without-entry", 1),
        ("entry-never-cited", 8),
    ]


def test_a_numbered_reference_list_links_bracket_citations() -> None:
    text = "A claim [1] and another [2, 3].\n\nBibliography\n[1] A. One. 2001.\n[2] B. Two. 2002.\n"
    document = extract_notes(Document("n.txt", text))
    assert [n.label for n in document.notes] == ["[1]", "[2]"]
    assert [p.kind for p in document.problems] == ["citation-without-entry"]


@pytest.mark.parametrize(
    "mark",
    ["{n}\n", "{n} ", "{n}. ", "[{n}] ", "{n}", "{sup} ", "   {n}\n     "],
    ids=["alone", "spaced", "dotted", "bracket", "glued", "superscript", "layout"],
)
def test_every_common_rendering_of_a_note_start(mark: str) -> None:
    superscripts = "⁰¹²³⁴⁵⁶⁷⁸⁹"
    body = "A body line with a claim in it, set in the type of the body here.{n}\n"
    pages = []
    for first in (1, 3):
        numbers = [first, first + 1]
        lines = [body.format(n=n) for n in numbers] + [
            mark.format(n=n, sup=superscripts[n]) + f"Author {n}, Title (Press, 2010).\n"
            for n in numbers
        ]
        pages.append("".join(lines))
    document = extract_notes(Document("a.txt", "\f".join(pages)))
    assert [(n.number, n.text) for n in document.notes] == [
        (n, f"Author {n}, Title (Press, 2010).") for n in (1, 2, 3, 4)
    ]
    assert document.markers == (1, 2, 3, 4)
    assert document.problems == ()


def test_gaps_and_duplicates_are_reported_per_section() -> None:
    body = "Some body text with a claim.{n}\n"
    chapter_one = "".join(body.format(n=n) for n in (1, 2, 3)) + "1\nNote one.\n3\nNote three.\n"
    chapter_two = body.format(n=1) + body.format(n=2) + "1\nNote one again.\n2\nNote two.\n"
    document = extract_notes(Document("b.txt", chapter_one + "\f" + chapter_two))
    assert [(n.section, n.label) for n in document.notes] == [
        (1, "1"), (1, "3"), (2, "1"), (2, "2"),
    ]  # fmt: skip
    assert [(p.kind, p.message) for p in document.problems] == [
        ("numbering-gap", "notes jump to 1.3: no note 2"),
        ("marker-without-note", "marker 1.2 has no note"),
    ]


@pytest.mark.parametrize(
    ("text", "repaired"),
    [
        ("at https://journals.university- press.com/a- b.pdf. Next",
         "at https://journals.university-press.com/a-b.pdf. Next"),
        ("see https://x.org/water- network- vote.pdf.", "see https://x.org/water-network-vote.pdf."),
        ("see https://journals.university- pre ss.com/navy.pdf",
         "see https://journals.university-press.com/navy.pdf"),
        ("a well- known point, https://x.org/a", "a well- known point, https://x.org/a"),
        ("https://x.org/a- and then", "https://x.org/a- and then"),
    ],
)  # fmt: skip
def test_spaces_after_hyphens_inside_urls(text: str, repaired: str) -> None:
    assert rejoin_spaced_hyphens(text) == repaired


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ("See example.org/report.pdf.", ["http://example.org/report.pdf"]),
        ("At docs.un.org/en/A/54/213 and https://x.org/a.", ["http://docs.un.org/en/A/54/213", "https://x.org/a"]),
        ("See www.example.org/a, mail me@host.org/x", ["http://www.example.org/a"]),
        ("A ratio of 3.5/4 and i.e. nothing", []),
    ],
)  # fmt: skip
def test_scheme_less_host_and_path_addresses(text: str, urls: list[str]) -> None:
    assert [found.url for found in find_urls_with_bare_hosts(text)] == urls
