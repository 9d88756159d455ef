"""`citecheck extract` end to end: the JSON contract, and bad input of every kind.

Bad input ends with a correct result or one line on stderr naming the file (exit 2),
never a traceback. Big inputs are generated in tmp_path, never committed.
"""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from citecheck.cli.main import main
from citecheck.read.document import MAX_DOCUMENT_BYTES
from tests.support.paths import REPO_ROOT

ROOT = REPO_ROOT
DOCUMENT_KEYS = {"path", "markers", "notes", "body_urls", "problems"}
NOTE_TEXT = (
    "Cybersécurité et cyberdéfense chinoise.1 Body text goes on,2 and on.\n"
    "\n"
    "1 Daniel Ventre, ‘Cybersécurité’ (2015), http://www.example.fr/cyber-\n"
    "defense.html.\n"
    "2 Ibid.\n"
)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["extract", *args])


def documents(result: Result) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert list(payload) == ["documents"]
    found: list[dict[str, Any]] = payload["documents"]
    for document in found:
        for note in document["notes"]:
            # Each note's works (issue 3) are checked in tests/export/test_bibtex_corpus.py; here
            # only the notes contract is compared.
            assert isinstance(note.pop("citations"), list)
    return found


def assert_one_line_error(result: Result, fragment: str) -> None:
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("citecheck: error: ")
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr


def test_default_corpus_json_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    found = documents(run("--format", "json"))
    assert [d["path"] for d in found] == sorted(
        str(Path("references") / p.name) for p in (ROOT / "references").glob("*.txt")
    )
    for document in found:
        assert set(document) == DOCUMENT_KEYS
        for note in document["notes"]:
            assert set(note) == {"number", "line", "text", "urls"}  # citations checked above
        for problem in document["problems"]:
            assert set(problem) == {"kind", "message", "note", "line"}
        for body_url in document["body_urls"]:
            assert set(body_url) == {"url", "line"}


def test_output_file_holds_the_same_json(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text(NOTE_TEXT, encoding="utf-8")
    printed = json.loads(run(str(source)).stdout)["documents"]
    target = tmp_path / "out" / "notes.json"
    target.parent.mkdir()
    result = run(str(source), "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["documents"] == printed


def expected_note_text(path: Path) -> dict[str, Any]:
    return {
        "path": str(path),
        "markers": [1, 2],
        "notes": [
            {
                "number": 1,
                "line": 3,
                "text": "Daniel Ventre, ‘Cybersécurité’ (2015), "
                "http://www.example.fr/cyber-defense.html.",
                "urls": ["http://www.example.fr/cyber-defense.html"],
            },
            {"number": 2, "line": 5, "text": "Ibid.", "urls": []},
        ],
        "body_urls": [],
        "problems": [],
    }


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1"])
def test_encodings_give_the_same_notes(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"{encoding}.txt"
    text = NOTE_TEXT.replace("‘", "'").replace("’", "'") if encoding == "latin-1" else NOTE_TEXT
    path.write_bytes(text.encode(encoding))
    expected = expected_note_text(path)
    if encoding == "latin-1":
        expected["notes"][0]["text"] = expected["notes"][0]["text"].replace("‘", "'")
        expected["notes"][0]["text"] = expected["notes"][0]["text"].replace("’", "'")
    assert documents(run(str(path))) == [expected]


def test_windows_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(NOTE_TEXT.replace("\n", "\r\n").encode("utf-8"))
    assert documents(run(str(path))) == [expected_note_text(path)]


def test_empty_file_is_an_empty_result(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert documents(run(str(path))) == [
        {"path": str(path), "markers": [], "notes": [], "body_urls": [], "problems": []}
    ]


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64, b"\x00\x01\x02\x03" * 1000],
    ids=["png", "nul-bytes"],
)
def test_binary_file_is_a_one_line_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "picture.txt"
    path.write_bytes(data)
    assert_one_line_error(run(str(path)), "picture.txt: binary file")


def test_missing_file_is_a_one_line_error(tmp_path: Path) -> None:
    assert_one_line_error(run(str(tmp_path / "nope.txt")), "nope.txt: no such file")


def test_one_bad_file_in_a_folder_is_one_warning_and_the_others_are_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(NOTE_TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "c.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "d.md").write_text("Text.[^1]\n\n[^1]: A note, https://example.org/d.\n")
    result = run(str(tmp_path))
    assert [Path(d["path"]).name for d in documents(result)] == ["a.txt", "d.md"]
    warnings = result.stderr.splitlines()
    assert len(warnings) == 2
    assert warnings[0].startswith("citecheck: warning: ") and "b.txt: binary file" in warnings[0]
    assert "c.docx: damaged zip" in warnings[1]
    assert "Traceback" not in result.stderr


def test_a_folder_where_nothing_can_be_read_exits_2(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_bytes(bytes(range(256)) * 8)
    result = run(str(tmp_path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "b.txt: binary file" in result.stderr
    assert result.stderr.splitlines()[-1] == (
        "citecheck: error: none of the 1 file(s) found could be read"
    )


def test_file_over_the_size_limit_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: no 64 MB written to disk
        handle.truncate(MAX_DOCUMENT_BYTES + 1)
    assert_one_line_error(run(str(path)), "huge.txt: file is 64 MB, over the 64 MB limit")


def test_single_five_megabyte_line(tmp_path: Path) -> None:
    path = tmp_path / "one-line.txt"
    line = "See www.example.org/a-b_c.d and the Convention 201022 on it.1 " * 80_000
    path.write_text(line[: 5 * 1024 * 1024], encoding="utf-8")
    (document,) = documents(run(str(path)))
    assert document["notes"] == []
    assert document["markers"] == [1]
    assert len(document["body_urls"]) == 80_000
    assert document["body_urls"][0] == {"url": "http://www.example.org/a-b_c.d", "line": 1}
    assert [p["kind"] for p in document["problems"]] == ["markers-without-notes"]


@pytest.mark.slow
def test_fifty_megabyte_file(tmp_path: Path) -> None:
    corpus = "".join(
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "references").glob("*.txt"))
    )
    copies = 50 * 1024 * 1024 // len(corpus.encode("utf-8")) + 1
    path = tmp_path / "fifty.txt"
    path.write_text(corpus * copies, encoding="utf-8")
    assert path.stat().st_size >= 50 * 1024 * 1024
    (document,) = documents(run(str(path)))
    # One long text: the first 107 notes are 000's; the later copies restart the
    # numbering, which the sequence rule reads as body text, not as new notes.
    assert [note["number"] for note in document["notes"]] == list(range(1, 108))
    assert document["notes"][106]["urls"] == [
        "http://csis.org/files/publication/100510_CICIR%20Speech.pdf"
    ]


def test_output_to_a_fifo_a_dash_and_a_symlink(tmp_path: Path) -> None:
    """`-o` writes a FIFO in place, `-` to stdout, and replaces a symlink's target (issue 14)."""
    text = tmp_path / "essay.txt"
    text.write_text(NOTE_TEXT, encoding="utf-8")
    to_stdout = run(str(text), "-o", "-")
    assert to_stdout.exit_code == 0 and documents(to_stdout)[0]["notes"]
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()), daemon=True)
    reader.start()
    assert run(str(text), "-o", str(fifo)).exit_code == 0
    reader.join(10)
    assert received and json.loads(received[0]) == json.loads(to_stdout.stdout)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    (tmp_path / "real.json").write_text("{}")
    (tmp_path / "link.json").symlink_to("real.json")
    assert run(str(text), "-o", str(tmp_path / "link.json")).exit_code == 0
    assert (tmp_path / "link.json").is_symlink()
    assert json.loads((tmp_path / "real.json").read_text()) == json.loads(to_stdout.stdout)
