"""The ODT reader: `text:note` footnotes and endnotes of an OpenDocument text.

Notes are read from `content.xml` and numbered in reading order, footnotes and endnotes
in one count; the label the document displays (`text:label`, else the note citation:
`i` for an endnote, `*` for a custom mark) is the note's `label` when it differs from
that number. Tracked-change records (deleted text) and annotations are skipped. A
note's URLs are its `text:a` link targets and the URLs written in its text.

`line` is the body paragraph the note stands in: the n-th `text:p`/`text:h` of the
document body in reading order (paragraphs inside notes do not count).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from citecheck.read.model import BodyUrl, Marker, Note, NotedDocument
from citecheck.read.package import Element, Package, PackageError, read_package
from citecheck.read.richtext import collapse, urls_in_order

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
XLINK = "{http://www.w3.org/1999/xlink}"

_SKIPPED = frozenset(
    {
        TEXT + "tracked-changes",  # the deleted text of tracked changes lives here
        TEXT + "note-citation",  # the displayed mark, read on its own
        OFFICE + "annotation",
        TEXT + "sequence-decls",
    }
)
_PARAGRAPHS = frozenset({TEXT + "p", TEXT + "h"})


@dataclass
class _Flow:
    """Text with the link targets at their offsets."""

    pieces: list[str] = field(default_factory=list)
    targets: list[tuple[int, str]] = field(default_factory=list)
    length: int = 0

    def add(self, text: str) -> None:
        self.pieces.append(text)
        self.length += len(text)

    def text(self) -> str:
        return "".join(self.pieces)


def read_odt(path: Path) -> NotedDocument:
    """Read an OpenDocument text's notes, markers and body URLs, or raise DocumentError."""
    return read_package(path, _read)


def _read(path: Path, package: Package) -> NotedDocument:
    content = package.xml("content.xml")
    if content is None:
        raise PackageError("not an OpenDocument text: no content.xml")
    body = content.find(f"{OFFICE}body/{OFFICE}text")
    if body is None:
        raise PackageError("not an OpenDocument text: content.xml has no office:text")
    notes: list[Note] = []
    body_urls: list[BodyUrl] = []
    for index, paragraph in enumerate(_body_paragraphs(body), start=1):
        flow = _Flow()
        _gather(paragraph, flow)
        body_urls.extend(BodyUrl(url, index) for url in urls_in_order(flow.text(), flow.targets))
        for element in _notes_in(paragraph):
            notes.append(_note(element, len(notes) + 1, index))
    return NotedDocument(
        path=str(path),
        markers=tuple(n.number for n in notes),
        notes=tuple(notes),
        body_urls=tuple(body_urls),
        marker_places=tuple(Marker(n.number, n.line) for n in notes),
        format="odt",
    )


def _body_paragraphs(body: Element) -> list[Element]:
    """The body's paragraphs and headings in reading order, none from inside a note or a
    tracked-change record; a paragraph inside another (a text box) is not counted apart."""
    found: list[Element] = []
    walker = etree.iterwalk(body, events=("start",))
    for _, element in walker:
        tag = element.tag
        if tag in _SKIPPED or tag == TEXT + "note":
            walker.skip_subtree()
        elif tag in _PARAGRAPHS:
            found.append(element)
            walker.skip_subtree()
    return found


def _notes_in(paragraph: Element) -> list[Element]:
    """The notes of one body paragraph, in order, without notes nested in notes."""
    found: list[Element] = []
    walker = etree.iterwalk(paragraph, events=("start",))
    for _, element in walker:
        if element.tag in _SKIPPED:
            walker.skip_subtree()
        elif element.tag == TEXT + "note":
            found.append(element)
            walker.skip_subtree()
    return found


def _note(element: Element, number: int, line: int) -> Note:
    citation = element.find(TEXT + "note-citation")
    label = None
    if citation is not None:
        label = citation.get(TEXT + "label") or collapse("".join(citation.itertext())) or None
    flow = _Flow()
    body = element.find(TEXT + "note-body")
    if body is not None:
        _gather(body, flow)
    raw = flow.text()
    return Note(
        number=number,
        line=line,
        text=collapse(raw),
        urls=urls_in_order(raw, flow.targets),
        label=None if label in (None, str(number)) else label,
        kind="note",
    )


_NOTE = TEXT + "note"
_LINK = TEXT + "a"
_SPACE = TEXT + "s"
_COUNT = TEXT + "c"
_HREF = XLINK + "href"
_BREAKS = frozenset({TEXT + "tab", TEXT + "line-break"})
_LEAVES_OUT = _SKIPPED | {_NOTE}  # a note in a note is not this note's text


def _gather(root: Element, flow: _Flow) -> None:
    """A paragraph's or note body's text (paragraph breaks as line breaks) and link targets
    at their offsets; nested notes, tracked-change records and annotations left out."""
    if len(root) == 0:  # a paragraph of plain text: the common case, no walk needed
        if root.text:
            flow.add(root.text)
        return
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag
        if event == "end":
            if tag in _PARAGRAPHS:
                flow.add("\n")
            if element is not root and element.tail:
                flow.add(element.tail)
            continue
        if tag in _LEAVES_OUT:
            walker.skip_subtree()
            if element.tail:
                flow.add(element.tail)
            continue
        if tag == _LINK:
            href = element.get(_HREF)
            if href:
                flow.targets.append((flow.length, href))
        elif tag == _SPACE:
            flow.add(" " * _spaces(element.get(_COUNT)))
        elif tag in _BREAKS:
            flow.add(" ")
        if element.text:
            flow.add(element.text)


def _spaces(count: str | None) -> int:
    """`text:s`'s count of spaces, at least one and at most 100 (a hostile count is no
    reason to build a huge string)."""
    try:
        return min(max(int(count or 1), 1), 100)
    except ValueError:
        return 1
