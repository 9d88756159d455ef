"""The note finder for paged text renderings (pdftotext, pdfminer: a form feed per page).

The evidence is the whole document, not one line's shape:

1. Page furniture (page numbers, running heads) is blanked first (`furniture`).
2. Every line that could start a note is a candidate in one *form*: a number alone on
   its line with the text on the next (pdftotext's default), `N text`, `N. text`,
   `[N] text`, digits glued to the text (`1E. Walker`, pdfminer) or superscripts. The
   form whose candidates best continue a count 1, 2, 3 … (restarting at 1 per chapter)
   is the document's form; candidates in other forms (numbered headings, list items,
   table rows, a table of contents) are body.
3. A note runs to the next note start or to the end of its page, minus furniture. A note
   still open at a page break continues on the next page: in the lines just before that
   page's first note (set in the notes' smaller type, so wider than the body's lines), or
   at the top of a page of endnotes.
4. A note is taken only when its marker (digits glued to a word or punctuation) stands
   before it; the markers of the body are then counted per section (`notes.py`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from citecheck.read.furniture import PagedLines, find_furniture, split_columns, split_pages
from citecheck.read.model import Note
from citecheck.read.urltext import (
    find_urls_with_bare_hosts,
    readable_text,
    rejoin_spaced_hyphens,
    unwrap_lines,
)

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FROM_SUPERSCRIPT = str.maketrans(_SUPERSCRIPTS, "0123456789")

ALONE = "alone"
SPACED = "spaced"
DOTTED = "dotted"
BRACKET = "bracket"
GLUED = "glued"
SUPER = "super"

_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (BRACKET, re.compile(r"\[([0-9]{1,3})\][ \t]*(?=\S)")),
    (SUPER, re.compile("([" + _SUPERSCRIPTS + r"]{1,3})[ \t]*(?=\S)")),
    (DOTTED, re.compile(r"([0-9]{1,3})\.[ \t]+(?=\S)")),
    (SPACED, re.compile(r"([0-9]{1,3})[ \t]+(?=[^\s.0-9])")),
    (GLUED, re.compile(r"([0-9]{1,3})(?=[A-Z“\"‘(])")),
)
_GLUED_DIGITS = re.compile(
    r"(?<![0-9][.,:])(?<=[A-Za-z.,;:!?)\]’”'\"])([0-9]{1,6}|[" + _SUPERSCRIPTS + r"]{1,6})(?![0-9])"
)
_BODY_MARKER = re.compile(r"[a-z][.,;:][0-9]{1,4}(?:\s|$)")
_TITLE_WORD = re.compile(r"[A-Z][a-z’'-]*|of|and|the|in|on|for|to|a|an")
_ALONE = re.compile(r"[ \t]*([0-9]{1,3})[ \t]*")
_SENTENCE_END = re.compile(r"[.?!][’”'\")\]]*$")
_DOT_LEADERS = re.compile(r"(?:\.\s?){4,}|\s[0-9]{1,4}$")
MAX_JUMP = 3
LOOKAHEAD = 6
WIDE = 1.04  # a note line is this much wider than the body's widest lines


@dataclass(frozen=True)
class Candidate:
    """A line that could start a note: its form, number and where its text begins."""

    index: int  # the line's index (line number - 1)
    number: int
    form: str
    text_index: int  # the line the note's text starts on
    text_start: int  # the column where it starts


@dataclass
class Draft:
    """A note being collected: its start and the lines that belong to it."""

    start: Candidate
    section: int
    lines: list[tuple[int, str]] = field(default_factory=list)


def candidates(lines: Sequence[str], skip: frozenset[int]) -> list[Candidate]:
    """Every line that could start a note, in every form it could take."""
    found: list[Candidate] = []
    for index, line in enumerate(lines):
        if index in skip or not line.strip():
            continue
        alone = _ALONE.fullmatch(line)
        if alone is not None:
            following = _next_text(lines, index, skip)
            if (
                following is not None
                and _ALONE.fullmatch(lines[following]) is None
                and not _is_heading(lines, following)
            ):
                text_start = len(lines[following]) - len(lines[following].lstrip())
                found.append(Candidate(index, int(alone.group(1)), ALONE, following, text_start))
            continue
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if _DOT_LEADERS.search(line.rstrip()) and not line.rstrip().endswith("."):
            continue  # a table of contents line: title, dot leaders, page number
        for form, pattern in _FORMS:
            match = pattern.match(stripped)
            if match is not None and form in (SPACED, DOTTED, BRACKET):
                rest = stripped[match.end() :]
                if _is_heading([rest, *lines[index + 1 : index + 2]], 0):
                    break
            if match is not None:
                number = int(match.group(1).translate(_FROM_SUPERSCRIPT))
                found.append(Candidate(index, number, form, index, indent + match.end()))
                break
    return found


def _is_heading(lines: Sequence[str], index: int) -> bool:
    """A numbered heading's title: a few capitalised words and no punctuation at all
    (`2` / `Order Union Trade Cyber`); a note's text has its commas and full stop."""
    words = lines[index].split()
    return bool(words) and len(words) <= 10 and all(_TITLE_WORD.fullmatch(w) for w in words)


def _next_text(lines: Sequence[str], index: int, skip: frozenset[int]) -> int | None:
    """The next line with text within two lines (a blank may stand between)."""
    for later in range(index + 1, min(len(lines), index + 3)):
        if later not in skip and lines[later].strip():
            return later
    return None


def marker_lines(lines: Sequence[str], skip: frozenset[int]) -> dict[int, list[int]]:
    """Where each number may stand as an in-text marker: digits glued to a word or to
    punctuation, or superscripts (two glued digits may be two markers side by side)."""
    where: dict[int, list[int]] = {}
    for index, line in enumerate(lines):
        if index in skip:
            continue
        for match in _GLUED_DIGITS.finditer(line):
            digits = match.group(1).translate(_FROM_SUPERSCRIPT)
            # several markers may stand side by side (`.1617`): any run of up to 3 digits
            values = {
                int(digits[start:end])
                for start in range(len(digits))
                for end in range(start + 1, min(len(digits), start + 3) + 1)
            }
            for value in values:
                where.setdefault(value, []).append(index)
    return where


def _next_to(
    kept: Sequence[tuple[Candidate, int]], candidate: Candidate, pages: Sequence[int] | None
) -> bool:
    """Whether a candidate stands a few lines below the last note taken, on its page."""
    if not kept or pages is None:
        return False
    last = kept[-1][0]
    return pages[last.index] == pages[candidate.index] and 0 < candidate.index - last.index <= 12


def count_run(
    found: Sequence[Candidate],
    markers: dict[int, list[int]] | None = None,
    pages: Sequence[int] | None = None,
) -> list[tuple[Candidate, int]]:
    """The candidates that continue the count, each with its section (0, 1, …).

    The next number is taken; a small jump only when the count visibly resumes after it;
    1 again (a new chapter) when 2 follows before the expected number does. With
    `markers`, a note is taken only when its marker stands in the text before it (and
    after the previous note's marker): a heading `1` has no marker before it.
    """
    kept: list[tuple[Candidate, int]] = []
    expected = 1
    section = 0
    last_marker = -1
    for position, candidate in enumerate(found):
        ahead = [c.number for c in found[position + 1 : position + 1 + LOOKAHEAD]]
        value = candidate.number
        if value == expected:
            take, new_section = True, False
        elif value == 1 and expected > 1:
            take = 2 in ahead or expected not in ahead
            new_section = True
        elif expected < value <= expected + MAX_JUMP and (
            value + 1 in ahead or _next_to(kept, candidate, pages)
        ):
            # a number was lost: take the jump unless the missing one turns up soon, on
            # this page when the note stands right below the previous one
            near = ahead
            if _next_to(kept, candidate, pages):
                near = [
                    c.number
                    for c in found[position + 1 : position + 1 + LOOKAHEAD]
                    if pages is not None and pages[c.index] == pages[candidate.index]
                ]
            take, new_section = expected not in near, False
        else:
            take, new_section = False, False
        if not take:
            continue
        if markers is not None:
            floor = kept[-1][0].index if new_section and kept else last_marker
            at = next(
                (line for line in markers.get(value, ()) if floor <= line < candidate.index),
                None,
            )
            if at is None:
                continue
            last_marker = at
        if new_section:
            section += 1
        kept.append((candidate, section))
        expected = value + 1
    return kept


def choose_form(
    found: Sequence[Candidate], markers: dict[int, list[int]] | None, pages: Sequence[int]
) -> str | None:
    """The form whose candidates make the longest count: the document's note form."""
    best: tuple[int, str] | None = None
    for form in (ALONE, GLUED, BRACKET, SUPER, SPACED, DOTTED):
        run = count_run(page_order([c for c in found if c.form == form], pages), markers, pages)
        if run and (best is None or len(run) > best[0]):
            best = (len(run), form)
    return best[1] if best else None


def page_order(found: Sequence[Candidate], pages: Sequence[int]) -> list[Candidate]:
    """The candidates in the order of their numbers within each page, when reading order
    mixed them up (two columns, each with its notes: 4 5 6 7 1 2 3) and the page's
    numbers still run without a gap; otherwise as they stand (14 15 1 2 is a restart)."""
    ordered: list[Candidate] = []
    page_start = 0
    while page_start < len(found):
        page = pages[found[page_start].index]
        page_end = page_start
        while page_end < len(found) and pages[found[page_end].index] == page:
            page_end += 1
        block = list(found[page_start:page_end])
        numbers = [c.number for c in block]
        by_number = sorted(block, key=lambda c: c.number)
        values = [c.number for c in by_number]
        consecutive = values == list(range(values[0], values[0] + len(values)))
        ordered.extend(by_number if numbers != values and consecutive else block)
        page_start = page_end
    return ordered


def fill_gaps(
    run: list[tuple[Candidate, int]], found: Sequence[Candidate], pages: Sequence[int]
) -> list[tuple[Candidate, int]]:
    """A note missing from the count (5, 7) may stand in another form between its
    neighbours (`6W. Jones` glued where the others are `N text`): take it there."""
    filled: list[tuple[Candidate, int]] = []
    for position, (candidate, section) in enumerate(run):
        filled.append((candidate, section))
        if position + 1 == len(run) or run[position + 1][1] != section:
            # the last note of a section: the next number just below it, in any form
            last = candidate
            for other in found:
                if (
                    other.number == last.number + 1
                    and 0 < other.index - last.index <= 12
                    and pages[other.index] == pages[last.index]
                ):
                    filled.append((other, section))
                    last = other
            if position + 1 == len(run):
                break
            continue
        following, next_section = run[position + 1]
        if next_section != section or following.number <= candidate.number + 1:
            continue
        wanted = candidate.number + 1
        for other in found:
            if candidate.index < other.index < following.index and other.number == wanted:
                if other.index in {c.index for c, _ in filled}:
                    continue
                filled.append((other, section))
                wanted += 1
    return filled


def find_paged_notes(text: str) -> tuple[PagedLines, frozenset[int], list[Draft]]:
    """Split a paged text into note drafts; furniture lines are reported as well."""
    paged = split_columns(split_pages(text))
    furniture = find_furniture(paged)
    lines = paged.lines
    found = candidates(lines, furniture)
    markers = marker_lines(lines, furniture)
    form = choose_form(found, markers, paged.pages)
    if form is None:
        return paged, furniture, []
    ordered = page_order([c for c in found if c.form == form], paged.pages)
    run = fill_gaps(count_run(ordered, markers, paged.pages), found, paged.pages)
    starts = {c.index: (c, section) for c, section in run}
    owned: set[int] = set()
    for candidate, _ in run:
        owned.update(range(candidate.index, candidate.text_index + 1))
    drafts: list[Draft] = []
    current: Draft | None = None
    for index, line in enumerate(lines):
        if index in starts:
            candidate, section = starts[index]
            current = Draft(candidate, section)
            drafts.append(current)
            first = lines[candidate.text_index][candidate.text_start :]
            current.lines.append((candidate.text_index, first))
            continue
        if index in owned or current is None:
            continue
        if paged.pages[index] != paged.pages[current.start.index]:
            current = None
            continue
        if index in furniture or _ALONE.fullmatch(line):
            continue  # a number alone is furniture or a note number out of place
        current.lines.append((index, line))
    drafts = _split_lost_numbers(drafts, lines)
    body_width = _body_width(lines, drafts, furniture)
    _join_continuations(paged, drafts, furniture, starts, body_width)
    _trim_body_after_notes(drafts, body_width)
    return paged, furniture, drafts


def _split_lost_numbers(drafts: list[Draft], lines: Sequence[str]) -> list[Draft]:
    """A converter sometimes drops a note's number (4 is followed by 6): note 5 is then
    inside note 4, starting after a short line that ends a sentence, with a capital."""
    widths = sorted(len(text.rstrip()) for d in drafts for _, text in d.lines if text.strip())
    if not widths:
        return drafts
    full = widths[int(len(widths) * 0.9)]
    result: list[Draft] = []
    for position, draft in enumerate(drafts):
        result.append(draft)
        following = drafts[position + 1] if position + 1 < len(drafts) else None
        if following is None or following.section != draft.section:
            continue
        if following.start.number != draft.start.number + 2:
            continue
        for cut in range(1, len(draft.lines)):
            before = draft.lines[cut - 1][1].rstrip()
            index, text = draft.lines[cut]
            if (
                text.strip()[:1].isupper()
                and before
                and not _is_open(before)
                and len(before) < 0.8 * full
            ):
                start = Candidate(
                    index,
                    draft.start.number + 1,
                    draft.start.form,
                    index,
                    len(text) - len(text.lstrip()),
                )
                result.append(Draft(start, draft.section, draft.lines[cut:]))
                del draft.lines[cut:]
                break
    return result


def _body_width(lines: Sequence[str], drafts: Sequence[Draft], furniture: frozenset[int]) -> int:
    """The width most full body lines reach (a high percentile of body line lengths)."""
    in_notes = {index for draft in drafts for index, _ in draft.lines}
    widths = sorted(
        len(line.rstrip())
        for index, line in enumerate(lines)
        if index not in in_notes and index not in furniture and len(line.strip()) > 20
    )
    if not widths:
        return 0
    return widths[int(len(widths) * 0.9)]


def _join_continuations(
    paged: PagedLines,
    drafts: Sequence[Draft],
    furniture: frozenset[int],
    starts: dict[int, tuple[Candidate, int]],
    body_width: int,
) -> None:
    """A note open at the end of its page takes the lines that continue it on the next."""
    lines = paged.lines
    by_page: dict[int, list[int]] = {}
    for index, page in enumerate(paged.pages):
        by_page.setdefault(page, []).append(index)
    for position, draft in enumerate(drafts):
        last_text = next((text for _, text in reversed(draft.lines) if text.strip()), "")
        page = paged.pages[draft.start.index]
        later = [d for d in drafts[position + 1 :]]
        if later and paged.pages[later[0].start.index] == page:
            continue  # not the page's last note
        next_page = page + 1
        page_lines = by_page.get(next_page, [])
        if not page_lines:
            continue
        first_start = next((i for i in page_lines if i in starts), None)
        end = first_start if first_start is not None else page_lines[-1] + 1
        region = [i for i in page_lines if i < end and i not in furniture and lines[i].strip()]
        if not region:
            continue
        taken = _continuation(lines, region, body_width, _is_open(last_text), first_start)
        draft.lines.extend((i, lines[i]) for i in taken)


def _is_open(text: str) -> bool:
    return _SENTENCE_END.search(text.rstrip()) is None


def _continuation(
    lines: Sequence[str],
    region: Sequence[int],
    body_width: int,
    is_open: bool,
    first_start: int | None,
) -> list[int]:
    """The lines at the end of `region` that continue a note from the page before.

    Note lines are set smaller, so wider than the body: the run of wide lines just before
    the next note (with the short last line of the paragraph). A page with no body line at
    all (a page of endnotes) continues the note whole when it was left open.
    """
    # a line that carries a note marker (`council.1819`) is body, however wide
    wide = [
        bool(body_width)
        and len(lines[i].rstrip()) > body_width * WIDE
        and _BODY_MARKER.search(lines[i]) is None
        for i in region
    ]
    if not any(wide):
        if is_open and first_start is not None and len(region) <= 3:
            return list(region)
        return []
    taken: list[int] = []
    position = len(region) - 1
    if not wide[position]:
        if position == 0 or not wide[position - 1] or _BODY_MARKER.search(lines[region[position]]):
            return []
        taken.append(region[position])
        position -= 1
    while position >= 0 and wide[position]:
        taken.append(region[position])
        position -= 1
    return sorted(taken)


def _trim_body_after_notes(drafts: Sequence[Draft], body_width: int) -> None:
    """A note ends at a blank line after a finished sentence when body text follows."""
    for draft in drafts:
        cut = None
        for position in range(1, len(draft.lines)):
            _, line = draft.lines[position]
            if line.strip():
                continue
            before = next((t for _, t in reversed(draft.lines[:position]) if t.strip()), "")
            after = [t for _, t in draft.lines[position + 1 :] if t.strip()]
            if not after or _is_open(before):
                continue
            if before.rstrip().endswith(":") or "://" in before.rsplit(None, 1)[-1]:
                continue
            if len(after) >= 2 and all(len(t.rstrip()) <= body_width for t in after[:3]):
                cut = position
                break
        if cut is not None:
            del draft.lines[cut:]


def finish(draft: Draft, number: int, restarts: bool, paged: PagedLines) -> Note:
    """The note of a draft: text unwrapped, URLs repaired, printed number as its label."""
    raw = rejoin_spaced_hyphens(unwrap_lines([text for _, text in draft.lines], True))
    printed = draft.start.number
    label: str | None = None
    if draft.start.form == BRACKET:
        label = f"[{printed}]"
    elif restarts:
        label = str(printed)
    return Note(
        number=number if restarts else printed,
        line=paged.number(draft.start.index),
        text=readable_text(raw),
        urls=tuple(found.url for found in find_urls_with_bare_hosts(raw)),
        label=label,
        section=draft.section + 1 if restarts else 0,
        page=paged.pages[draft.start.index],
    )
