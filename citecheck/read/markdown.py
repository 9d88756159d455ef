"""The Markdown reader: `[^label]` footnotes and inline `^[…]` notes, as CommonMark parses them.

markdown-it-py with the footnote plugin of mdit-py-plugins parses the file, so text in
code spans, fenced and indented code is never a note nor a marker. Notes are numbered
in the order of their first reference (as pandoc numbers them); a named label
(`[^longnote]`) is kept as the note's `label`. A note's URLs are its link targets and
the URLs written in it.

Dispatch: a `.md` file with no footnote syntax at all (no `[^x]:` definition line, no
`^[`) is read by the plain-text reader exactly as before, because Markdown renderings
of documents often carry notes as plain numbered lines.

`line` is the 1-based source line: where a note's definition starts (an inline note:
the line of its `^[`), where a marker or a body URL stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from citecheck.read.document import read_document
from citecheck.read.model import BodyUrl, DocumentError, Marker, Note, NotedDocument, Problem
from citecheck.read.notes import MARKER_WITHOUT_NOTE, NOTE_WITHOUT_MARKER, extract_notes
from citecheck.read.richtext import collapse, placed_urls, urls_in_order

FOOTNOTE_SYNTAX = re.compile(r"^ {0,3}\[\^[^\]\s]+\]:|\^\[", re.MULTILINE)

_PARSER: MarkdownIt | None = None


def _parser() -> MarkdownIt:
    global _PARSER  # noqa: PLW0603 - built once: building it costs more than a small file
    if _PARSER is None:
        _PARSER = MarkdownIt("commonmark").use(footnote_plugin)
    return _PARSER


def has_footnote_syntax(text: str) -> bool:
    """Whether a text has a footnote definition line or an inline note (the dispatch test)."""
    return FOOTNOTE_SYNTAX.search(text) is not None


def read_markdown(path: Path) -> NotedDocument:
    """Read a Markdown file's footnotes; without footnote syntax, read it as plain text."""
    document = read_document(path)
    if not has_footnote_syntax(document.text):
        return extract_notes(document)
    if (work := inline_note_work(document.text)) > MAX_INLINE_NOTE_WORK:
        raise DocumentError(
            f"{path}: too many inline notes (^[) in long paragraphs to read in bounded time "
            f"({work:.1e} > {MAX_INLINE_NOTE_WORK:.0e})"
        )
    return markdown_notes(document.text, document.path)


# The footnote plugin scans from every `^[` to its paragraph's end when the bracket never
# closes, so its time grows with (openers x paragraph length) per paragraph: 20 000 `^[` in
# one 40 kB paragraph take 7 s. Real texts are far below this budget (1 000 paragraphs of
# 2 kB with 3 inline notes each: 6e6); a hostile file is refused in one line instead.
MAX_INLINE_NOTE_WORK = 300_000_000
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def inline_note_work(text: str) -> int:
    """Sum over paragraphs of (inline-note openers x paragraph length)."""
    if text.count("^[") < 100:
        return 0  # cheap: not even worth splitting
    return sum(part.count("^[") * len(part) for part in _BLANK_LINE.split(text) if "^[" in part)


@dataclass
class _Flow:
    """Plain text of inline tokens with link targets at their offsets."""

    pieces: list[str] = field(default_factory=list)
    masked: list[str] = field(default_factory=list)  # code blanked out: no URL is found there
    targets: list[tuple[int, str]] = field(default_factory=list)
    length: int = 0

    def add(self, text: str, *, code: bool = False) -> None:
        self.pieces.append(text)
        self.masked.append(re.sub(r"\S", " ", text) if code else text)
        self.length += len(text)

    def text(self) -> str:
        return "".join(self.pieces)

    def url_text(self) -> str:
        return "".join(self.masked)


@dataclass
class _Reading:
    """What a pass over the token stream gathers."""

    markers: list[Marker] = field(default_factory=list)
    body_urls: list[BodyUrl] = field(default_factory=list)
    ref_lines: dict[int, int] = field(default_factory=dict)  # note id -> first marker line
    definitions: dict[int, tuple[int | None, str | None, _Flow]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def markdown_notes(text: str, path: str) -> NotedDocument:
    """Notes, markers and body URLs of a Markdown text."""
    env: dict[str, Any] = {}
    tokens = _parser().parse(text, env)
    inline_notes = env.get("footnotes", {}).get("list", {})
    reading = _Reading()
    note_id: int | None = None
    label: str | None = None
    start: int | None = None
    flow = _Flow()
    for token in tokens:
        if token.type == "footnote_open":
            note_id, label, start, flow = token.meta["id"], token.meta.get("label"), None, _Flow()
        elif token.type == "footnote_close" and note_id is not None:
            reading.definitions[note_id] = (start, label, flow)
            note_id = None
        elif token.type == "inline":
            line = (token.map[0] + 1) if token.map else None
            if note_id is not None:
                start = start if start is not None else line
                if flow.length:
                    flow.add(" ")
                _inline(token.children or [], flow, reading, line, inline_notes)
            else:
                body = _Flow()
                _inline(token.children or [], body, reading, line, inline_notes)
                shown = body.text()
                reading.body_urls.extend(
                    BodyUrl(url, (line or 1) + shown.count("\n", 0, offset))
                    for offset, url in placed_urls(body.url_text(), body.targets)
                )
        elif token.type in ("fence", "code_block") and note_id is not None:
            start = start if start is not None else (token.map[0] + 1 if token.map else None)
            flow.add(" " + token.content, code=True)
    notes = [_note(reading, note_id, inline_notes) for note_id in sorted(reading.definitions)]
    return NotedDocument(
        path=path,
        markers=tuple(m.number for m in reading.markers),
        notes=tuple(notes),
        body_urls=tuple(reading.body_urls),
        problems=(*reading.problems, *_unreferenced(text, env)),
        marker_places=tuple(reading.markers),
        format="markdown",
    )


def _note(reading: _Reading, note_id: int, inline_notes: dict[int, dict[str, Any]]) -> Note:
    """A definition as a note, numbered as the plugin counts references (from 1)."""
    number = note_id + 1
    start, label, flow = reading.definitions[note_id]
    inline = "content" in inline_notes.get(note_id, {})
    line = reading.ref_lines.get(note_id) if inline or start is None else start
    raw = flow.text()
    return Note(
        number=number,
        line=line or 1,
        text=collapse(raw),
        urls=urls_in_order(flow.url_text(), flow.targets),
        label=None if label in (None, str(number)) else label,
        kind="note",
    )


_UNDEFINED_REFERENCE = re.compile(r"\[\^([^\]\s]+)\](?!:)")


def _unreferenced(text: str, env: dict[str, Any]) -> list[Problem]:
    """Footnote definitions no reference points to (the plugin drops them silently)."""
    problems = []
    for key, index in env.get("footnotes", {}).get("refs", {}).items():
        if index != -1:
            continue
        label = key[1:]
        found = re.search(r"^ {0,3}\[\^" + re.escape(label) + r"\]:", text, re.MULTILINE)
        line = text.count("\n", 0, found.start()) + 1 if found else None
        message = f"footnote [^{label}] is defined but never referenced"
        problems.append(Problem(NOTE_WITHOUT_MARKER, message, None, line))
    return problems


def _inline(
    children: list[Token],
    flow: _Flow,
    reading: _Reading,
    line: int | None,
    inline_notes: dict[int, dict[str, Any]],
) -> None:
    """Plain text of one inline run into `flow`; its footnote references become markers, and
    a `[^x]` left as text (no definition) is a problem."""
    offset = 0  # lines below the run's first line
    for child in children:
        kind = child.type
        if kind == "text" and "[^" in child.content:
            for match in _UNDEFINED_REFERENCE.finditer(child.content):
                message = f"reference [^{match.group(1)}] has no footnote definition"
                at = (line or 1) + offset + child.content.count("\n", 0, match.start())
                reading.problems.append(Problem(MARKER_WITHOUT_NOTE, message, None, at))
        if kind in ("text", "html_inline"):
            flow.add(child.content)
        elif kind == "code_inline":
            flow.add(child.content, code=True)
        elif kind in ("softbreak", "hardbreak"):
            flow.add("\n")
            offset += 1
        elif kind == "link_open":
            href = child.attrGet("href")
            if isinstance(href, str):
                flow.targets.append((flow.length, href))
        elif kind == "image":
            flow.add(child.content)
        elif kind == "footnote_ref":
            note_id = child.meta["id"]
            at = (line or 1) + offset
            reading.markers.append(Marker(note_id + 1, at))
            reading.ref_lines.setdefault(note_id, at)
            content = inline_notes.get(note_id, {}).get("content")
            if isinstance(content, str):
                offset += content.count("\n")
