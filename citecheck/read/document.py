"""Stage 1: documents. Find the input files and decode them into text.

Everything downstream works on `Document.text`, so this is where bad input
(binary files, odd encodings, oversized files) is turned into one clear
`DocumentError` that names the file, instead of a traceback later on.
"""

from __future__ import annotations

import codecs
import errno
import stat
from collections.abc import Iterable
from pathlib import Path

from citecheck.read.formats import supported_suffixes
from citecheck.read.model import Document, DocumentError
from citecheck.util.quoting import quoted

DEFAULT_CORPUS = Path("references")
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024


def collect_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders into the files citecheck reads (sorted); default to the bundled corpus.

    Raises DocumentError for a path that does not exist, so a typo is not a silent no-op.
    """
    suffixes = supported_suffixes()
    given = [Path(p) for p in paths] or [DEFAULT_CORPUS]
    found: list[Path] = []
    for path in given:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in suffixes)
            )
        elif path.is_file():
            found.append(path)
        else:
            raise DocumentError(f"{quoted(path)}: {_not_a_text(path)}")
    return found


_SPECIAL = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
            (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))  # fmt: skip


def _not_a_text(path: Path) -> str:
    """What `path` is, for a path that is neither a file nor a folder."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "a symbolic link to nothing" if path.is_symlink() else "no such file or folder"
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "a symbolic link loop"
        return f"cannot read: {error.strerror or error}"
    kind = next((name for test, name in _SPECIAL if test(mode)), "not a regular file")
    return f"{kind}, not a file or folder"


def read_document(path: str | Path) -> Document:
    """Read and decode one file, or raise DocumentError saying why it is not a text."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise DocumentError(
                f"{quoted(path)}: file is {size // (1024 * 1024)} MB, over the "
                f"{MAX_DOCUMENT_BYTES // (1024 * 1024)} MB limit for a text"
            )
        data = path.read_bytes()
    except OSError as error:
        raise DocumentError(f"{quoted(path)}: cannot read: {error.strerror or error}") from None
    text, encoding = decode_text(data, name=str(path))
    return Document(path=str(path), text=normalise_newlines(text), encoding=encoding)


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16/32 with a BOM, or Latin-1 text.

    Latin-1 is the last resort because every byte string decodes as Latin-1: we only
    accept it when the result looks like text (no NULs, few control characters).
    """
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as error:
                raise DocumentError(
                    f"{quoted(name)}: invalid {encoding} at byte {error.start}"
                ) from None
    if b"\x00" in data:
        guessed = _guess_bomless_utf16(data)
        if guessed is None:
            raise DocumentError(f"{quoted(name)}: binary file (contains NUL bytes), not a text")
        return guessed
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "latin-1"
    if _control_ratio(text) > 0.01:
        raise DocumentError(f"{quoted(name)}: binary file (control characters), not a text")
    return text, encoding


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _guess_bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM shows as NULs in every other byte of ASCII-heavy text."""
    sample = data[:4096]
    if len(sample) < 2:
        return None
    even_nuls = sample[0::2].count(0) / len(sample[0::2])
    odd_nuls = sample[1::2].count(0) / max(1, len(sample[1::2]))
    encoding = "utf-16-le" if odd_nuls > 0.3 > even_nuls else None
    if even_nuls > 0.3 > odd_nuls:
        encoding = "utf-16-be"
    if encoding is None:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return (text, encoding) if _control_ratio(text) <= 0.01 else None


def _control_ratio(text: str) -> float:
    sample = text[:65536]
    if not sample:
        return 0.0
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    controls += sum(1 for ch in sample if 0x7F <= ord(ch) < 0xA0)
    return controls / len(sample)
