"""The geometry of PDF pages: characters into lines, lines into columns, notes from type size.

Pure functions over plain values (no PDF library here), so every rule is testable with
made-up characters. The rules, in order:

- Rotated characters (watermarks, margin stamps) were dropped by the extractor.
- The body size is the most common character size of the whole document.
- A page's characters form rows: a character joins a row when its vertical middle lies
  inside the row's span, so a raised, smaller digit stays in the line it marks.
- A row splits into pieces at gaps wider than `COLUMN_GAP` ems; the pieces of a page fall
  into columns separated by gutters, x ranges that (almost) no piece crosses.
- Words are separated where the gap between two characters exceeds `WORD_GAP` of the
  type size, so that words set with tight spacing and no space character come apart.
- Page furniture goes: a top or bottom line that is only a number (a page number), or
  that repeats, digits aside, at the top or bottom of other pages (a running head).
- A column's note block is the trailing run of lines set smaller than the body size.
- A note starts at a line that begins with the number that continues the count (raised
  or not); the lines of a block before its first start continue the previous note, which
  is how a note runs on across columns and pages.
- Raised, smaller digits inside body lines are markers.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

WORD_GAP = 0.12  # of the type size: a wider gap between characters is a space
COLUMN_GAP = 0.8  # ems: a wider gap inside a row separates two columns
BODY_SHARE = 0.3  # a larger size with this share of the commonest size's characters is the body
SMALLER = 0.92  # a line is set smaller than the body when its size is below this share
RAISED = 0.18  # of the line's size: a baseline this much higher is a superscript
SUPERSCRIPT = 0.85  # and a superscript is set at most this share of the line's size
SLIGHTLY_RAISED = 0.05  # a digit set a little smaller (`SMALLER`) needs only this rise
GUTTER_SHARE = 0.1  # a gutter is covered by at most this share of the median covered x
MAX_PAGE_WIDTH = 14_400  # points: the largest page PDF allows (200 inches)
MAX_NOTE_NUMBER_JUMP = 3  # a note may skip this many numbers (a missing note)
_LONE_NUMBER = re.compile(r"[-–—\s]*(?:page\s*)?[0-9ivxlc]{1,4}[-–—\s]*", re.IGNORECASE)
_DIGITS = re.compile(r"[0-9]+")
_REFERENCES_HEADING = re.compile(
    r"(?:[0-9.]+\s*)?(?:references|bibliography|works cited|literature|sources)", re.IGNORECASE
)
_NOTE_NUMBER = re.compile(r"([0-9]{1,4})(?:[.)]?\s+|(?=[A-Za-z(“\"'‘]))")


class Char(NamedTuple):
    """One character as placed on a page; y grows upwards (PDF user space).

    A named tuple rather than a frozen dataclass: a page has thousands, and a tuple is made
    several times faster.

    `size` and `baseline` are rounded to 0.1 pt by the extractor, so that equal sizes and
    baselines compare equal.
    """

    text: str
    x0: float
    x1: float
    bottom: float
    top: float
    baseline: float
    size: float


@dataclass(frozen=True)
class Line:
    """One line of one column: its text, the size most of it is set in, and its raised digits.

    `raised` holds (offset in `text`, digits) for each run of superscript digits; `starts_raised`
    tells whether the line begins with one (a note's own number in many layouts).
    """

    page: int
    column: int
    text: str
    size: float
    x0: float
    x1: float
    top: float
    bottom: float
    raised: tuple[tuple[int, str], ...] = ()
    starts_raised: bool = False


@dataclass(frozen=True)
class NoteLine:
    """A line of a note block, with the note number it starts (None: it continues)."""

    line: Line
    index: int  # position of the line in the document's reading order
    starts: int | None


def body_size(sizes: Iterable[float]) -> float:
    """The most common type size (rounded to 0.1 pt); 10 when the document has no text.

    Where the notes outweigh the text (a law review, a short page with long notes), the most
    common size is the notes': a clearly larger size with at least `BODY_SHARE` of the
    characters of the most common one is then the body.
    """
    counts = Counter(round(size, 1) for size in sizes)
    if not counts:
        return 10.0
    common, most = counts.most_common(1)[0]
    larger = [
        (count, size)
        for size, count in counts.items()
        if size * SMALLER > common and count >= most * BODY_SHARE
    ]
    return max(larger)[1] if larger else common


def page_lines(chars: Sequence[Char], page: int, page_width: float) -> list[Line]:
    """The lines of one page in reading order: column by column, top to bottom."""
    gutters = _gutters(chars, page_width)
    columns: list[list[Char]] = [[] for _ in range(len(gutters) + 1)]
    for char in chars:
        middle = (char.x0 + char.x1) / 2
        columns[sum(1 for gutter in gutters if middle >= gutter)].append(char)
    lines: list[Line] = []
    for column, members in enumerate(columns):
        rows = sorted(_rows(members), key=_row_baseline, reverse=True)
        for row in rows:
            lines.extend(_line(piece, page, column) for piece in _split_row(row))
    return lines


def _row_baseline(row: Sequence[Char]) -> float:
    """The baseline most of a row stands on (its raised digits aside), to order rows."""
    return Counter(c.baseline for c in row).most_common(1)[0][0]


def _rows(chars: Sequence[Char]) -> list[list[Char]]:
    """Characters grouped into rows: each joins the first row, among those begun by larger
    or equal characters, whose span (from its baseline: a quarter em down, three up) holds
    the character's middle, computed the same way. Font boxes are not used: some fonts
    declare boxes taller than the line spacing."""
    ordered = sorted(chars, key=lambda c: (-c.size, -c.baseline, c.x0))
    spans: list[tuple[float, float]] = []
    members: list[list[Char]] = []
    by_height: dict[int, list[int]] = {}
    for char in ordered:
        middle = char.baseline + char.size * 0.25
        found = next(
            (
                index
                for index in by_height.get(int(middle), [])
                if spans[index][0] <= middle <= spans[index][1]
            ),
            None,
        )
        if found is None:
            found = len(spans)
            bottom, top = char.baseline - char.size * 0.25, char.baseline + char.size * 0.75
            spans.append((bottom, top))
            members.append([])
            for key in range(int(bottom), int(top) + 1):
                by_height.setdefault(key, []).append(found)
        members[found].append(char)
    return [sorted(row, key=lambda c: c.x0) for row in members]


def _split_row(row: Sequence[Char]) -> list[list[Char]]:
    """A row cut where the gap between neighbours is wider than a column gap."""
    pieces: list[list[Char]] = [[row[0]]]
    for previous, char in itertools.pairwise(row):
        gap = char.x0 - previous.x1
        if gap > COLUMN_GAP * max(previous.size, char.size):
            pieces.append([char])
        else:
            pieces[-1].append(char)
    return [piece for piece in pieces if any(not c.text.isspace() for c in piece)]


def _gutters(chars: Sequence[Char], page_width: float) -> list[float]:
    """The x positions where columns begin: the middle of each vertical strip, at least half
    an em wide, that (almost) no character covers, with plenty of text on both sides."""
    visible = [c for c in chars if not c.text.isspace()]
    if len(visible) < 200:
        return []
    width = max(1, min(int(page_width), MAX_PAGE_WIDTH) + 2)  # a hostile MediaBox is huge
    cover = [0] * (width + 1)
    for char in visible:
        start = int(char.x0)
        end = int(char.x1)
        if start < 0 or end > width or end <= start:  # off the page, or narrower than 1 pt
            start = min(width, max(0, start))
            end = min(width, max(start + 1, end))
        cover[start] += 1
        cover[end] -= 1
    counts: list[int] = []
    running = 0
    for value in cover[:width]:
        running += value
        counts.append(running)
    left = max(0, int(min(c.x0 for c in visible)))
    right = min(width - 1, int(max(c.x1 for c in visible)))
    busy = sorted(count for count in counts[left : right + 1] if count)
    limit = max(2, int(busy[len(busy) // 2] * GUTTER_SHARE))
    em = Counter(c.size for c in visible).most_common(1)[0][0]
    gutters: list[float] = []
    run_start: int | None = None
    for x in range(left, right + 1):
        low = counts[x] <= limit
        if low and run_start is None:
            run_start = x
        elif not low and run_start is not None:
            if x - run_start >= max(3, em * 0.5) and _both_sides(visible, run_start, x):
                gutters.append((run_start + x) / 2)
            run_start = None
    return gutters


def _both_sides(chars: Sequence[Char], start: int, end: int) -> bool:
    """A gutter has a fair share of the text on each side (not a gap in a figure or a table)."""
    before = sum(1 for c in chars if c.x1 <= start + 1)
    after = sum(1 for c in chars if c.x0 >= end - 1)
    return min(before, after) >= len(chars) * 0.15


def _line(chars: Sequence[Char], page: int, column: int) -> Line:
    """The text of one line piece: spaces at wide gaps, raised smaller digits remembered."""
    visible = [c for c in chars if not c.text.isspace()]
    size = Counter(c.size for c in visible).most_common(1)[0][0] if visible else chars[0].size
    base = Counter(c.baseline for c in visible if c.size == size).most_common(1)[0][0]
    text: list[str] = []
    raised: list[tuple[int, str]] = []
    previous: Char | None = None
    for char in chars:
        if char.text.isspace():
            if text and text[-1] != " ":
                text.append(" ")
            previous = char
            continue
        if previous is not None and text and text[-1] != " ":
            gap = char.x0 - previous.x1
            if gap > WORD_GAP * min(char.size, previous.size):
                text.append(" ")
        rise = char.baseline - base
        up = char.text.isdigit() and (
            (char.size <= size * SUPERSCRIPT and rise > size * RAISED)
            or (char.size <= size * SMALLER and rise > size * SLIGHTLY_RAISED)
        )
        if up:
            joined = "".join(text)
            if raised and raised[-1][0] + len(raised[-1][1]) == len(joined):
                raised[-1] = (raised[-1][0], raised[-1][1] + char.text)
            else:
                raised.append((len(joined), char.text))
        text.append(char.text)
        previous = char
    joined = "".join(text).rstrip()
    starts_raised = bool(raised) and raised[0][0] == 0
    return Line(
        page=page,
        column=column,
        text=joined,
        size=size,
        x0=chars[0].x0,
        x1=chars[-1].x1,
        top=max(c.top for c in chars),
        bottom=min(c.bottom for c in chars),
        raised=tuple(raised),
        starts_raised=starts_raised,
    )


def drop_furniture(pages: Sequence[list[Line]]) -> list[list[Line]]:
    """Pages without page numbers, running heads and feet, and printers' slugs.

    The top row and the bottom row of a page (all lines at that height, whatever their
    column) are tested piece by piece and as a whole: a piece goes when it is a lone number
    or when the same text, digits aside, stands in the top or bottom row of at least three
    pages; a row goes whole when its joined text does.
    """
    seen: Counter[str] = Counter()
    for lines in pages:
        for row in _edge_rows(lines):
            seen.update({_shape(line.text) for line in row} | {_row_shape(row)})
    repeats = len(pages) >= 3
    kept: list[list[Line]] = []
    for lines in pages:
        dropped: set[int] = set()
        for row in _edge_rows(lines):
            whole = repeats and seen[_row_shape(row)] >= 3
            for line in row:
                if (
                    whole
                    or _LONE_NUMBER.fullmatch(line.text)
                    or (repeats and seen[_shape(line.text)] >= 3)
                ):
                    dropped.add(id(line))
        kept.append([line for line in lines if id(line) not in dropped])
    return kept


def _shape(text: str) -> str:
    return _DIGITS.sub("#", text.strip())


def _row_shape(row: Sequence[Line]) -> str:
    """A row's text, digits aside and without spaces (columns may cut a slug differently)."""
    text = "".join(line.text for line in sorted(row, key=lambda line: line.x0))
    return "".join(_shape(text).split())


def _edge_rows(lines: Sequence[Line]) -> list[list[Line]]:
    """The lines of a page's top row and of its bottom row, whatever their column."""
    if not lines:
        return []
    highest = max(line.top for line in lines)
    lowest = min(line.top for line in lines)
    top = [line for line in lines if line.top >= highest - 1]
    bottom = [line for line in lines if line.top <= lowest + 1 and line.top < highest - 1]
    return [row for row in (top, bottom) if row]


def note_blocks(pages: Sequence[Sequence[Line]], size: float) -> list[list[Line]]:
    """Each column's trailing run of lines set smaller than the body, in reading order.

    A run that follows a `References`/`Bibliography` heading is a reference list, not notes.
    """
    blocks: list[list[Line]] = []
    for lines in pages:
        columns: dict[int, list[Line]] = {}
        for line in lines:
            columns.setdefault(line.column, []).append(line)
        for column in columns.values():
            cut = len(column)
            while cut > 0 and is_smaller(column[cut - 1], size):
                cut -= 1
            if cut == len(column):
                continue
            if cut > 0 and _REFERENCES_HEADING.fullmatch(column[cut - 1].text.strip()):
                continue
            blocks.append(column[cut:])
    return blocks


def number_notes(lines: Sequence[Line], blocks: Sequence[Sequence[Line]]) -> list[NoteLine]:
    """The block lines in reading order, with the note number each one starts.

    A number starts a note when it continues the count (the next number, or a small jump);
    the first note may be any number up to `MAX_NOTE_NUMBER_JUMP` + 1. Other lines continue
    the note before. A block that does not open with the next note is taken only when it
    runs on from the note block before (`_runs_on`); otherwise it is small type of another
    kind (a numbered list, a reference list, a table, a page's slug).
    """
    position = {id(line): index for index, line in enumerate(lines)}
    result: list[NoteLine] = []
    last = 0
    previous: Line | None = None  # the first line of the last block taken as notes
    for block in blocks:
        first = block[0]
        number = _leading_number(first)
        opens = number is not None and _continues(number, last)
        if not opens and not (previous is not None and _runs_on(previous, first)):
            continue
        previous = first
        for line in block:
            if id(line) not in position:
                continue
            number = _leading_number(line)
            starts = None
            if number is not None and _continues(number, last):
                starts = number
                last = number
            result.append(NoteLine(line, position[id(line)], starts))
    return result


def _runs_on(previous: Line, first: Line) -> bool:
    """Whether a block that opens with no new note continues the block before: it stands in
    the next column or on the next page, in the same type size."""
    next_place = (first.page == previous.page and first.column == previous.column + 1) or (
        first.page == previous.page + 1
    )
    return next_place and abs(first.size - previous.size) < 0.3


def _continues(number: int, last: int) -> bool:
    return last < number <= last + 1 + MAX_NOTE_NUMBER_JUMP


def _leading_number(line: Line) -> int | None:
    if line.starts_raised:
        return int(line.raised[0][1]) if len(line.raised[0][1]) <= 4 else None
    match = _NOTE_NUMBER.match(line.text)
    return int(match.group(1)) if match else None


def note_text(line: Line, starts: int | None) -> str:
    """A note line's text without the note's own number."""
    if starts is None:
        return line.text
    if line.starts_raised:
        return line.text[len(line.raised[0][1]) :].lstrip()
    match = _NOTE_NUMBER.match(line.text)
    return line.text[match.end() :].lstrip() if match else line.text


def is_smaller(line: Line, size: float) -> bool:
    """Whether a line is set smaller than the body."""
    return line.size < size * SMALLER
