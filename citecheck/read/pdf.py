"""The PDF reader: characters and link annotations from pdfium, notes found by geometry.

pypdfium2 (Apache-2.0 / BSD-3-Clause; PDFium BSD-3-Clause) gives each character with its
box, baseline, size and angle, and each link annotation with its URI and rectangle, at
about 100 pages a second. The layout rules live in `pdflayout`; this module extracts, caps
the work (pages, characters, time), and turns note lines into `Note`s with pages and URLs.
A PDF with no note block in smaller type is read as its text by the plain-text note finder.
"""

from __future__ import annotations

import bisect
import ctypes
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from citecheck.read import pdflayout
from citecheck.read.model import (
    BodyUrl,
    Document,
    DocumentError,
    Marker,
    Note,
    NotedDocument,
    Problem,
)
from citecheck.read.notes import extract_notes, find_problems
from citecheck.read.urltext import find_urls, unwrap_with_offsets

MAX_PAGES = 2000
MAX_CHARS_PER_PAGE = 60_000
MAX_CHARS = 5_000_000  # all pages together: about 1 GB of characters and lines at most
TIME_BUDGET = 120.0  # seconds of extraction before the rest of the file is left unread
NO_UNICODE_SHARE = 0.05  # this share of characters without Unicode makes the text unreadable
UNREADABLE_TEXT = "unreadable-text"
TRUNCATED = "truncated-document"
_LIGATURES = str.maketrans(
    {
        "ﬀ": "ff",
        "ﬁ": "fi",
        "ﬂ": "fl",
        "ﬃ": "ffi",
        "ﬄ": "ffl",
        "ﬅ": "st",
        "ﬆ": "st",
        "\x02": "-",
        "\ufffe": "-",
    }
)
_T1_LIGATURES = {27: "ff", 28: "fi", 29: "fl", 30: "ffi", 31: "ffl"}
_SKEW = 0.05  # a character whose baseline climbs more than this per unit is rotated


@dataclass(frozen=True)
class LinkArea:
    """A link annotation: its URI and its rectangle on one page."""

    page: int
    uri: str
    left: float
    bottom: float
    right: float
    top: float


@dataclass(frozen=True)
class Extracted:
    """What was read from a PDF: each page's characters and width, its links, its troubles."""

    pages: tuple[tuple[tuple[pdflayout.Char, ...], float], ...]
    links: tuple[LinkArea, ...]
    unmapped: int
    total: int
    truncated: str | None


def read_pdf(path: Path) -> NotedDocument:
    """Read a PDF's notes, markers and URLs, or raise DocumentError naming the problem."""
    extracted = extract(path)
    name = str(path)
    if extracted.total and extracted.unmapped >= extracted.total * NO_UNICODE_SHARE:
        return NotedDocument(
            path=name,
            markers=(),
            notes=(),
            problems=(
                Problem(
                    UNREADABLE_TEXT,
                    f"{name}: {extracted.unmapped} of {extracted.total} characters have no "
                    "Unicode mapping in the PDF's fonts; its text cannot be read",
                ),
            ),
            format="pdf",
        )
    noted = notes_from_pages(name, extracted)
    if extracted.truncated:
        problem = Problem(TRUNCATED, f"{name}: {extracted.truncated}")
        noted = NotedDocument(
            noted.path,
            noted.markers,
            noted.notes,
            noted.body_urls,
            (*noted.problems, problem),
            noted.marker_places,
            noted.format,
        )
    return noted


def extract(path: Path) -> Extracted:
    """Characters and link areas of every page, within the caps on pages, characters, time."""
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        raise DocumentError(f"{path}: not a readable PDF: {_reason(error)}") from None
    try:
        return _extract_pages(document)
    finally:
        document.close()


def _reason(error: Exception) -> str:
    text = str(error)
    if "password" in text.lower():
        return "encrypted (needs a password)"
    return text.split("\n", maxsplit=1)[0] or type(error).__name__


def _extract_pages(document: pdfium.PdfDocument) -> Extracted:
    started = time.monotonic()
    count = len(document)
    pages: list[tuple[tuple[pdflayout.Char, ...], float]] = []
    links: list[LinkArea] = []
    unmapped = total = 0
    truncated = None
    if count > MAX_PAGES:
        truncated = f"only the first {MAX_PAGES} of {count} pages were read"
    for number in range(min(count, MAX_PAGES)):
        if time.monotonic() - started > TIME_BUDGET:
            truncated = f"reading stopped after {TIME_BUDGET:.0f} s at page {number + 1}"
            break
        if total > MAX_CHARS:
            truncated = f"reading stopped after {MAX_CHARS} characters at page {number + 1}"
            break
        page = document[number]
        try:
            chars, missing, seen = _page_chars(page)
            links.extend(_page_links(document, page, number + 1))
            pages.append((chars, page.get_width()))
        finally:
            page.close()
        unmapped += missing
        total += seen
    return Extracted(tuple(pages), tuple(links), unmapped, total, truncated)


def _page_chars(page: pdfium.PdfPage) -> tuple[tuple[pdflayout.Char, ...], int, int]:
    """The visible, upright characters of a page, and how many lacked a Unicode mapping."""
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        count = min(pdfium_c.FPDFText_CountChars(raw), MAX_CHARS_PER_PAGE)
        if count <= 0:
            return (), 0, 0
        box = pdfium_c.FS_RECTF()
        matrix = pdfium_c.FS_MATRIX()
        x = ctypes.c_double()
        y = ctypes.c_double()
        chars: list[pdflayout.Char] = []
        missing = seen = 0
        codes = _page_codes(raw, count)
        for index in range(count):
            code = codes[index] if codes else pdfium_c.FPDFText_GetUnicode(raw, index)
            if code in (10, 13) or (code == 32 and pdfium_c.FPDFText_IsGenerated(raw, index)):
                continue  # line ends and spaces pdfium inferred: the layout infers its own
            text = chr(code) if 0 < code < 0x110000 else "\ufffd"
            if code in _T1_LIGATURES and pdfium_c.FPDFText_HasUnicodeMapError(raw, index) == 1:
                text = _T1_LIGATURES[code]  # TeX's T1 encoding puts ff, fi, fl… at 27–31
            if not text.isspace():
                seen += 1
                if code in (0, 0xFFFD) or (
                    code not in _T1_LIGATURES
                    and (code < 0x20 or 0xE000 <= code <= 0xF8FF)
                    and pdfium_c.FPDFText_HasUnicodeMapError(raw, index) == 1
                ):
                    missing += 1  # a glyph id or a private code, not a character
                    continue
            pdfium_c.FPDFText_GetMatrix(raw, index, matrix)
            if abs(matrix.b) > _SKEW * abs(matrix.a) or matrix.a <= 0 or matrix.d <= 0:
                continue  # rotated or mirrored: a watermark or a margin stamp
            pdfium_c.FPDFText_GetLooseCharBox(raw, index, box)
            pdfium_c.FPDFText_GetCharOrigin(raw, index, x, y)
            size = round(pdfium_c.FPDFText_GetFontSize(raw, index) * matrix.d, 1)
            if size <= 0 or box.right < box.left:
                continue
            text = text.translate(_LIGATURES)
            baseline = round(y.value, 1)
            chars.append(
                pdflayout.Char(text, box.left, box.right, box.bottom, box.top, baseline, size)
            )
        return tuple(chars), missing, seen
    finally:
        textpage.close()


def _page_codes(raw: object, count: int) -> list[int] | None:
    """Every character's code in one call; None when the text holds characters outside the
    Basic Multilingual Plane (two UTF-16 units: indexes would no longer line up)."""
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    written = pdfium_c.FPDFText_GetText(
        raw, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
    )
    text = buffer.raw[: max(0, written - 1) * 2].decode("utf-16-le", "replace")
    if len(text) != count or any(0xD800 <= ord(char) <= 0xDFFF for char in text):
        return None
    return [ord(char) for char in text]


def _page_links(document: pdfium.PdfDocument, page: pdfium.PdfPage, number: int) -> list[LinkArea]:
    """The URI link annotations of a page with their rectangles."""
    areas: list[LinkArea] = []
    position = ctypes.c_int(0)
    link = pdfium_c.FPDF_LINK()
    rect = pdfium_c.FS_RECTF()
    for _ in range(1000):
        if not pdfium_c.FPDFLink_Enumerate(page.raw, ctypes.byref(position), ctypes.byref(link)):
            break
        action = pdfium_c.FPDFLink_GetAction(link)
        if not action or pdfium_c.FPDFAction_GetType(action) != pdfium_c.PDFACTION_URI:
            continue
        size = pdfium_c.FPDFAction_GetURIPath(document.raw, action, None, 0)
        if size <= 1 or size > 8192:
            continue
        buffer = ctypes.create_string_buffer(size)
        pdfium_c.FPDFAction_GetURIPath(document.raw, action, buffer, size)
        uri = buffer.value.decode("utf-8", "replace").strip()
        if not pdfium_c.FPDFLink_GetAnnotRect(link, rect) or not uri:
            continue
        areas.append(LinkArea(number, uri, rect.left, rect.bottom, rect.right, rect.top))
    return areas


@dataclass
class _Draft:
    number: int
    line_index: int
    page: int
    lines: list[pdflayout.Line]


def notes_from_pages(name: str, extracted: Extracted) -> NotedDocument:
    """Lay out the pages, find note blocks by type size, and build the document's notes."""
    size = pdflayout.body_size(c.size for chars, _ in extracted.pages for c in chars)
    laid = [
        pdflayout.page_lines(chars, number + 1, width) if chars else []
        for number, (chars, width) in enumerate(extracted.pages)
    ]
    pages = pdflayout.drop_furniture(laid)
    lines = [line for page in pages for line in page]
    blocks = pdflayout.note_blocks(pages, size)
    numbered = pdflayout.number_notes(lines, blocks)
    if not any(item.starts is not None for item in numbered):
        return _as_text(name, lines)
    drafts: list[_Draft] = []
    note_ids: set[int] = set()
    for item in numbered:
        if item.starts is not None:
            drafts.append(_Draft(item.starts, item.index + 1, item.line.page, [item.line]))
        elif drafts:
            drafts[-1].lines.append(item.line)
        else:
            continue
        note_ids.add(id(item.line))
    links_by_note = _links_in_notes(drafts, extracted.links)
    notes = tuple(_note(draft, links_by_note.get(index, [])) for index, draft in enumerate(drafts))
    body = [(index + 1, line) for index, line in enumerate(lines) if id(line) not in note_ids]
    markers = _markers(body, notes, size)
    body_urls = _body_urls(body, extracted.links, drafts)
    return NotedDocument(
        path=name,
        markers=tuple(marker.number for marker in markers),
        notes=notes,
        body_urls=tuple(body_urls),
        problems=tuple(find_problems(markers, notes)),
        marker_places=tuple(markers),
        format="pdf",
    )


def _note(draft: _Draft, links: Sequence[str]) -> Note:
    texts = [pdflayout.note_text(draft.lines[0], draft.number)]
    texts.extend(line.text for line in draft.lines[1:])
    joined, _ = unwrap_with_offsets(_sentence_ends(texts), hard_wrapped=True)
    urls = [found.url for found in find_urls(joined)]
    written = {_url_key(url) for url in urls}
    for uri in links:
        if _url_key(uri) not in written:
            urls.append(uri)
            written.add(_url_key(uri))
    return Note(
        number=draft.number,
        line=draft.line_index,
        text=joined,
        urls=tuple(dict.fromkeys(urls)),
        page=draft.page,
    )


def _sentence_ends(texts: list[str]) -> list[str]:
    """Lines with a trailing space where a full stop ends a line before a capital or `(`:
    the sign `unwrap_with_offsets` reads as "the URL ended here" (`…MMELByModel.` + `(j)`)."""
    marked = list(texts)
    for index in range(len(marked) - 1):
        following = marked[index + 1].lstrip()[:1]
        if marked[index].endswith(".") and (following.isupper() or following == "("):
            marked[index] += " "
    return marked


def _url_key(url: str) -> str:
    """What makes two spellings of a URL the same link (a trailing slash, letter case)."""
    return url.rstrip("/").lower()


def _inside(link: LinkArea, line: pdflayout.Line) -> bool:
    """Whether a link's rectangle overlaps a line's box (vertically mostly, horizontally at all)."""
    if link.page != line.page:
        return False
    middle = (link.top + link.bottom) / 2
    return line.bottom <= middle <= line.top and link.left < line.x1 and link.right > line.x0


def _links_in_notes(drafts: Sequence[_Draft], links: Sequence[LinkArea]) -> dict[int, list[str]]:
    """The URIs of the link annotations that lie on a note's lines, by the note's index."""
    by_page: dict[int, list[tuple[int, pdflayout.Line]]] = {}
    for index, draft in enumerate(drafts):
        for line in draft.lines:
            by_page.setdefault(line.page, []).append((index, line))
    found: dict[int, list[str]] = {}
    for link in links:
        owner = next((i for i, line in by_page.get(link.page, []) if _inside(link, line)), None)
        if owner is not None:
            found.setdefault(owner, []).append(link.uri)
    return found


def _markers(
    body: Sequence[tuple[int, pdflayout.Line]], notes: Sequence[Note], size: float
) -> list[Marker]:
    """Raised smaller digits in body lines, matched to notes.

    The marker of note N is the last raised N before the note (in reading order) and after
    the marker of the note before; raised digits that match no note (an author's
    affiliation) are markers only when they continue the count after the last matched one.
    """
    candidates: list[Marker] = []
    for index, line in body:
        if pdflayout.is_smaller(line, size):
            continue
        for _, digits in line.raised:
            if len(digits) <= 4:
                candidates.append(Marker(int(digits), index, line.page))
    positions: dict[int, list[int]] = {}
    for position, candidate in enumerate(candidates):
        positions.setdefault(candidate.number, []).append(position)
    matched: list[Marker] = []
    lower = 0
    for note in notes:
        mine = positions.get(note.number, [])
        # the last candidate N standing before the note, after the previous match
        before = bisect.bisect_right([candidates[p].line for p in mine], note.line)
        chosen = mine[before - 1] if before and mine[before - 1] >= lower else None
        if chosen is None:
            continue
        matched.append(candidates[chosen])
        lower = chosen + 1
    last = matched[-1].number if matched else max((n.number for n in notes), default=0)
    for candidate in candidates[lower:]:
        if candidate.number == last + 1:
            matched.append(candidate)
            last = candidate.number
    return matched


def _body_urls(
    body: Sequence[tuple[int, pdflayout.Line]],
    links: Sequence[LinkArea],
    drafts: Sequence[_Draft],
) -> list[BodyUrl]:
    """URLs written in body paragraphs, and link annotations that fall in no note."""
    urls: list[BodyUrl] = []
    paragraph: list[tuple[int, pdflayout.Line]] = []

    def flush() -> None:
        if not paragraph:
            return
        text, offsets = unwrap_with_offsets(_sentence_ends([line.text for _, line in paragraph]))
        for found in find_urls(text):
            where = max(0, bisect.bisect_right(offsets, found.start) - 1)
            index, line = paragraph[where]
            urls.append(BodyUrl(found.url, index, line.page))
        paragraph.clear()

    for index, line in body:
        if paragraph and (
            paragraph[-1][1].page != line.page or paragraph[-1][1].column != line.column
        ):
            flush()
        paragraph.append((index, line))
    flush()
    note_lines: dict[int, list[pdflayout.Line]] = {}
    for draft in drafts:
        for line in draft.lines:
            note_lines.setdefault(line.page, []).append(line)
    body_lines: dict[int, list[tuple[int, pdflayout.Line]]] = {}
    for index, line in body:
        body_lines.setdefault(line.page, []).append((index, line))
    written = {_url_key(url.url) for url in urls}
    for link in links:
        if any(_inside(link, line) for line in note_lines.get(link.page, [])):
            continue
        if _url_key(link.uri) in written:
            continue
        line_index = next(
            (index for index, line in body_lines.get(link.page, []) if _inside(link, line)),
            body[0][0] if body else 1,
        )
        urls.append(BodyUrl(link.uri, line_index, link.page))
        written.add(_url_key(link.uri))
    return urls


def _as_text(name: str, lines: Sequence[pdflayout.Line]) -> NotedDocument:
    """No note block in smaller type: the plain-text note finder reads the laid-out text."""
    rendered: list[str] = []
    pages: list[int] = []
    previous_page = None
    for line in lines:
        if previous_page is not None and line.page != previous_page:
            rendered.append("")
            pages.append(previous_page)
        rendered.append(line.text)
        pages.append(line.page)
        previous_page = line.page
    noted = extract_notes(Document(name, "\n".join(rendered)))

    def page_of(line: int) -> int | None:
        return pages[line - 1] if 0 < line <= len(pages) else None

    return NotedDocument(
        path=name,
        markers=noted.markers,
        notes=tuple(
            Note(
                n.number,
                n.line,
                n.text,
                n.urls,
                n.label,
                n.section,
                page_of(n.line),
                n.source,
                n.kind,
                n.entries,
            )
            for n in noted.notes
        ),
        body_urls=tuple(BodyUrl(u.url, u.line, page_of(u.line)) for u in noted.body_urls),
        problems=noted.problems,
        marker_places=tuple(Marker(m.number, m.line, page_of(m.line)) for m in noted.marker_places),
        format="pdf",
    )
