"""Bad DOCX/ODT/HTML/Markdown input: one DocumentError line naming the file and the problem,
in bounded time and memory, never a traceback."""

from __future__ import annotations

import resource
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from citecheck.read import package
from citecheck.read.formats import read_noted
from citecheck.read.model import DocumentError
from tests.read.makefixtures import (
    BILLION_LAUGHS,
    WIKIPEDIA_HTML,
    docx,
    docx_with_document_xml,
    footnote_ref,
    many_entries,
    note_para,
    note_xml,
    para,
    run,
    zip_bomb,
)


def damaged_zip(path: Path) -> None:
    docx(path, [para(run("Text."))])
    data = bytearray(path.read_bytes())
    path.write_bytes(bytes(data[: len(data) // 2]))  # the central directory is cut off


def corrupt_member(path: Path) -> None:
    """The central directory is intact but a compressed part's bytes are garbage."""
    docx(path, [para(run("Text. " * 2000))])
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for index in range(start + 10, start + 60):
        data[index] ^= 0x5A
    path.write_bytes(bytes(data))


def not_a_zip(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)


def malformed_xml(path: Path) -> None:
    docx_with_document_xml(path, "<w:document><w:body><w:p>unclosed</w:document>")


def billion_laughs(path: Path) -> None:
    docx_with_document_xml(path, BILLION_LAUGHS)


def external_entity(path: Path) -> None:
    docx_with_document_xml(
        path,
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>',
    )


def no_document_part(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")


def odt_without_content(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")


def odt_bad_xml(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content>")


def encrypted_part(path: Path) -> None:
    docx(path, [para(run("Text."))])
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    for info in infos:  # set the "encrypted" flag in every local and central header
        data[info.header_offset + 6] |= 0x1
    central = data.find(b"PK\x01\x02")
    while central != -1:
        data[central + 8] |= 0x1
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))


CASES: list[tuple[str, str, Callable[[Path], None], str]] = [
    ("damaged zip", "cut.docx", damaged_zip, "damaged zip"),
    ("garbage inside a part", "garbled.docx", corrupt_member, "word/document.xml"),
    ("zip signature, no zip", "fake.docx", not_a_zip, "damaged zip"),
    ("malformed XML", "broken.docx", malformed_xml, "malformed XML in word/document.xml"),
    ("billion laughs", "lol.docx", billion_laughs, "declares a DTD or entities"),
    ("external entity", "xxe.docx", external_entity, "declares a DTD or entities"),
    ("no main part", "empty.docx", no_document_part, "not a Word document"),
    ("ODT without content.xml", "empty.odt", odt_without_content, "no content.xml"),
    ("ODT with malformed content", "bad.odt", odt_bad_xml, "malformed XML in content.xml"),
    ("encrypted part", "locked.docx", encrypted_part, "is encrypted (password-protected)"),
]


@pytest.mark.parametrize(("name", "filename", "make", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_bad_package_is_one_line_naming_the_file(
    tmp_path: Path, name: str, filename: str, make: Callable[[Path], None], fragment: str
) -> None:
    path = tmp_path / filename
    make(path)
    with pytest.raises(DocumentError) as caught:
        read_noted(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert fragment in message
    assert "\n" not in message


def test_zip_bomb_part_is_refused_at_the_cap(tmp_path: Path) -> None:
    """A 65 MB part of zeros (about 64 kB on disk) stops at the 64 MB cap, memory bounded."""
    path = zip_bomb(tmp_path / "bomb.docx", "word/document.xml", 65)
    assert path.stat().st_size < 1024 * 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with pytest.raises(DocumentError, match=r"bomb\.docx: part word/document\.xml inflates past"):
        read_noted(path)
    assert time.monotonic() - started < 10
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 200 * 1024  # the parts read so far, never an unbounded amount


def test_total_inflated_size_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package, "MAX_TOTAL_BYTES", 3 * 1024 * 1024)
    path = tmp_path / "many-parts.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "word/document.xml",
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            + b" " * (2 * 1024 * 1024)
            + b"<w:body/></w:document>",
        )
        archive.writestr(
            "word/_rels/document.xml.rels", b"<R>" + b" " * (2 * 1024 * 1024) + b"</R>"
        )
    with pytest.raises(DocumentError, match="inflate past 3 MB in total"):
        read_noted(path)


def test_too_many_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package, "MAX_ENTRIES", 50)
    path = many_entries(tmp_path / "crowd.odt", 51)
    with pytest.raises(DocumentError, match=r"crowd\.odt: zip has more than 50 entries"):
        read_noted(path)


@pytest.mark.parametrize("suffix", [".docx", ".odt", ".html"])
def test_huge_file_is_refused_before_reading(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"huge{suffix}"
    with path.open("wb") as handle:  # sparse: nothing written to disk
        handle.truncate(package.MAX_PACKAGE_BYTES + 1)
    with pytest.raises(DocumentError, match=r"huge\.\w+: file is 64 MB, over the 64 MB limit"):
        read_noted(path)


def test_deeply_nested_html_is_read_in_bounded_time(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_text("<div>" * 100_000 + "text" + "</div>" * 100_000, encoding="utf-8")
    started = time.monotonic()
    try:
        read_noted(path)
    except DocumentError as error:
        assert str(error).startswith(f"{path}: ")
    assert time.monotonic() - started < 10


def test_binary_markdown_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_bytes(bytes(range(256)) * 16)
    with pytest.raises(DocumentError, match=r"notes\.md: binary file"):
        read_noted(path)


fn_xml = note_xml("footnote", 1, note_para(run(" A note, https://example.org/x.")))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 255)), max_size=8))
@example(flips=[(27864, 64)])  # found by this test: "zip file version 8.4" (NotImplementedError)
@example(flips=[(815230, 1)])  # found by this test: a seek to a negative offset (OSError)
def test_any_damage_to_a_docx_is_a_result_or_one_line(
    tmp_path: Path, flips: list[tuple[int, int]]
) -> None:
    path = tmp_path / "mutated.docx"
    docx(path, [para(run("A claim."), footnote_ref(1))], footnotes=[fn_xml])
    data = bytearray(path.read_bytes())
    for offset, mask in flips:
        data[offset % len(data)] ^= mask
    path.write_bytes(bytes(data))
    try:
        read_noted(path)
    except DocumentError as error:
        assert str(error).startswith(f"{path}: ")
        assert "\n" not in str(error)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(href=st.text(max_size=40), body=st.text(max_size=200))
@example(href="http://[x#cite_note-1", body="")  # found by fuzzing: urldefrag's ValueError
def test_any_html_is_a_result_or_one_line(tmp_path: Path, href: str, body: str) -> None:
    path = tmp_path / "page.html"
    page = WIKIPEDIA_HTML.replace("#cite_note-3", href.replace('"', "")).replace("A fact.", body)
    path.write_text(page, encoding="utf-8", errors="surrogatepass")
    try:
        read_noted(path)
    except DocumentError as error:
        assert "\n" not in str(error)


def test_many_links_to_one_big_block_take_linear_time(tmp_path: Path) -> None:
    """20 000 links to `#content`, a block with 20 000 links of its own: one pass over it."""
    count = 20_000
    page = (
        "<html><body><nav>"
        + "".join(f'<a href="#content">{i}</a>' for i in range(count))
        + '</nav><div id="content">'
        + "".join(f'<p><a href="#s{i}">y</a></p>' for i in range(count))
        + "</div>"
        + "".join(f'<h2 id="s{i}">h</h2>' for i in range(count))
        + "</body></html>"
    )
    path = tmp_path / "links.html"
    path.write_text(page, encoding="utf-8")
    started = time.process_time()
    assert read_noted(path).notes == ()
    assert time.process_time() - started < 15


def test_markdown_with_a_flood_of_inline_note_openers_is_refused_quickly(tmp_path: Path) -> None:
    """The footnote plugin is quadratic in `^[` per paragraph; such a file is one line."""
    path = tmp_path / "carets.md"
    path.write_text("^[" * 20_000 + "]" * 20_000 + "\n", encoding="utf-8")
    started = time.process_time()
    with pytest.raises(DocumentError, match=r"carets\.md: too many inline notes"):
        read_noted(path)
    assert time.process_time() - started < 2


def test_many_inline_notes_in_ordinary_paragraphs_are_read(tmp_path: Path) -> None:
    path = tmp_path / "many.md"
    path.write_text(
        "".join(f"Paragraph {i} with a note.^[Note {i}.] And text.\n\n" for i in range(3000)),
        encoding="utf-8",
    )
    assert len(read_noted(path).notes) == 3000
