"""The HTML reader: notes are the targets of in-page links that link back to their marker.

One rule covers pandoc's footnote section (`a#fnref1` -> `li#fn1`, which links back to
`#fnref1`), Wikipedia's `<sup class="reference">` with its reference list (the list item
links back to the `sup`), and Word's exported `_ftn`/`_ftnref` anchors (each is the
other's target: the earlier one is the marker, so every note is counted once). A link
whose address is absolute (`https://host/page#cite_note-2`, as a saved page has them)
counts as in-page when its fragment names an element of this page.

A note is the block holding the link's target, widened to the largest ancestor that
holds no other note and no marker (Word's `div#ftn1` around several paragraphs). Its
text leaves out the back-links; its URLs are its links' targets and the URLs written in
it. Notes are numbered by the order of their first marker; the marker's text (`[a]`,
`*`) is the label when it is not that number.

`line` is the source line where the note's block starts (markers and body URLs: the
line of their link), as lxml reports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree, html

from citecheck.read.model import BodyUrl, DocumentError, Marker, Note, NotedDocument
from citecheck.read.package import Element
from citecheck.read.richtext import collapse, link_target, urls_in_order

MAX_HTML_BYTES = 64 * 1024 * 1024
_BLOCKS = frozenset(
    {
        "p", "li", "div", "dd", "dt", "td", "th", "section", "aside", "article", "blockquote",
        "ol", "ul", "dl", "table", "tr", "body", "footer", "header", "h1", "h2", "h3", "h4",
        "h5", "h6", "pre", "figure",
    }
)  # fmt: skip
_WHOLE_NOTES = frozenset({"li", "dd", "aside", "section", "td"})  # never widened past
_NOT_TEXT = frozenset({"script", "style", "noscript", "template", "head"})
_LABEL = re.compile(r"^[\[\(]?\s*(.*?)\s*[\]\)]?$")
_LEADING_MARKS = re.compile(r"^[\^↑↩\ufe0e\ufe0f\s]+")


@dataclass(frozen=True)
class _Pair:
    """A marker link, the element it targets, and the note block around that target."""

    marker: Element
    target: Element
    block: Element
    backlinks: tuple[Element, ...]


def read_html(path: Path) -> NotedDocument:
    """Read an HTML page's notes, markers and body URLs, or raise DocumentError."""
    try:
        size = path.stat().st_size
        if size > MAX_HTML_BYTES:
            raise DocumentError(
                f"{path}: file is {size // 2**20} MB, over the {MAX_HTML_BYTES // 2**20} MB limit"
            )
        data = path.read_bytes()
    except OSError as error:
        raise DocumentError(f"{path}: cannot read: {error.strerror or error}") from None
    root = _parse(data, path)
    return notes_of_page(root, str(path), data.split(b"\n"))


def _parse(data: bytes, path: Path) -> Element:
    try:
        data.decode("utf-8")
        parser = html.HTMLParser(encoding="utf-8", huge_tree=False, no_network=True)
    except UnicodeDecodeError:
        parser = html.HTMLParser(huge_tree=False, no_network=True)
    try:
        root = html.document_fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise DocumentError(f"{path}: not readable as HTML: {error}") from None
    if root is None:
        raise DocumentError(f"{path}: not readable as HTML: empty document")
    return root


def notes_of_page(root: Element, path: str, source: list[bytes] | None = None) -> NotedDocument:
    """Notes, markers and body URLs of a parsed page (see the module's rule); with the
    page's `source` lines, lines are where start tags begin."""

    def line_of(element: Element) -> int:
        return start_line(element, source) if source else element.sourceline or 1

    anchors = _anchors(root)
    links = [a for a in root.iter("a") if a.get("href")]
    pairs = _pairs(links, anchors)
    _widen(pairs)
    # lxml elements as set members and keys, never id(): a proxy not held may be freed and
    # its id reused by another element.
    number_of: dict[Element, int] = {}  # note block -> note number
    notes: list[Note] = []
    markers: list[Marker] = []
    backlinks = {b for pair in pairs for b in pair.backlinks}
    markers_set = {pair.marker for pair in pairs}
    blocks = {pair.block for pair in pairs}
    structural = backlinks | markers_set
    for pair in pairs:
        key = pair.block
        if key not in number_of:
            number = len(notes) + 1
            number_of[key] = number
            notes.append(replace(_note(pair, number, structural), line=line_of(pair.block)))
        markers.append(Marker(number_of[key], line_of(pair.marker)))
    body_urls = [
        BodyUrl(url, line_of(link))
        for link in links
        if link not in structural
        and not _inside(link, blocks)
        and (url := link_target(link.get("href", ""))) is not None
    ]
    return NotedDocument(
        path=path,
        markers=tuple(m.number for m in markers),
        notes=tuple(notes),
        body_urls=tuple(body_urls),
        marker_places=tuple(markers),
        format="html",
    )


_LOOK_BACK = 20  # lines: a start tag longer than this is not worth finding exactly


def start_line(element: Element, source: list[bytes]) -> int:
    """The line where an element's start tag begins. libxml2 reports the line where it ends,
    which is later when a writer wraps attributes (pandoc does): when that line opens inside
    a tag (no `<` before its first `>`), the tag began on the last earlier line with `<tag`."""
    reported = element.sourceline or 1
    if reported > len(source):
        return reported
    text = source[reported - 1]
    if b"<" in text.split(b">", 1)[0]:
        return reported
    opening = b"<" + str(element.tag).encode("ascii", "replace").lower()
    for line in range(reported - 1, max(reported - _LOOK_BACK, 0), -1):
        if opening in source[line - 1].lower():
            return line
    return reported


def _anchors(root: Element) -> dict[str, Element]:
    """Elements by `id`, and `a` elements by `name` (the first of each wins)."""
    found: dict[str, Element] = {}
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for key in (element.get("id"), element.get("name") if element.tag == "a" else None):
            if key and key not in found:
                found[key] = element
    return found


def _fragment_target(href: str, anchors: dict[str, Element]) -> Element | None:
    """The element an in-page link points at: `#x`, or `https://…#x` naming one of ours."""
    base, _, fragment = href.strip().partition("#")  # not urldefrag: it rejects odd hosts
    if not fragment:
        return None
    if base and not base.lower().startswith(("http://", "https://")):
        return None
    return anchors.get(fragment)


def _block(element: Element) -> Element:
    """The element itself when it is a block, else its nearest block ancestor."""
    current = element
    while current is not None and current.tag not in _BLOCKS:
        current = current.getparent()
    return current if current is not None else element


def _pairs(links: list[Element], anchors: dict[str, Element]) -> list[_Pair]:
    """Marker links whose target's block links back to the marker, in document order.

    Each block's in-page links are indexed once by the element they point at, so a page
    whose many links all point at one big block costs one pass over it, not one per link.
    """
    pairs: list[_Pair] = []
    used: set[Element] = set()  # back-links already matched: never a marker themselves
    indexes: dict[Element, dict[Element, list[Element]]] = {}
    for link in links:
        if link in used:
            continue
        target = _fragment_target(link.get("href", ""), anchors)
        if target is None or _contains(target, link):
            continue
        block = _block(target)
        if _contains(block, link):
            continue
        if block not in indexes:
            indexes[block] = _index_links(block, target, anchors)
        pointed = indexes[block]
        back = tuple(
            candidate
            for element in (*link.iter(), *link.iterancestors())
            for candidate in pointed.get(element, ())
            if candidate is not link
        )
        if back:
            used.update(back)
            pairs.append(_Pair(link, target, block, back))
    return pairs


def _index_links(
    block: Element, target: Element, anchors: dict[str, Element]
) -> dict[Element, list[Element]]:
    """The block's in-page links (the target itself too, when it is a link) by what they
    point at."""
    found = [a for a in block.iter("a") if a.get("href")]
    if target.tag == "a" and target.get("href") and target not in found:
        found.append(target)
    index: dict[Element, list[Element]] = {}
    for candidate in found:
        pointed = _fragment_target(candidate.get("href", ""), anchors)
        if pointed is not None:
            index.setdefault(pointed, []).append(candidate)
    return index


def _contains(outer: Element, inner: Element) -> bool:
    return outer is inner or any(a is outer for a in inner.iterancestors())


def _inside(element: Element, blocks: set[Element]) -> bool:
    return any(a in blocks for a in element.iterancestors())


def _widen(pairs: list[_Pair]) -> None:
    """Widen each note block to its largest ancestor holding no other note and no marker
    (Word's `div#ftn1` around the note's paragraphs), but never past a list item."""
    notes_below: dict[Element, set[Element]] = {}
    markers_below: set[Element] = set()
    for pair in pairs:
        for ancestor in pair.target.iterancestors():
            notes_below.setdefault(ancestor, set()).add(pair.target)
        for ancestor in pair.marker.iterancestors():
            markers_below.add(ancestor)
    for index, pair in enumerate(pairs):
        block = pair.block
        while True:
            parent = block.getparent()
            if (
                parent is None
                or block.tag in _WHOLE_NOTES
                or parent.tag in ("body", "html", "ol", "ul", "dl", "table", "tbody", "tr")
                or parent in markers_below
                or _holds_another(notes_below.get(parent, set()), pair.target)
            ):
                break
            block = parent
        pairs[index] = _Pair(pair.marker, pair.target, block, pair.backlinks)


def _holds_another(targets: set[Element], target: Element) -> bool:
    return len(targets) > 1 or (len(targets) == 1 and target not in targets)


def _note(pair: _Pair, number: int, structural: set[Element]) -> Note:
    """The note in a block: its text without back-links, its URLs, its marker's label."""
    pieces: list[str] = []
    targets: list[tuple[int, str]] = []
    length = 0

    def add(text: str | None) -> None:
        nonlocal length
        if text:
            pieces.append(text)
            length += len(text)

    def walk(element: Element) -> None:
        tag = element.tag
        if not isinstance(tag, str) or tag in _NOT_TEXT or element in structural:
            return
        if tag == "a" and element.get("href"):
            targets.append((length, element.get("href")))
        if tag in _BLOCKS or tag == "br":
            add(" ")
        add(element.text)
        for child in element:
            walk(child)
            add(child.tail)

    walk(pair.block)
    raw = "".join(pieces)
    text = _LEADING_MARKS.sub("", collapse(raw)) if pair.block is not None else ""
    label = _marker_label(pair.marker)
    return Note(
        number=number,
        line=pair.block.sourceline or 1,
        text=text,
        urls=urls_in_order(raw, targets),
        label=None if label in (None, str(number)) else label,
        kind="note",
    )


def _marker_label(marker: Element) -> str | None:
    text = collapse(marker.text_content())
    match = _LABEL.match(text)
    label = match.group(1) if match else text
    return label or None
