"""Reference lists: a "References" / "Bibliography" / "Works Cited" / "Literature" section
read as entries, and the in-text citations that point at them.

Each entry is one work; it becomes a `Note` of kind REFERENCE so that everything after
reading (citation parsing, BibTeX export, link checking) treats it like a note. In-text
citations are author–date (`(Smith 2010, 12)`, `Smith (2010)`) or numbered (`[3]`); one
that matches exactly one entry is linked to it (as a `Marker` of that entry), one that
matches none is a problem, and so is an entry that nothing cites.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from citecheck.read.model import REFERENCE, Marker, Note, Problem
from citecheck.read.urltext import (
    ends_in_open_url,
    find_urls_with_bare_hosts,
    readable_text,
    rejoin_spaced_hyphens,
    unwrap_lines,
)

CITATION_WITHOUT_ENTRY = "citation-without-entry"
ENTRY_NEVER_CITED = "entry-never-cited"

HEADINGS = frozenset(
    [
        "references",
        "bibliography",
        "works cited",
        "literature",
        "literature cited",
        "reference list",
        "sources",
        "works consulted",
        "select bibliography",
    ]
)
_HEADING_NUMBER = re.compile(r"^(?:[0-9]{1,2}(?:\.[0-9]{1,2})*\.?|[IVX]{1,4}\.)\s+")
_NUMBERED = re.compile(r"\s{0,8}\[?([0-9]{1,3})[\].]?\s+(?=\S)")
_AUTHOR_START = re.compile(
    r"\s{0,3}(?:[A-Z][A-Za-z'’\-]+(?: [A-Z][A-Za-z'’\-]+){0,2}, (?:[A-Z]|[a-z]{1,3} [A-Z])"
    r"|[A-Z][A-Za-z'’\-]+ [A-Z]\.|[A-Z][A-Z &]{2,}[.,] )"
)
# `Smith, J. 2010.`, `Smith, J. A. (2010)`: an entry's start whatever the line before.
_STRONG_START = re.compile(
    r"\s{0,3}[A-Z][A-Za-z'’\-]+, [A-Z]\.(?: ?[A-Z]\.)*,? (?:\(?[0-9]{4}|[A-Z][a-z]+ [A-Z]\.)"
)
_ENDS_ENTRY = re.compile(r"(?:[.?!)\]]|[0-9]|\.pdf|\.html?|/)[’”'\"]?$")
_YEAR = r"(1[5-9][0-9]{2}|20[0-9]{2})[a-z]?"
_NAME = r"([A-Z][A-Za-z'’\-]+)(?: et al\.?| and [A-Z][A-Za-z'’\-]+| & [A-Z][A-Za-z'’\-]+)?"
_PAREN_CITATION = re.compile(r"\(" + _NAME + r",? " + _YEAR + r"(?:[,:][^()]{0,30})?\)")
_NARRATIVE_CITATION = re.compile(_NAME + r" \(" + _YEAR + r"(?:[,:][^()]{0,30})?\)")
_NUMBER_CITATION = re.compile(r"\[([0-9]{1,3}(?:\s*[,–-]\s*[0-9]{1,3})*)\]")


@dataclass(frozen=True)
class ReferenceList:
    """The reference section of a text: where it starts, its entries as notes."""

    heading: int  # index of the heading line
    end: int  # index after its last line
    notes: tuple[Note, ...]
    numbered: bool


def find_heading(lines: Sequence[str]) -> int | None:
    """The last line that is a reference-list heading, in the second half of the text or
    followed by at least two entries."""
    found = None
    for index, line in enumerate(lines):
        text = _HEADING_NUMBER.sub("", line.strip()).rstrip(":").lower()
        if text in HEADINGS and len(line.strip()) < 40:
            found = index
    return found


def read_reference_list(
    lines: Sequence[str], skip: frozenset[int], first_number: int, pages: Sequence[int] | None
) -> ReferenceList | None:
    """The entries after the reference heading, each a REFERENCE note numbered on from
    `first_number`; None when the text has no reference list."""
    heading = find_heading(lines)
    if heading is None:
        return None
    entries: list[list[tuple[int, str]]] = []
    numbered = _is_numbered(lines, heading, skip)
    expected = 1
    blank_before = True
    for index in range(heading + 1, len(lines)):
        line = lines[index]
        if index in skip:
            continue
        if not line.strip():
            blank_before = True
            continue
        start = _entry_start(line, numbered, expected, entries, blank_before)
        if start is not None:
            entries.append([(index, line[start:])])
            expected += 1
        elif entries:
            entries[-1].append((index, line))
        blank_before = False
    notes = []
    for position, entry in enumerate(entries):
        raw = rejoin_spaced_hyphens(unwrap_lines([text for _, text in entry], True))
        first = entry[0][0]
        notes.append(
            Note(
                number=first_number + position,
                line=first + 1,
                text=readable_text(raw),
                urls=tuple(found.url for found in find_urls_with_bare_hosts(raw)),
                label=f"[{position + 1}]" if numbered else None,
                page=pages[first] if pages else None,
                kind=REFERENCE,
            )
        )
    if not notes:
        return None
    return ReferenceList(heading, len(lines), tuple(notes), numbered)


def _is_numbered(lines: Sequence[str], heading: int, skip: frozenset[int]) -> bool:
    following = [
        line
        for index, line in enumerate(lines[heading + 1 :], start=heading + 1)
        if line.strip() and index not in skip
    ]
    first = _NUMBERED.match(following[0]) if following else None
    return first is not None and first.group(1) == "1"


def _entry_start(
    line: str,
    numbered: bool,
    expected: int,
    entries: Sequence[list[tuple[int, str]]],
    blank_before: bool,
) -> int | None:
    """Where an entry's text starts on `line`, or None when the line continues one."""
    if numbered:
        match = _NUMBERED.match(line)
        if match is not None and int(match.group(1)) == expected:
            return match.end()
        return None
    if _AUTHOR_START.match(line) is None:
        return None
    if not entries:
        return len(line) - len(line.lstrip())
    indent = len(line) - len(line.lstrip())
    first_indent = len(entries[0][0][1]) - len(entries[0][0][1].lstrip())
    if indent > first_indent + 1:
        return None  # a hanging indent: the entry goes on
    previous = entries[-1][-1][1].rstrip()
    last_word = previous.rsplit(None, 1)[-1] if previous else ""
    if blank_before or _ENDS_ENTRY.search(previous) or _STRONG_START.match(line):
        return indent
    if ends_in_open_url(last_word) or (
        last_word and "/" in entries[-1][-1][1] and " " not in entries[-1][-1][1].strip()
    ):
        return indent  # an entry that ended with its URL
    return None


@dataclass(frozen=True)
class Citations:
    """The in-text citations linked to entries, and the problems of linking."""

    markers: tuple[Marker, ...]
    problems: tuple[Problem, ...]


def link_citations(body: Sequence[tuple[int, str]], references: ReferenceList) -> Citations:
    """Link each in-text citation to the one entry it names (surname and year, or [N])."""
    markers: list[Marker] = []
    problems: list[Problem] = []
    cited: set[int] = set()
    for line_number, line in body:
        for number, text in _citations_on(line, references):
            candidates = _matching(references, number, text)
            if len(candidates) == 1:
                markers.append(Marker(candidates[0].number, line_number))
                cited.add(candidates[0].number)
            elif not candidates:
                problems.append(
                    Problem(
                        CITATION_WITHOUT_ENTRY,
                        f"in-text citation {text} has no entry in the reference list",
                        None,
                        line_number,
                    )
                )
    for note in references.notes:
        if note.number not in cited:
            problems.append(
                Problem(
                    ENTRY_NEVER_CITED,
                    f"reference {note.label or note.text[:40]} is never cited in the text",
                    note.number,
                    note.line,
                )
            )
    return Citations(tuple(markers), tuple(problems))


def _citations_on(line: str, references: ReferenceList) -> list[tuple[int | None, str]]:
    found: list[tuple[int | None, str]] = []
    if references.numbered:
        for match in _NUMBER_CITATION.finditer(line):
            for part in re.split(r"\s*,\s*", match.group(1)):
                bounds = re.split(r"\s*[–-]\s*", part)
                if len(bounds) == 2 and int(bounds[0]) <= int(bounds[1]) <= int(bounds[0]) + 50:
                    found.extend((n, f"[{n}]") for n in range(int(bounds[0]), int(bounds[1]) + 1))
                else:
                    found.append((int(bounds[0]), f"[{bounds[0]}]"))
        return found
    for pattern in (_PAREN_CITATION, _NARRATIVE_CITATION):
        for match in pattern.finditer(line):
            found.append((None, f"({match.group(1)} {match.group(2)})"))
    return found


def _matching(references: ReferenceList, number: int | None, text: str) -> list[Note]:
    if number is not None:
        return [n for n in references.notes if n.label == f"[{number}]"]
    surname, year = text.strip("()").rsplit(" ", 1)
    return [
        note for note in references.notes if note.text.startswith(surname) and year in note.text
    ]
