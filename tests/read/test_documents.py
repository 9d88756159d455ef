"""Decoding and collecting input files: each row is bytes in, text or a named error out."""

from __future__ import annotations

import codecs
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
