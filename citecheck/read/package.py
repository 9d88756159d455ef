"""Safe opening of zip packages (DOCX, ODT) and their XML parts, with bounded memory and time.

A hostile or damaged file must end in one `DocumentError` naming the file and the problem:
a zip that is not a zip, too many entries, a part that inflates past its cap (zip bomb),
XML that is malformed or declares a DTD (billion laughs, external entities). Sizes are
counted while inflating, never taken from the zip's own headers, which can lie.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from lxml import etree

from citecheck.read.model import DocumentError, NotedDocument
from citecheck.util.quoting import quoted

MAX_PACKAGE_BYTES = 64 * 1024 * 1024  # the file itself, as for a text
MAX_ENTRIES = 10_000  # a real DOCX has tens of parts; an ODT with images a few hundred
MAX_PART_BYTES = 64 * 1024 * 1024  # one part, inflated
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # every part read from one package, inflated
_CHUNK = 1024 * 1024
_DAMAGED = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, ValueError)

_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)

Element = Any  # lxml's _Element: typed loosely, lxml ships no stubs for mypy --strict


class PackageError(Exception):
    """What is wrong with a package, without the file name (the reader adds it)."""


@dataclass
class Package:
    """An open zip package; `read` inflates a part under the per-part and total caps."""

    path: Path
    archive: zipfile.ZipFile
    handle: BinaryIO
    inflated: int = 0

    def names(self) -> frozenset[str]:
        return frozenset(self.archive.namelist())

    def read(self, name: str) -> bytes | None:
        """The part's bytes, or None when the package has no such part."""
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            return None
        chunks: list[bytes] = []
        size = 0
        try:
            with self.archive.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    self.inflated += len(chunk)
                    if size > MAX_PART_BYTES:
                        raise PackageError(
                            f"part {name} inflates past {MAX_PART_BYTES // 2**20} MB (zip bomb?)"
                        )
                    if self.inflated > MAX_TOTAL_BYTES:
                        raise PackageError(
                            f"parts inflate past {MAX_TOTAL_BYTES // 2**20} MB in total (zip bomb?)"
                        )
                    chunks.append(chunk)
        except (*_DAMAGED, OSError) as error:  # OSError: a seek where a bad header points
            raise PackageError(f"damaged zip: part {name}: {_short(error)}") from None
        except NotImplementedError as error:  # an unsupported compression method
            raise PackageError(f"part {name}: {_short(error)}") from None
        except RuntimeError:  # zipfile's word for an encrypted entry
            raise PackageError(f"part {name} is encrypted (password-protected)") from None
        return b"".join(chunks)

    def xml(self, name: str) -> Element | None:
        """The part parsed as XML (see `parse_xml`), or None when there is no such part."""
        data = self.read(name)
        return None if data is None else parse_xml(data, name)

    def close(self) -> None:
        self.archive.close()
        self.handle.close()


def open_package(path: Path) -> Package:
    """Open a zip package after checking its size and entry count; PackageError otherwise."""
    try:
        size = path.stat().st_size
        handle = path.open("rb")
    except OSError as error:
        raise PackageError(f"cannot read: {error.strerror or error}") from None
    if size > MAX_PACKAGE_BYTES:
        handle.close()
        raise PackageError(
            f"file is {size // 2**20} MB, over the {MAX_PACKAGE_BYTES // 2**20} MB limit"
        )
    try:
        archive = zipfile.ZipFile(handle)
    except (*_DAMAGED, NotImplementedError, RuntimeError, OSError) as error:
        handle.close()  # OSError here: a seek to where a damaged header points
        raise PackageError(f"damaged zip: {_short(error)}") from None
    if len(archive.infolist()) > MAX_ENTRIES:
        archive.close()
        handle.close()
        raise PackageError(f"zip has more than {MAX_ENTRIES} entries")
    return Package(path, archive, handle)


def parse_xml(data: bytes, name: str) -> Element:
    """Parse one XML part with no DTD, no entities, no network and lxml's size limits on.

    Office parts never declare a DTD, so one that does is refused outright: that closes
    entity expansion (billion laughs) and external entities in one rule.
    """
    if _DTD.search(data):
        raise PackageError(f"XML part {name} declares a DTD or entities (refused)")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise PackageError(f"malformed XML in {name}: {_short(error)}") from None


def _short(error: BaseException) -> str:
    """An exception's message on one line, at most 200 characters."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:200]


def read_package(path: Path, read: Callable[[Path, Package], NotedDocument]) -> NotedDocument:
    """Open the package at `path`, read it with `read`, close it: any damage found on the way
    is one DocumentError naming the file."""
    try:
        package = open_package(path)
    except PackageError as error:
        raise DocumentError(f"{quoted(path)}: {error}") from None
    try:
        return read(path, package)
    except PackageError as error:
        raise DocumentError(f"{quoted(path)}: {error}") from None
    finally:
        package.close()
