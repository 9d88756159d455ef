"""Stage 2: notes. Find the numbered footnotes/endnotes and the in-text markers of a document.

Layout detection and per-layout readers live here; URL repair inside a note
(rejoining broken lines, unwrapping `<url>` and `[text](url)`) is in `urltext`.

How a text is read, line by line:
- A note starts at the beginning of a line with its number and a space: `12 text`,
  `- 12 text` (a markdown list) or `¹⁰ text` (superscript). The strongest evidence
  that a line starts a note is the sequence: it must carry the next number (the first
  note is 1). After that, a small jump (a missing note) is accepted after a blank
  line, and a repeat only in the explicit `- 12`/`¹²` forms. `1. Heading` and
  `2015 text` are therefore body.
- A note ends where the next note starts, where a line begins with a space (a PDF
  page's body text resuming), or at a blank line. In hard-wrapped text (a PDF
  rendering) a note may run on over a blank line while it has not ended its sentence.
- Markers are superscript digits, or digits glued to the end of a word, punctuation
  or a year (`space,7`, `Ministers65`, `201022` = 2010 + 22). Glued digits are only
  markers when they continue the count 1, 2, 3, … so that `G8` or `IPv6` are not.
"""

from __future__ import annotations

import bisect
import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from citecheck.read import refs, textlayout
from citecheck.read.furniture import find_furniture, split_pages
from citecheck.read.model import BodyUrl, Document, Marker, Note, NotedDocument, Problem
from citecheck.read.urltext import find_urls, readable_text, unwrap_lines, unwrap_with_offsets


class Layout(enum.Enum):
    """How lines relate to paragraphs, which decides whether a note can span a blank line."""

    WRAPPED = "wrapped"  # hard-wrapped lines, as rendered from PDF
    PARAGRAPHS = "paragraphs"  # one paragraph per line, as in markdown


# Problem kinds, as they appear in the JSON output (documented in the README).
MARKERS_WITHOUT_NOTES = "markers-without-notes"
NOTES_WITHOUT_MARKERS = "notes-without-markers"
MARKER_WITHOUT_NOTE = "marker-without-note"
NOTE_WITHOUT_MARKER = "note-without-marker"
NUMBERING_GAP = "numbering-gap"
DUPLICATE_NOTE = "duplicate-note"
UNREADABLE_NOTE = "unreadable-note"

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FROM_SUPERSCRIPT = str.maketrans(_SUPERSCRIPTS, "0123456789")

NOTE_START = re.compile(
    r"(?P<bullet>[-–•*][ \t]+)?(?P<number>[0-9]{1,3}|[" + _SUPERSCRIPTS + r"]{1,3})[ \t]+(?=\S)"
)
SUPERSCRIPT_RUN = re.compile("[" + _SUPERSCRIPTS + "]+")
MAX_MARKER_DIGITS = 3  # a marker is note 1–999; longer runs are not markers (nor ints to parse)
DIGIT_RUN = re.compile("[0-9]+")
# What may stand right before a glued marker (besides a letter) and right after one.
_BEFORE_MARKER = frozenset(".,;:!?)]’”'\"")
_AFTER_MARKER = frozenset(",;:)’”'\"")
# A sentence that has ended: full stop, question or exclamation mark, maybe closed.
_SENTENCE_END = re.compile(r"[.?!][’”'\")\]]*$")

LONG_LINE = 200
MAX_NUMBER_JUMP = 3
MARKER_LOOKAHEAD = 30
MAX_MARKER_JUMP = 5


def extract_notes(document: Document) -> NotedDocument:
    """Split a document into body markers, notes, body URLs and problems.

    Never raises: whatever the text, the result describes what could be read. A text with
    form feeds is a paged rendering of a PDF and is read page by page (`textlayout`).
    """
    paged = split_pages(document.text)
    heading = refs.find_heading(paged.lines)
    if heading is None:
        return _extract_notes(document)
    return _with_reference_list(document, heading)


def _with_reference_list(document: Document, heading: int) -> NotedDocument:
    """Notes from the text before the reference heading; the list's entries as REFERENCE
    notes after them; in-text citations linked to entries as markers of those notes."""
    raw_lines = document.text.split("\n")
    before = raw_lines[:heading] + ["\f" * line.count("\f") for line in raw_lines[heading:]]
    noted = _extract_notes(Document(document.path, "\n".join(before), document.encoding))
    paged = split_pages(document.text)
    furniture = find_furniture(paged) if "\f" in document.text else frozenset()
    first = max((note.number for note in noted.notes), default=0) + 1
    pages = paged.pages if "\f" in document.text else None
    references = refs.read_reference_list(paged.lines, furniture, first, pages)
    if references is None:
        return noted
    flat = "\n".join(
        "" if index in furniture else line for index, line in enumerate(paged.lines[:heading])
    )
    citations = refs.link_citations(_logical_lines(flat), references)
    # With no notes, note markers would read as links to the entries numbered like them:
    # the markers are then the citations alone (the problem about them stays).
    places = (noted.marker_places if noted.notes else ()) + citations.markers
    return NotedDocument(
        path=noted.path,
        markers=tuple(m.number for m in places),
        notes=noted.notes + references.notes,
        body_urls=noted.body_urls,
        problems=noted.problems + citations.problems,
        marker_places=places,
        format=noted.format,
    )


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Paragraphs as one line each (a citation may be broken over a line end), numbered
    by the line they start on."""
    paragraphs: list[tuple[int, str]] = []
    current: list[str] = []
    start = 1
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line.strip())
            continue
        if current:
            paragraphs.append((start, " ".join(current)))
            current = []
    if current:
        paragraphs.append((start, " ".join(current)))
    return paragraphs


def _extract_notes(document: Document) -> NotedDocument:
    """The note finder for the text: paged renderings page by page, else line by line."""
    if "\f" in document.text:
        return extract_paged_notes(document)
    lines = [line.replace("\f", "") for line in document.text.split("\n")]
    layout = detect_layout(lines)
    drafts, body = _split_notes_from_body(lines, layout)
    hard_wrapped = layout is Layout.WRAPPED
    notes = tuple(_finish(draft, hard_wrapped) for draft in drafts)
    markers = find_markers(body)
    body_urls = tuple(_body_urls(body, hard_wrapped))
    return NotedDocument(
        path=document.path,
        markers=tuple(marker.number for marker in markers),
        notes=notes,
        body_urls=body_urls,
        problems=tuple(find_problems(markers, notes)),
        marker_places=tuple(markers),
    )


def detect_layout(lines: Sequence[str]) -> Layout:
    """Paragraph-per-line text has many long lines; PDF renderings have none."""
    filled = 0
    long = 0
    for line in lines:
        if line.strip():
            filled += 1
            long += len(line) > LONG_LINE
    return Layout.PARAGRAPHS if long and long * 10 >= filled else Layout.WRAPPED


@dataclass
class _NoteDraft:
    number: int
    line: int
    lines: list[str] = field(default_factory=list)


def _split_notes_from_body(
    lines: Sequence[str], layout: Layout
) -> tuple[list[_NoteDraft], list[tuple[int, str]]]:
    """Walk the lines once, assigning each to a note or to the body (with its line number)."""
    drafts: list[_NoteDraft] = []
    body: list[tuple[int, str]] = []
    current: _NoteDraft | None = None
    last_number = 0
    after_blank = True
    for index, line in enumerate(lines):
        if not line.strip():
            after_blank = True
            if current is not None:
                current.lines.append("")
            else:
                body.append((index + 1, ""))
            continue
        start = NOTE_START.match(line)
        if start is not None:
            number = int(start.group("number").translate(_FROM_SUPERSCRIPT))
            explicit = bool(start.group("bullet")) or start.group("number")[0] in _SUPERSCRIPTS
            if _starts_note(number, last_number, after_blank or current is not None, explicit):
                current = _NoteDraft(number, index + 1, [line[start.end() :]])
                drafts.append(current)
                last_number = number
                after_blank = False
                continue
        if current is not None and not _continues_note(current, line, after_blank, layout):
            current = None
        if current is not None:
            current.lines.append(line)
        else:
            body.append((index + 1, line))
        after_blank = False
    return drafts, body


def _starts_note(number: int, last_number: int, at_boundary: bool, explicit: bool) -> bool:
    """The sequence decides: the next number, a small jump, or an explicit repeat."""
    if number == last_number + 1:
        return True
    if not at_boundary or last_number == 0:
        return False  # the first note must be note 1: prose may start with "3 days"
    if last_number + 1 < number <= last_number + 1 + MAX_NUMBER_JUMP:
        return True
    return explicit and number == last_number


def _continues_note(draft: _NoteDraft, line: str, after_blank: bool, layout: Layout) -> bool:
    if line[0] in " \t":
        return False  # body text resuming after a page's notes is indented by a space
    if not after_blank:
        return True
    if layout is Layout.PARAGRAPHS:
        return False
    last = next((text for text in reversed(draft.lines) if text.strip()), "")
    return _SENTENCE_END.search(last.rstrip()) is None


def _finish(draft: _NoteDraft, hard_wrapped: bool) -> Note:
    raw = unwrap_lines(draft.lines, hard_wrapped)
    urls = tuple(found.url for found in find_urls(raw))
    return Note(number=draft.number, line=draft.line, text=readable_text(raw), urls=urls)


def find_markers(body: Sequence[tuple[int, str]]) -> list[Marker]:
    """The in-text markers of the body, in order: superscripts, or else glued digits.

    Whichever style yields more markers is the document's style.
    """
    superscript: list[Marker] = []
    glued: list[Marker] = []
    for number, line in body:
        for match in SUPERSCRIPT_RUN.finditer(line):
            too_long = match.end() - match.start() > MAX_MARKER_DIGITS
            if match.start() and not line[match.start() - 1].isspace() and not too_long:
                value = int(match.group().translate(_FROM_SUPERSCRIPT))
                superscript.append(Marker(value, number))
        for match in DIGIT_RUN.finditer(line):
            glued_value = _glued_marker(line, match.start(), match.end())
            if glued_value is not None:
                glued.append(Marker(glued_value, number))
    counted = _continue_the_count(glued)
    return superscript if superscript and len(superscript) >= len(counted) else counted


def _glued_marker(line: str, start: int, end: int) -> int | None:
    """The marker a run of digits may be: glued to a word or punctuation (`space,7`,
    `Ministers65`), or following a year (`201022` is 2010 then 22)."""
    after = line[end : end + 1]
    if after and not after.isspace() and after not in _AFTER_MARKER:
        return None
    before = line[start - 1 : start]
    digits = line[start:end]
    short = len(digits) <= MAX_MARKER_DIGITS
    if short and before and (before.isalpha() or before in _BEFORE_MARKER):
        return int(digits)
    year_then_marker = 5 <= len(digits) <= 7 and digits[:2] in ("19", "20") and digits[4] != "0"
    if year_then_marker and not (before.isalnum() or before == "_"):
        return int(digits[4:])
    return None


def _continue_the_count(candidates: Sequence[Marker]) -> list[Marker]:
    """Keep the candidates that continue 1, 2, 3, …; a jump is kept only when the
    count visibly resumes after it (the next number follows soon) and the expected
    number does not turn up first."""
    kept: list[Marker] = []
    expected = 1
    for index, candidate in enumerate(candidates):
        value = candidate.number
        if value == expected:
            kept.append(candidate)
            expected = value + 1
        elif expected < value <= expected + MAX_MARKER_JUMP:
            window = candidates[index + 1 : index + 1 + MARKER_LOOKAHEAD]
            values = {later.number for later in window}
            if value + 1 in values and expected not in values:
                kept.append(candidate)
                expected = value + 1
    return kept


def _body_urls(body: Sequence[tuple[int, str]], hard_wrapped: bool) -> Iterable[BodyUrl]:
    """URLs in the body, paragraph by paragraph so that a URL broken over lines is whole."""
    paragraph: list[tuple[int, str]] = []
    for number, line in body:
        if line.strip() and paragraph and paragraph[-1][0] == number - 1:
            paragraph.append((number, line))
            continue
        if paragraph:
            yield from _paragraph_urls(paragraph, hard_wrapped)
        paragraph = [(number, line)] if line.strip() else []
    if paragraph:
        yield from _paragraph_urls(paragraph, hard_wrapped)


def _paragraph_urls(paragraph: Sequence[tuple[int, str]], hard_wrapped: bool) -> Iterable[BodyUrl]:
    if not any("www." in line.lower() or "://" in line for _, line in paragraph):
        return
    text, offsets = unwrap_with_offsets((line for _, line in paragraph), hard_wrapped)
    for found in find_urls(text):
        where = max(0, bisect.bisect_right(offsets, found.start) - 1)
        yield BodyUrl(found.url, paragraph[where][0])


def find_problems(markers: Sequence[Marker], notes: Sequence[Note]) -> list[Problem]:
    """What an editor would want to know about the notes and markers of one text."""
    problems: list[Problem] = []
    if markers and not notes:
        numbers = sorted({m.number for m in markers})
        problems.append(
            Problem(
                MARKERS_WITHOUT_NOTES,
                f"{len(markers)} in-text note markers ({_span(numbers)}) but no numbered "
                "notes in the text",
            )
        )
        return problems
    if notes and not markers:
        problems.append(
            Problem(
                NOTES_WITHOUT_MARKERS,
                f"{len(notes)} numbered notes ({_span([n.number for n in notes])}) but no "
                "in-text markers in the body",
            )
        )
    previous: Note | None = None
    for note in notes:
        if not note.text or "\ufffd" in note.text:
            problems.append(
                Problem(
                    UNREADABLE_NOTE,
                    f"note {note.number} is empty or holds undecodable characters",
                    note.number,
                    note.line,
                )
            )
        if previous is not None and note.number == previous.number:
            problems.append(
                Problem(
                    DUPLICATE_NOTE,
                    f"note {note.number} appears again (first on line {previous.line})",
                    note.number,
                    note.line,
                )
            )
        elif note.number > (previous.number if previous else 0) + 1:
            missing = _span(list(range((previous.number if previous else 0) + 1, note.number)))
            problems.append(
                Problem(
                    NUMBERING_GAP,
                    f"notes jump to {note.number}: no note {missing}",
                    note.number,
                    note.line,
                )
            )
        previous = note
    if markers and notes:
        note_numbers = {note.number for note in notes}
        marker_numbers = {marker.number for marker in markers}
        reported: set[int] = set()
        for marker in markers:
            if marker.number not in note_numbers and marker.number not in reported:
                reported.add(marker.number)
                problems.append(
                    Problem(
                        MARKER_WITHOUT_NOTE,
                        f"marker {marker.number} has no note",
                        marker.number,
                        marker.line,
                    )
                )
        for note in notes:
            if note.number not in marker_numbers:
                problems.append(
                    Problem(
                        NOTE_WITHOUT_MARKER,
                        f"note {note.number} has no marker in the body",
                        note.number,
                        note.line,
                    )
                )
    return problems


def _span(numbers: Sequence[int]) -> str:
    """`1–85` for a run, `3, 7, 9` otherwise."""
    if not numbers:
        return ""
    if list(numbers) == list(range(numbers[0], numbers[0] + len(numbers))) and len(numbers) > 2:
        return f"{numbers[0]}–{numbers[-1]}"
    return ", ".join(str(n) for n in numbers)


def extract_paged_notes(document: Document) -> NotedDocument:
    """The notes of a paged rendering (form feeds): numbering may restart per chapter."""
    paged, furniture, drafts = textlayout.find_paged_notes(document.text)
    restarts = any(draft.section for draft in drafts)
    notes = tuple(
        textlayout.finish(draft, position, restarts, paged)
        for position, draft in enumerate(drafts, start=1)
    )
    in_notes = {index for draft in drafts for index, _ in draft.lines}
    in_notes.update(draft.start.index for draft in drafts)
    body = [
        (index + 1, "" if index in furniture else line)
        for index, line in enumerate(paged.lines)
        if index not in in_notes
    ]
    sections = [
        (note.section, int(note.label) if restarts and note.label else note.number)
        for note in notes
    ]
    # body lines are numbered by position here, and by their line in the file below
    note_starts = [
        (draft.start.index + 1, draft.section + 1 if restarts else 0) for draft in drafts
    ]
    found = find_section_markers(body, note_starts)
    markers = [
        (Marker(m.number, paged.number(m.line - 1), paged.pages[m.line - 1]), section)
        for m, section in found
    ]
    body_urls = tuple(
        BodyUrl(url.url, paged.number(url.line - 1), paged.pages[url.line - 1])
        for url in _body_urls(body, True)
    )
    return NotedDocument(
        path=document.path,
        markers=tuple(marker.number for marker, _ in markers),
        notes=notes,
        body_urls=body_urls,
        problems=tuple(
            find_section_problems(markers, notes, sections, _loose_markers(body, note_starts))
        ),
        marker_places=tuple(marker for marker, _ in markers),
    )


def _glued_values(line: str, start: int, end: int, expected: int) -> list[int]:
    """The marker values a glued run of digits may hold: one, or two set side by side
    (`.67` is notes 6 and 7 at one place)."""
    digits = line[start:end]
    before = line[start - 1 : start]
    if before in ".,:" and line[start - 2 : start - 1].isdigit():
        return []  # `1.1`, `2,5`, `10:30`: a section number or a figure, not a marker
    if expected and before and (before.isalpha() or before in _BEFORE_MARKER):
        run = [expected]
        while len("".join(map(str, run))) < len(digits):
            run.append(run[-1] + 1)
        if len(run) > 1 and "".join(map(str, run)) == digits:
            return run
    value = _glued_marker(line, start, end)
    return [] if value is None else [value]


def find_section_markers(
    body: Sequence[tuple[int, str]], note_starts: Sequence[tuple[int, int]]
) -> list[tuple[Marker, int]]:
    """Glued markers, each with the section of the notes it belongs to, counted 1, 2, 3 …
    within that section.

    `note_starts` are (line, section) of the notes in reading order. A marker belongs to
    the section of the first note after it (footnotes follow their markers on the page,
    endnotes close their chapter), or to the last section after the last note.
    """
    lines = dict(body)
    grouped: dict[int, list[tuple[int, int, int]]] = {}
    starts = sorted(note_starts)
    positions = [line for line, _ in starts]
    for number, line in body:
        for match in DIGIT_RUN.finditer(line):
            if match.end() - match.start() > 7:
                continue
            after = bisect.bisect_right(positions, number)
            section = starts[min(after, len(starts) - 1)][1] if starts else 0
            grouped.setdefault(section, []).append((number, match.start(), match.end()))
    kept: list[tuple[Marker, int]] = []
    for section in sorted(grouped):
        raw = grouped[section]
        values_ahead = [_glued_values(lines[n], a, b, 0) for n, a, b in raw]
        expected = 1
        for position, (number, start, end) in enumerate(raw):
            values = _glued_values(lines[number], start, end, expected)
            if not values:
                continue
            ahead = {
                v for vs in values_ahead[position + 1 : position + 1 + MARKER_LOOKAHEAD] for v in vs
            }
            first = values[0]
            jump = expected < first <= expected + MAX_MARKER_JUMP
            if first != expected and not (jump and first + 1 in ahead and expected not in ahead):
                continue
            kept.extend((Marker(value, number), section) for value in values)
            expected = values[-1] + 1
    kept.sort(key=lambda pair: pair[0].line)
    return kept


def _loose_markers(
    body: Sequence[tuple[int, str]], note_starts: Sequence[tuple[int, int]]
) -> set[tuple[int, int]]:
    """(section, value) of every glued number in the body, counted or not: a note has its
    marker when one stands anywhere in its section (two columns mix up reading order)."""
    starts = sorted(note_starts)
    positions = [line for line, _ in starts]
    found: set[tuple[int, int]] = set()
    for number, line in body:
        for match in DIGIT_RUN.finditer(line):
            if match.end() - match.start() > MAX_MARKER_DIGITS:
                continue
            after = bisect.bisect_right(positions, number)
            sections = {starts[min(after, len(starts) - 1)][1]} if starts else {0}
            if after and starts:
                sections.add(starts[after - 1][1])  # a marker after its note (reordered)
            for value in _glued_values(line, match.start(), match.end(), 0):
                found.update((section, value) for section in sections)
    return found


def find_section_problems(
    markers: Sequence[tuple[Marker, int]],
    notes: Sequence[Note],
    keys: Sequence[tuple[int, int]],
    loose: set[tuple[int, int]] = frozenset(),  # type: ignore[assignment]
) -> list[Problem]:
    """Problems of a text whose notes are keyed by (section, printed number).

    A note lacks its marker only when no glued number of its value stands in its section
    (`loose`), counted in order or not."""
    problems: list[Problem] = []
    if markers and not notes:
        numbers = sorted({m.number for m, _ in markers})
        problems.append(
            Problem(
                MARKERS_WITHOUT_NOTES,
                f"{len(markers)} in-text note markers ({_span(numbers)}) but no numbered "
                "notes in the text",
            )
        )
        return problems
    if notes and not markers:
        problems.append(
            Problem(
                NOTES_WITHOUT_MARKERS,
                f"{len(notes)} numbered notes ({_span([printed for _, printed in keys])}) "
                "but no in-text markers in the body",
            )
        )
    previous: tuple[int, int] | None = None
    first_line: dict[tuple[int, int], int] = {}
    for note, key in zip(notes, keys, strict=True):
        section, printed = key
        name = _name(section, printed)
        if not note.text or "\ufffd" in note.text:
            problems.append(
                Problem(
                    UNREADABLE_NOTE,
                    f"note {name} is empty or holds undecodable characters",
                    note.number,
                    note.line,
                )
            )
        last = previous[1] if previous is not None and previous[0] == section else 0
        if key in first_line:
            problems.append(
                Problem(
                    DUPLICATE_NOTE,
                    f"note {name} appears again (first on line {first_line[key]})",
                    note.number,
                    note.line,
                )
            )
        elif printed > last + 1:
            missing = _span(list(range(last + 1, printed)))
            problems.append(
                Problem(
                    NUMBERING_GAP,
                    f"notes jump to {name}: no note {missing}",
                    note.number,
                    note.line,
                )
            )
        first_line.setdefault(key, note.line)
        previous = key
    if markers and notes:
        marker_keys = {(section, m.number) for m, section in markers}
        note_keys = set(keys)
        reported: set[tuple[int, int]] = set()
        for marker, section in markers:
            key = (section, marker.number)
            if key not in note_keys and key not in reported:
                reported.add(key)
                problems.append(
                    Problem(
                        MARKER_WITHOUT_NOTE,
                        f"marker {_name(*key)} has no note",
                        marker.number,
                        marker.line,
                    )
                )
        for note, key in zip(notes, keys, strict=True):
            if key not in marker_keys and key not in loose:
                problems.append(
                    Problem(
                        NOTE_WITHOUT_MARKER,
                        f"note {_name(*key)} has no marker in the body",
                        note.number,
                        note.line,
                    )
                )
    return problems


def _name(section: int, printed: int) -> str:
    """`3` when numbering runs through, `2.3` (chapter 2, note 3) when it restarts."""
    return f"{section}.{printed}" if section else str(printed)
