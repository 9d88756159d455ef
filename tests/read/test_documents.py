"""Decoding and collecting input files: each row is bytes in, text or a named error out."""

from __future__ import annotations

import codecs
import os
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from citecheck.read.document import collect_paths, decode_text, read_document
from citecheck.read.model import DocumentError

TEXT = "Nigel Inkster, “China’s Cyber Power,” 2016 — 国务院新闻办公室\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("utf-32"), "utf-32"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_unicode_encodings_decode_to_the_same_text(data: bytes, encoding: str) -> None:
    assert decode_text(data, name="x.txt") == (TEXT, encoding)


def test_latin1_text_is_read_as_latin1() -> None:
    data = "Cybersécurité et cyberdéfense chinoise: évolutions\n".encode("latin-1")
    assert decode_text(data, name="x.txt") == (
        "Cybersécurité et cyberdéfense chinoise: évolutions\n",
        "latin-1",
    )


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 8,
        b"\x89PNG\r\n\x1a\n" + bytes(200),
        b"\x7fELF\x02\x01\x01" + bytes(range(1, 32)) * 50,
    ],
    ids=["all-bytes", "png", "control-characters"],
)
def test_binary_data_is_a_named_error(data: bytes) -> None:
    with pytest.raises(DocumentError, match=r"^img\.bin: binary file"):
        decode_text(data, name="img.bin")


def test_read_document_normalises_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"one\r\ntwo\rthree\n")
    assert read_document(path).text == "one\ntwo\nthree\n"


def test_empty_file_is_an_empty_document(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert read_document(path).text == ""


def test_missing_path_is_a_named_error(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match=r"nope\.txt: no such file"):
        collect_paths([tmp_path / "nope.txt"])


def test_folder_yields_its_texts_sorted(tmp_path: Path) -> None:
    for name in ("b.md", "a.txt", "c.xyz", "d.pdf", "e.tex", "f.latex"):
        (tmp_path / name).write_text("x")
    names = [p.name for p in collect_paths([tmp_path])]
    assert names == ["a.txt", "b.md", "d.pdf", "e.tex", "f.latex"]


def test_default_corpus_is_the_five_bundled_texts() -> None:
    names = [p.name for p in collect_paths([])]
    assert len(names) == 5
    assert names[0].startswith("000_") and names[-1].startswith("004_")


def _loop(path: Path) -> None:
    path.symlink_to(path.name)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()


def _dangling(path: Path) -> None:
    path.symlink_to("gone.txt")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda path: None, "no such file or folder"),
        (_loop, "a symbolic link loop"),
        (_fifo, "a FIFO (named pipe), not a file or folder"),
        (_socket, "a socket, not a file or folder"),
        (_dangling, "a symbolic link to nothing"),
    ],
    ids=["missing", "symlink-loop", "fifo", "socket", "dangling-symlink"],
)
def test_a_path_given_directly_says_what_it_is(
    tmp_path: Path, make: Callable[[Path], None], message: str
) -> None:
    """Issue 14, item 13: not every path that is no file is missing."""
    path = tmp_path / "essay.txt"
    make(path)
    with pytest.raises(DocumentError) as caught:
        collect_paths([path])
    assert str(caught.value) == f"{path}: {message}"


def test_a_character_device_given_directly_says_so() -> None:
    with pytest.raises(DocumentError, match=r"^/dev/null: a character device, not a file"):
        collect_paths(["/dev/null"])
