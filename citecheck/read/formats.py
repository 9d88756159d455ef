"""Which reader reads a file: one row per format, chosen by the file's content and suffix.

Each reader is a function `Path -> NotedDocument` in its own module, imported only when a
file of its format is read, so that reading plain text never loads lxml or a PDF library.
Content decides first (a `.txt` that is really a PDF is read as a PDF); the suffix decides
between formats whose content looks alike (zip packages, XML, plain text).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from citecheck.read.model import DocumentError, NotedDocument
from citecheck.util.quoting import quoted

Reader = Callable[[Path], NotedDocument]


@dataclass(frozen=True)
class Format:
    """A file format citecheck reads: its name, its suffixes, and where its reader lives."""

    name: str
    suffixes: tuple[str, ...]
    reader: str  # "module:function", imported on first use


FORMATS: tuple[Format, ...] = (
    Format("text", (".txt",), "citecheck.read.plaintext:read_plain_text"),
    # .md: footnote syntax read by markdown-it; without any, the plain-text reader (markdown.py)
    Format("markdown", (".md", ".markdown"), "citecheck.read.markdown:read_markdown"),
    Format("docx", (".docx",), "citecheck.read.docx:read_docx"),
    Format("odt", (".odt",), "citecheck.read.odt:read_odt"),
    Format("html", (".html", ".htm", ".xhtml"), "citecheck.read.html:read_html"),
    Format("pdf", (".pdf",), "citecheck.read.pdf:read_pdf"),
    Format("latex", (".tex", ".latex"), "citecheck.read.latex:read_latex"),
)
HEAD_BYTES = 128  # enough for a zip's first entry name and an ODF package's mimetype
ODT_MIMETYPE = b"mimetypeapplication/vnd.oasis.opendocument.text"


def format_named(name: str) -> Format:
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    raise KeyError(name)


def supported_suffixes() -> frozenset[str]:
    """Every suffix a folder is searched for."""
    return frozenset(s for fmt in FORMATS for s in fmt.suffixes)


def sniff_format(path: Path, head: bytes) -> Format:
    """The format of a file from its first bytes, then its suffix; plain text by default."""
    suffix = path.suffix.lower()
    by_suffix = next((f for f in FORMATS if suffix in f.suffixes), None)
    by_content = _format_from_content(head, suffix)
    return by_content or by_suffix or format_named("text")


def _format_from_content(head: bytes, suffix: str) -> Format | None:
    names = {f.name for f in FORMATS}
    if head.startswith(b"%PDF-") and "pdf" in names:
        return format_named("pdf")
    if head.startswith(b"PK\x03\x04"):
        if head[30:].startswith(ODT_MIMETYPE) and "odt" in names:
            return format_named("odt")
        for name, suffixes in (("docx", (".docx",)), ("odt", (".odt",))):
            if suffix in suffixes and name in names:
                return format_named(name)
        if suffix in {".txt", ".md", ""}:
            raise DocumentError("zip archive of an unknown kind, not a text")
    return None


def read_noted(path: str | Path) -> NotedDocument:
    """Read one file of any supported format into its notes, or raise DocumentError."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError as error:
        raise DocumentError(f"{quoted(path)}: cannot read: {error.strerror or error}") from None
    try:
        fmt = sniff_format(path, head)
    except DocumentError as error:
        raise DocumentError(f"{quoted(path)}: {error}") from None
    return _reader(fmt)(path)


def _reader(fmt: Format) -> Reader:
    module_name, function = fmt.reader.split(":")
    reader: Reader = getattr(importlib.import_module(module_name), function)
    return reader
