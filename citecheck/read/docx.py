"""The DOCX reader: footnotes and endnotes of a Word file, read from its XML parts.

Notes come from `word/footnotes.xml` and `word/endnotes.xml` (wherever the document's
relationships put them) and are numbered by the order of their references in the body,
footnotes and endnotes in one count; what Word displays (endnotes `i, ii`, a custom
mark `*`, numbers restarting per section, other number formats) is the note's `label`
when it differs from that number. The text walk enters content controls (`w:sdt`),
smart tags, bidi runs, field results and tracked insertions; it skips deletions,
moved-away text, field codes and the fallback copy of alternate content. A note's URLs
are its hyperlink targets (relationships and `HYPERLINK` fields) and the URLs written in
its text.

`line` is the body paragraph the note's reference stands in: the n-th `w:p` of
`word/document.xml` in reading order (paragraphs of tables and text boxes count;
deleted ones do not), so that `file:line` points a person at the right paragraph.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from citecheck.read.model import (
    BodyUrl,
    Marker,
    Note,
    NotedDocument,
    Problem,
)
from citecheck.read.notes import MARKER_WITHOUT_NOTE
from citecheck.read.package import Element, Package, PackageError, read_package
from citecheck.read.richtext import collapse, urls_in_order

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
OFFICE_DOCUMENT = "/officeDocument"

# Subtrees whose text is not the document's text as it reads now.
_SKIPPED = frozenset(
    {
        W + "del",  # tracked deletion
        W + "moveFrom",  # tracked move: the old place
        W + "delText",
        W + "sdtPr",  # a content control's properties (placeholder, list items)
        W + "rPr",
        W + "pPrChange",
        W + "rPrChange",
        W + "sectPrChange",
        W + "tblPrChange",
        W + "trPrChange",
        W + "tcPrChange",
        MC + "Fallback",  # the same content again for old readers
    }
)
_CHARACTERS = {
    W + "tab": "\t",
    W + "br": "\n",
    W + "cr": "\n",
    W + "noBreakHyphen": "-",
    W + "softHyphen": "",
}
_HYPERLINK_FIELD = re.compile(r'^\s*HYPERLINK\s+(?:"([^"]*)"|(\S+))', re.IGNORECASE)
_ENDNOTE_DEFAULT = "lowerRoman"


@dataclass
class _Reference:
    """A footnote or endnote reference in the body, in reading order."""

    kind: str  # "footnote" | "endnote"
    id: str
    paragraph: int
    section: int
    custom: bool
    label: str | None = None


@dataclass
class _Story:
    """Text and link targets gathered from one part's walk, paragraph by paragraph."""

    paragraphs: list[str] = field(default_factory=list)
    targets: list[list[tuple[int, str]]] = field(default_factory=list)
    references: list[_Reference] = field(default_factory=list)
    owners: list[str | None] = field(default_factory=list)  # the note each paragraph is in
    sections: list[Element] = field(default_factory=list)  # each section's w:sectPr

    def text(self) -> str:
        return "\n".join(self.paragraphs)


def read_docx(path: Path) -> NotedDocument:
    """Read a Word file's notes, markers and body URLs, or raise DocumentError."""
    return read_package(path, _read)


def _read(path: Path, package: Package) -> NotedDocument:
    main = _main_part(package)
    document = package.xml(main)
    if document is None:
        raise PackageError(f"not a Word document: no {main}")
    parts = _relationships(package, main)
    body = document.find(W + "body")
    if body is None:
        raise PackageError(f"not a Word document: {main} has no body")
    story = _walk(body, parts.hyperlinks, body=True)
    settings = package.xml(_resolve(main, parts.settings)) if parts.settings else None
    notes_by_kind = {
        "footnote": _note_texts(package, main, parts.footnotes, "footnote"),
        "endnote": _note_texts(package, main, parts.endnotes, "endnote"),
    }
    labels = _display_labels(story, settings)
    notes: list[Note] = []
    markers: list[Marker] = []
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for reference, (label, section) in zip(story.references, labels, strict=True):
        if (reference.kind, reference.id) in seen:
            continue
        seen.add((reference.kind, reference.id))
        number = len(markers) + 1
        markers.append(Marker(number, reference.paragraph))
        paragraphs = notes_by_kind[reference.kind].get(reference.id)
        if paragraphs is None:
            problems.append(
                Problem(
                    MARKER_WITHOUT_NOTE,
                    f"{reference.kind} reference {label} has no {reference.kind} "
                    f"(id {reference.id})",
                    number,
                    reference.paragraph,
                )
            )
            continue
        notes.append(_note(paragraphs, number, reference, label=label, section=section))
    body_urls = [
        BodyUrl(url, index + 1)
        for index, text in enumerate(story.paragraphs)
        for url in urls_in_order(text, story.targets[index])
    ]
    return NotedDocument(
        path=str(path),
        markers=tuple(m.number for m in markers),
        notes=tuple(notes),
        body_urls=tuple(body_urls),
        problems=tuple(problems),
        marker_places=tuple(markers),
        format="docx",
    )


Paragraphs = list[tuple[str, list[tuple[int, str]]]]  # a note's text and link targets


def _note(
    paragraphs: Paragraphs,
    number: int,
    reference: _Reference,
    *,
    label: str,
    section: int,
) -> Note:
    pieces: list[str] = []
    targets: list[tuple[int, str]] = []
    offset = 0
    for text, links in paragraphs:
        targets.extend((offset + at, target) for at, target in links)
        pieces.append(text)
        offset += len(text) + 1
    raw = " ".join(pieces)
    text = collapse(raw)
    if reference.custom and reference.label and text.startswith(reference.label):
        text = text[len(reference.label) :].lstrip()
    return Note(
        number=number,
        line=reference.paragraph,
        text=text,
        urls=urls_in_order(raw, targets),
        label=None if label == str(number) else label,
        section=section,
        kind="note",
    )


@dataclass(frozen=True)
class _Parts:
    hyperlinks: dict[str, str]
    footnotes: str | None
    endnotes: str | None
    settings: str | None


def _main_part(package: Package) -> str:
    """The main document part, as the package's own relationships name it."""
    rels = package.xml("_rels/.rels")
    if rels is not None:
        for rel in rels.iter(PKG_REL + "Relationship"):
            if rel.get("Type", "").endswith(OFFICE_DOCUMENT):
                return str(rel.get("Target", "")).lstrip("/")
    return "word/document.xml"


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _resolve(part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


def _relationships(package: Package, part: str) -> _Parts:
    """A part's external hyperlink targets by id, and the note and settings parts it names."""
    rels = package.xml(_rels_name(part))
    hyperlinks: dict[str, str] = {}
    named: dict[str, str] = {}
    if rels is not None:
        for rel in rels.iter(PKG_REL + "Relationship"):
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            target = rel.get("Target", "")
            if kind == "hyperlink" or rel.get("TargetMode") == "External":
                hyperlinks[rel.get("Id", "")] = target
            elif kind in {"footnotes", "endnotes", "settings"}:
                named[kind] = target
    return _Parts(hyperlinks, named.get("footnotes"), named.get("endnotes"), named.get("settings"))


def _note_texts(
    package: Package, main: str, target: str | None, kind: str
) -> dict[str, Paragraphs]:
    """A notes part's notes by id (separators left out), read in one walk of the part."""
    if target is None:
        return {}
    part = _resolve(main, target)
    root = package.xml(part)
    if root is None:
        return {}
    notes: dict[str, Paragraphs] = {
        str(note.get(_W_ID)): []
        for note in root.iter(W + kind)
        if note.get(W + "type") in (None, "normal")
    }
    story = _walk(root, _relationships(package, part).hyperlinks, body=False, note_tag=W + kind)
    for owner, text, links in zip(story.owners, story.paragraphs, story.targets, strict=True):
        if owner in notes:
            notes[owner].append((text, links))
    return notes


# Tag and attribute names, built once (the walk compares them for every element).
_T = W + "t"
_P = W + "p"
_HYPERLINK = W + "hyperlink"
_FLD_SIMPLE = W + "fldSimple"
_FLD_CHAR = W + "fldChar"
_INSTR_TEXT = W + "instrText"
_FOOTNOTE_REF = W + "footnoteReference"
_ENDNOTE_REF = W + "endnoteReference"
_SECT_PR = W + "sectPr"
_P_PR = W + "pPr"
_R_ID = R + "id"
_INSTR = W + "instr"
_FLD_CHAR_TYPE = W + "fldCharType"
_CUSTOM_MARK = W + "customMarkFollows"
_W_ID = W + "id"

_WALKED = (
    W + "p",
    W + "t",
    *_CHARACTERS,
    W + "hyperlink",
    W + "fldSimple",
    W + "fldChar",
    W + "instrText",
    W + "footnoteReference",
    W + "endnoteReference",
    W + "sectPr",
)
_SKIPPED_SUBTREES = tuple(tag for tag in _SKIPPED if tag not in (W + "rPr", W + "delText"))


def _walk(
    root: Element, hyperlinks: dict[str, str], *, body: bool, note_tag: str | None = None
) -> _Story:
    """Gather a story's text per paragraph, its link targets and (in the body) its note
    references and section breaks, skipping what does not read as text now.

    lxml picks the elements that matter (`iter` with tags runs in C, several times faster
    than visiting every element from Python); those inside a deletion, a moved-away
    range, content-control properties or alternate content's fallback are set aside
    first. Text after a text box's paragraph, inside a body paragraph, counts for the
    text box's paragraph: a line number off by one there, never lost text.
    """
    story = _Story()
    skipped = {
        element for subtree in root.iter(*_SKIPPED_SUBTREES) for element in subtree.iter(*_WALKED)
    }
    current: list[str] = []
    targets: list[tuple[int, str]] = []
    length = 0
    fields: list[list[str]] = []  # open fields' instruction pieces
    in_instruction: list[bool] = []
    pending_custom: _Reference | None = None
    section = 0
    ends_section = False
    owner: str | None = None  # in a notes part: the note being read

    def close() -> None:
        if story.paragraphs:
            story.paragraphs[-1] = "".join(current)

    walked = (*_WALKED, note_tag) if note_tag else _WALKED
    for element in root.iter(*walked):
        if skipped and element in skipped:
            continue
        tag = element.tag
        if tag == note_tag:
            owner = str(element.get(_W_ID))
            continue
        if tag == _T:
            text = element.text or ""
            if pending_custom is not None:
                pending_custom.label = text.strip() or None
                pending_custom = None
            current.append(text)
            length += len(text)
        elif tag == _P:
            close()
            if ends_section:
                section += 1
                ends_section = False
            current, targets, length = [], [], 0
            story.paragraphs.append("")
            story.targets.append(targets)
            story.owners.append(owner)
        elif tag in _CHARACTERS:
            current.append(_CHARACTERS[tag])
            length += len(_CHARACTERS[tag])
        elif tag == _HYPERLINK:
            target = hyperlinks.get(element.get(_R_ID, ""))
            if target is not None:
                targets.append((length, target))
        elif tag == _FLD_SIMPLE:
            target = _field_target(element.get(_INSTR, ""))
            if target is not None:
                targets.append((length, target))
        elif tag == _FLD_CHAR:
            kind = element.get(_FLD_CHAR_TYPE)
            if kind == "begin":
                fields.append([])
                in_instruction.append(True)
            elif kind == "separate" and fields:
                in_instruction[-1] = False
                target = _field_target("".join(fields[-1]))
                if target is not None:
                    targets.append((length, target))
            elif kind == "end" and fields:
                fields.pop()
                in_instruction.pop()
        elif tag == _INSTR_TEXT:
            if fields and in_instruction[-1]:
                fields[-1].append(element.text or "")
        elif body and tag in (_FOOTNOTE_REF, _ENDNOTE_REF):
            custom = element.get(_CUSTOM_MARK) in ("1", "true", "on")
            reference = _Reference(
                "footnote" if tag == _FOOTNOTE_REF else "endnote",
                str(element.get(_W_ID)),
                max(len(story.paragraphs), 1),
                section,
                custom,
            )
            story.references.append(reference)
            pending_custom = reference if custom else None
        elif body and tag == _SECT_PR:
            story.sections.append(element)
            parent = element.getparent()
            if parent is not None and parent.tag == _P_PR:
                ends_section = True  # in a paragraph's properties: it ends a section
    close()
    return story


def _field_target(instruction: str) -> str | None:
    """The URL of a `HYPERLINK "url"` field instruction (a `\\l` anchor alone is in-page)."""
    match = _HYPERLINK_FIELD.match(instruction)
    if match is None:
        return None
    return match.group(1) if match.group(1) is not None else match.group(2)


# Number formats Word offers for notes; any other is shown as decimal.
def _roman(number: int) -> str:
    numerals = (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    )  # fmt: skip
    out = []
    for value, numeral in numerals:
        while number >= value:
            out.append(numeral)
            number -= value
    return "".join(out)


def _letter(number: int) -> str:
    """Word's letters: a..z, then aa..zz, aaa.."""
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def _chicago(number: int) -> str:
    symbols = "*†‡§"
    return symbols[(number - 1) % 4] * ((number - 1) // 4 + 1)


def format_number(number: int, fmt: str) -> str:
    """A note number as Word displays it in the given `w:numFmt`."""
    if number < 1:
        return str(number)
    if fmt == "lowerRoman":
        return _roman(number)
    if fmt == "upperRoman":
        return _roman(number).upper()
    if fmt == "lowerLetter":
        return _letter(number)
    if fmt == "upperLetter":
        return _letter(number).upper()
    if fmt == "chicago":
        return _chicago(number)
    return str(number)


@dataclass(frozen=True)
class _Numbering:
    fmt: str
    start: int
    restart: str  # continuous | eachSect | eachPage (read as continuous: no pages here)


def _numbering(props: Element | None, inherited: _Numbering) -> _Numbering:
    if props is None:
        return inherited
    fmt = props.find(W + "numFmt")
    start = props.find(W + "numStart")
    restart = props.find(W + "numRestart")
    try:
        first = int(start.get(W + "val")) if start is not None else inherited.start
    except (TypeError, ValueError):
        first = inherited.start
    return _Numbering(
        fmt=str(fmt.get(W + "val")) if fmt is not None else inherited.fmt,
        start=first,
        restart=str(restart.get(W + "val")) if restart is not None else inherited.restart,
    )


def _display_labels(story: _Story, settings: Element | None) -> list[tuple[str, int]]:
    """What Word displays for each reference, and its restart count (`Note.section`)."""
    defaults = {
        "footnote": _numbering(
            settings.find(W + "footnotePr") if settings is not None else None,
            _Numbering("decimal", 1, "continuous"),
        ),
        "endnote": _numbering(
            settings.find(W + "endnotePr") if settings is not None else None,
            _Numbering(_ENDNOTE_DEFAULT, 1, "continuous"),
        ),
    }
    counters: dict[str, int] = {}
    last_section: dict[str, int] = {}
    restarts: dict[str, int] = {"footnote": 0, "endnote": 0}
    labels: list[tuple[str, int]] = []
    for reference in story.references:
        kind = reference.kind
        section_props = (
            story.sections[reference.section] if reference.section < len(story.sections) else None
        )
        numbering = _numbering(
            section_props.find(W + kind + "Pr") if section_props is not None else None,
            defaults[kind],
        )
        if kind not in counters:
            counters[kind] = numbering.start
        elif numbering.restart == "eachSect" and last_section[kind] != reference.section:
            counters[kind] = numbering.start
            restarts[kind] += 1
        last_section[kind] = reference.section
        if reference.custom:
            labels.append((reference.label or "*", restarts[kind]))
            continue
        labels.append((format_number(counters[kind], numbering.fmt), restarts[kind]))
        counters[kind] += 1
    return labels
