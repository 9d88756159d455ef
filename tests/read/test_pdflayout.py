"""The page geometry rules on made-up characters: each test is a small page and what it means."""

from __future__ import annotations

import pytest

from citecheck.read import pdflayout
from citecheck.read.pdflayout import Char, Line


def word(text: str, x: float, baseline: float, size: float = 10.0, gap: float = 0.0) -> list[Char]:
    """Characters of `text` set from x on a baseline, each half an em wide."""
    chars: list[Char] = []
    for char in text:
        width = size * 0.5
        if char != " ":
            bottom, top = baseline - size * 0.2, baseline + size * 0.8
            chars.append(Char(char, x, x + width, bottom, top, baseline, size))
        x += width + gap
    return chars


def line(text: str, page: int = 1, column: int = 0, size: float = 10.0, top: float = 0) -> Line:
    return Line(page, column, text, size, 0, 100, top, top - size)


@pytest.mark.parametrize(
    ("sizes", "body"),
    [
        ([10.0] * 50 + [8.0] * 30 + [14.0] * 5, 10.0),  # the most common size
        ([10.0] * 40 + [8.0] * 100 + [14.0] * 5, 10.0),  # notes outweigh the text
        ([10.0] * 100 + [12.0] * 20, 10.0),  # headings are a small share
        ([], 10.0),
    ],
)
def test_body_size(sizes: list[float], body: float) -> None:
    assert pdflayout.body_size(sizes) == body


def test_a_raised_smaller_digit_joins_its_line_as_a_marker() -> None:
    chars = word("text", 50, 500) + word("3", 70, 504, size=6) + word("more", 73.5, 500)
    (only,) = pdflayout.page_lines(chars, 1, 600)
    assert only.text == "text3more"
    assert only.raised == ((4, "3"),)


def test_a_slightly_raised_slightly_smaller_digit_is_a_marker() -> None:
    """grobid-footnotes-test.pdf sets `Wikipedia1` with a 9 pt digit raised 1 pt on 10 pt."""
    chars = word("pedia", 50, 500) + word("1", 75, 501, size=9)
    (only,) = pdflayout.page_lines(chars, 1, 600)
    assert only.raised == ((5, "1"),)


def test_a_digit_on_the_baseline_is_no_marker() -> None:
    chars = word("IPv6", 50, 500)
    (only,) = pdflayout.page_lines(chars, 1, 600)
    assert only.raised == ()


def test_tight_spacing_still_separates_words() -> None:
    """No space character, words set 2 pt apart: a gap wider than WORD_GAP em is a space."""
    chars = word("one", 50, 500) + word("two", 50 + 15 + 2, 500)
    (only,) = pdflayout.page_lines(chars, 1, 600)
    assert only.text == "one two"


def test_columns_are_read_one_after_the_other() -> None:
    chars: list[Char] = []
    texts = []
    for row in range(40):
        baseline = 700 - row * 12
        # words of varying length, so that only the gutter is empty on every row
        left = "a" * (row % 7 + 2) + " bb " + "c" * (row % 5 + 1) + f" L{row}"
        right = "d" * (row % 6 + 1) + " ee " + "f" * (row % 4 + 3) + f" R{row}"
        chars += word(left, 50, baseline)
        chars += word(right, 320, baseline + 3)  # baselines of the columns do not line up
        texts.append((left, right))
    lines = pdflayout.page_lines(chars, 1, 600)
    assert [ln.text for ln in lines] == [t[0] for t in texts] + [t[1] for t in texts]
    assert [ln.column for ln in lines] == [0] * 40 + [1] * 40


def test_page_numbers_and_running_heads_are_dropped() -> None:
    pages = [
        [
            line(f"Journal of Things {n}", page=n, top=780),
            line("Body.", page=n, top=700),
            line(str(n + 40), page=n, top=40),
        ]
        for n in range(1, 4)
    ]
    kept = pdflayout.drop_furniture(pages)
    assert [[ln.text for ln in page] for page in kept] == [["Body."]] * 3


def test_note_block_is_the_trailing_run_of_smaller_lines() -> None:
    page = [
        line("Small caption", size=8, top=700),
        line("Body text.", top=600),
        line("1 A note.", size=8, top=100),
        line("2 Another.", size=8, top=90),
    ]
    (block,) = pdflayout.note_blocks([page], 10.0)
    assert [ln.text for ln in block] == ["1 A note.", "2 Another."]


def test_a_reference_list_after_its_heading_is_no_note_block() -> None:
    page = [
        line("References", top=300),
        line("1. Knuth, D.: The TeXbook.", size=8, top=280),
    ]
    assert pdflayout.note_blocks([page], 10.0) == []


def _numbered(blocks: list[list[Line]]) -> list[tuple[str, int | None]]:
    lines = [ln for block in blocks for ln in block]
    return [(n.line.text, n.starts) for n in pdflayout.number_notes(lines, blocks)]


def test_notes_start_at_the_next_number_and_run_on_across_pages() -> None:
    blocks = [
        [line("1 First note", size=8), line("2 Second note, begun", size=8)],
        [line("and continued on page 2.", page=2, size=8), line("3 Third", page=2, size=8)],
    ]
    assert _numbered(blocks) == [
        ("1 First note", 1),
        ("2 Second note, begun", 2),
        ("and continued on page 2.", None),
        ("3 Third", 3),
    ]


def test_a_line_starting_with_a_number_out_of_count_continues_the_note() -> None:
    blocks = [[line("1 The rule of", size=8), line("1998 was kept.", size=8)]]
    assert _numbered(blocks) == [("1 The rule of", 1), ("1998 was kept.", None)]


def test_small_type_that_neither_opens_a_note_nor_runs_on_is_skipped() -> None:
    blocks = [
        [line("1 A note.", size=8)],
        # two pages later, a table in small type: not a continuation of note 1
        [line("Cost per product", page=3, size=8)],
        # a numbered list that restarts the count
        [line("1. Step one", page=4, size=8)],
    ]
    assert _numbered(blocks) == [("1 A note.", 1)]


def test_a_slug_cut_differently_by_the_columns_is_dropped_as_a_row() -> None:
    """The Federal Register's slug `E:\\FR\\FM\\06AUP1.SGM` falls apart at different places."""
    cuts = [
        ("E:\\FR\\FM\\06A", "UP1.SGM"),
        ("E:\\FR\\FM\\06AU", "P1.SGM"),
        ("E:\\FR", "\\FM\\06AUP1.SGM"),
    ]
    pages = [
        [
            line(f"Body text {'ABC'[n - 1]}.", page=n, top=700),
            Line(n, 1, left, 6.5, 300, 340, 25, 18),
            Line(n, 2, right, 6.5, 341, 380, 25, 18),
        ]
        for n, (left, right) in enumerate(cuts, 1)
    ]
    kept = pdflayout.drop_furniture(pages)
    assert [[ln.text for ln in page] for page in kept] == [
        ["Body text A."],
        ["Body text B."],
        ["Body text C."],
    ]


def test_a_huge_page_width_costs_no_memory() -> None:
    """A hostile MediaBox 10^12 pt wide: the gutter search is bounded by the largest real page."""
    chars: list[Char] = []
    for row in range(30):
        chars += word("a" * (row % 7 + 2) + " bb " + "c" * (row % 5 + 1), 50, 700 - row * 12)
    lines = pdflayout.page_lines(chars, 1, 1e12)
    assert len(lines) == 30
