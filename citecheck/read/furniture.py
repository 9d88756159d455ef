"""Page furniture in a paged text rendering: page numbers and running heads.

A PDF converted to text (`pdftotext`, pdfminer) keeps one form feed per page break and
repeats, on every page, a page number and often a running head or foot. Those lines are
not part of the body or of a note that runs over the page break, so the note finder skips
them. The evidence is the whole document, never one line:

- a page number is a number alone among the first or last lines of a page whose
  difference to the page's position is the same on most pages that carry one;
- a running head or foot is a line among the first or last lines of a page that comes
  back, with its digits ignored, on at least three pages and a third of them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

EDGE_LINES = 3  # how far from the top or bottom of a page furniture may stand
_PAGE_NUMBER = re.compile(r"(?:page\s+)?([0-9]{1,4})(?:\s+of\s+[0-9]{1,4})?", re.I)
_ROMAN = re.compile(r"[ivxlc]{1,6}")
_DIGITS = re.compile(r"[0-9]+")
_SPACES = re.compile(r"\s+")
MIN_REPEATS = 3
MAX_HEAD = 60  # a running head is a short line; a repeated sentence is text


@dataclass(frozen=True)
class PagedLines:
    """The lines of a text with form feeds removed, and the page (1-based) of each line."""

    lines: tuple[str, ...]
    pages: tuple[int, ...]
    numbers: tuple[int, ...] = ()  # each line's number in the file (columns reorder lines)

    def number(self, index: int) -> int:
        """The line number in the file of the line at `index`."""
        return self.numbers[index] if self.numbers else index + 1

    @property
    def page_count(self) -> int:
        return self.pages[-1] if self.pages else 0


def split_pages(text: str) -> PagedLines:
    """Lines without form feeds, each with the page it stands on (a form feed starts one).

    One entry per line of the text, so that an index plus one is the line number.
    """
    lines: list[str] = []
    pages: list[int] = []
    page = 1
    for raw in text.split("\n"):
        page += raw.count("\f")
        lines.append(raw.replace("\f", ""))
        pages.append(page)
    return PagedLines(tuple(lines), tuple(pages))


GUTTER = 2  # columns of spaces that separate two text columns
MIN_COLUMN_LINES = 0.4  # share of a page's lines that must reach past the gutter


def split_columns(paged: PagedLines) -> PagedLines:
    """Pages laid out in two columns side by side (`pdftotext -layout`) read as the left
    column and then the right one; every line keeps its number in the file."""
    lines: list[str] = []
    pages: list[int] = []
    numbers: list[int] = []
    index = 0
    total = len(paged.lines)
    while index < total:
        page = paged.pages[index]
        end = index
        while end < total and paged.pages[end] == page:
            end += 1
        block = list(range(index, end))
        gutters = _line_gutters(paged.lines, block)
        if not any(gutters):
            order = [(i, paged.lines[i]) for i in block]
        else:
            left: list[tuple[int, str]] = []
            right: list[tuple[int, str]] = []
            for i, gutter in zip(block, gutters, strict=True):
                line = paged.lines[i]
                if gutter is None:
                    left.append((i, line))
                    continue
                left.append((i, line[:gutter].rstrip()))
                if line[gutter:].strip():
                    right.append((i, line[gutter:].rstrip()))
            order = [*left, (block[-1], ""), *right]
        for i, text in order:
            lines.append(text)
            pages.append(page)
            numbers.append(paged.number(i))
        index = end
    return PagedLines(tuple(lines), tuple(pages), tuple(numbers))


def _line_gutters(lines: Sequence[str], block: Sequence[int]) -> list[int | None]:
    """Where each line of a page splits into two columns, or None (one column, or a line
    across both): the gutter of its paragraph block (lines between blank lines) when the
    block has one, else the page's, when the line leaves the page's gutter blank."""
    page_gutter = _gutter([lines[i] for i in block])
    result: list[int | None] = []
    run: list[int] = []

    def close() -> None:
        gutter = _gutter([lines[i] for i in run], MIN_BLOCK_LINES) if run else None
        for i in run:
            chosen = gutter if gutter is not None else page_gutter
            line = lines[i]
            if chosen is not None and line[max(0, chosen - GUTTER) : chosen].strip():
                chosen = None  # the line runs across the gutter: a title, a wide table
            result.append(chosen)
        run.clear()

    for i in block:
        if lines[i].strip():
            run.append(i)
        else:
            close()
            result.append(None)
    close()
    return result


MIN_BLOCK_LINES = 5
MAX_PAGE_WIDTH = 400


def _gutter(lines: Sequence[str], min_lines: int = 10) -> int | None:
    """The column where a page's two text columns part: in the middle half of the width,
    blank on most lines that reach past it (a title may span both), with many lines
    reaching past it and a third of them starting right after it."""
    filled = [line.rstrip() for line in lines if line.strip()]
    if len(filled) < min_lines:
        return None
    width = max(len(line) for line in filled)
    if width > MAX_PAGE_WIDTH:
        return None  # not a page laid out by a converter; keeps the scan bounded
    best: tuple[int, int] | None = None
    for column in range(width // 4, 3 * width // 4):
        reaching = [line for line in filled if len(line) > column + GUTTER]
        if len(reaching) < MIN_COLUMN_LINES * len(filled):
            continue
        crossing = sum(1 for line in reaching if line[column : column + GUTTER].strip())
        starting_right = sum(
            1
            for line in reaching
            if not line[column : column + GUTTER].strip() and line[column + GUTTER] != " "
        )
        found = crossing * 10 <= len(reaching) * 3 and starting_right >= len(reaching) // 3
        if found and (best is None or starting_right > best[1]):
            best = (column + GUTTER, starting_right)
    return best[0] if best else None


def _edges(paged: PagedLines) -> dict[int, list[int]]:
    """For each page, the indexes of its first and last EDGE_LINES non-blank lines."""
    by_page: dict[int, list[int]] = {}
    for index, (line, page) in enumerate(zip(paged.lines, paged.pages, strict=True)):
        if line.strip():
            by_page.setdefault(page, []).append(index)
    edges: dict[int, list[int]] = {}
    for page, indexes in by_page.items():
        chosen = indexes[:EDGE_LINES] + indexes[-EDGE_LINES:]
        edges[page] = sorted(set(chosen))
    return edges


def find_furniture(paged: PagedLines) -> frozenset[int]:
    """Indexes of the lines that are page numbers or running heads and feet."""
    if paged.page_count < 2:
        return frozenset()
    edges = _edges(paged)
    furniture: set[int] = set()
    offsets: Counter[int] = Counter()
    numbered: list[tuple[int, int]] = []
    for page, indexes in edges.items():
        # a page number is the first or the last line of its page: a note number is not
        for index in {indexes[0], indexes[-1]}:
            text = paged.lines[index].strip()
            match = _PAGE_NUMBER.fullmatch(text)
            if match is not None:
                offset = int(match.group(1)) - page
                offsets[offset] += 1
                numbered.append((index, offset))
            elif _ROMAN.fullmatch(text):
                furniture.add(index)
    if offsets:
        pages_with_numbers = len({paged.pages[index] for index, _ in numbered})
        # Page numbers drift when a converter or the front matter skips some: allow the
        # two most common offsets if each is seen on several pages.
        ranked = offsets.most_common(3)
        common = {ranked[0][0]} | {offset for offset, count in ranked[1:] if count >= 3}
        if ranked[0][1] < 2 and pages_with_numbers > 2:
            common = set()
        furniture.update(index for index, offset in numbered if offset in common)
    furniture.update(_running_lines(paged, edges))
    return frozenset(furniture)


def _shape(line: str) -> str:
    return _SPACES.sub(" ", _DIGITS.sub("#", line.strip().lower()))


def _running_lines(paged: PagedLines, edges: dict[int, list[int]]) -> set[int]:
    """Edge lines whose shape (digits ignored) comes back on many pages."""
    seen: dict[str, set[int]] = {}
    for page, indexes in edges.items():
        for index in indexes:
            shape = _shape(paged.lines[index])
            if 1 < len(shape) <= MAX_HEAD and shape.strip("# "):
                seen.setdefault(shape, set()).add(page)
    threshold = max(MIN_REPEATS, paged.page_count // 3)
    repeated = {shape for shape, pages in seen.items() if len(pages) >= threshold}
    return {
        index
        for indexes in edges.values()
        for index in indexes
        if _shape(paged.lines[index]) in repeated
    }
