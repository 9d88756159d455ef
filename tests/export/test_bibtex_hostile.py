"""BibTeX that citecheck writes reads back and compiles whatever the fields hold.

Rows are values that broke the writer before (found by bench/fuzz_bibtex.py) or that
are known traps: a lone brace (`\\{` unbalances a field for BibTeX and biber, which count
braces regardless of backslashes), a backslash or brace at the end of a URL, a line that
starts with `@` (bibtexparser reads it as a new entry), control characters, comment and
string-concatenation characters. Each is written into every kind of field (plain, name,
URL); bibtexparser must read back exactly what was written, braces must balance when
counted the way BibTeX counts them, and where biber and bibtex are installed they must
process the file without an error and keep every entry.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from citecheck.cite.citation import Citation
from citecheck.export.bibtex import (
    Style,
    build_library,
    entry_fields,
    escaped,
    read_bibtex,
    write_bibtex,
)
from citecheck.read.model import Place

HOSTILE_VALUES = [
    "a lone { brace",
    "a lone } brace",
    "}{ inverted",
    "{{{ deep",
    "ends in a backslash \\",
    "\\textbf{not a command}",
    "line\n@misc{evil, title = {injected}}",
    "line\n@(b",
    "inline @{x",
    "50% of $5 & #1 in_depth ~ ^",
    "controls \x00\x01\x1b\x7f and \u2028 separators \x85",
    'title = {x}, author = "y"',
    "“Curly” é 国务院新闻办公室",
]
PLACE = Place("hostile.txt", 1, 1)


def citation(key: str, value: str, entry_type: str = "online") -> Citation:
    url = "http://x.org/" + value
    fields = {
        "author": f"{{{value}}} and Doe, {value}",
        "title": value,
        "note": value,
        "location": value,
        "date": "2015",
        "url": url,
    }
    return Citation(key=key, type=entry_type, fields=fields, place=PLACE, raw=value, urls=(url,))


def hostile_works() -> list[Citation]:
    works = [citation(f"hostile{n}", value) for n, value in enumerate(HOSTILE_VALUES)]
    return [*works, citation("sentinel", "the last entry must survive")]


def literal_braces_balance(text: str) -> bool:
    """BibTeX's rule: every `{` (escaped or not) closes, none closes before it opens."""
    depth = 0
    for char in text:
        depth += (char == "{") - (char == "}")
        if depth < 0:
            return False
    return depth == 0


@pytest.mark.parametrize("style", list(Style))
@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_a_hostile_value_reads_back_exactly_as_written(value: str, style: Style) -> None:
    work = citation("k", value)
    text = write_bibtex([work], style)
    assert literal_braces_balance(text), text
    library = read_bibtex(text)
    assert not library.failed_blocks
    assert [entry.key for entry in library.entries] == ["k"]
    written = build_library([work], style).entries[0]
    read_back = {field.key: field.value for field in library.entries[0].fields}
    assert read_back == {field.key: field.value for field in written.fields}
    meant = entry_fields(work, style)
    assert set(read_back) == set(meant)
    for name, plain in meant.items():
        assert escaped(name, plain) in read_back[name]  # classic titles gain {…} only


def test_every_entry_of_a_hostile_file_survives() -> None:
    text = write_bibtex(hostile_works())
    keys = [entry.key for entry in read_bibtex(text).entries]
    assert keys == [work.key for work in hostile_works()]


def _require(*programs: str) -> None:
    missing = [p for p in programs if shutil.which(p) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} absent; .ci/run installs the LaTeX toolchain")


def test_biber_reads_every_hostile_entry(tmp_path: Path) -> None:
    _require("biber")
    (tmp_path / "hostile.bib").write_text(write_bibtex(hostile_works()), encoding="utf-8")
    done = subprocess.run(
        ["biber", "--tool", "--validate-datamodel", "-O", "out.bib", "hostile.bib"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert not [line for line in output.splitlines() if "ERROR" in line], output
    written = (tmp_path / "out.bib").read_text(encoding="utf-8")
    assert written.lower().count("@online{") == len(hostile_works())


def test_classic_bibtex_reads_every_hostile_entry(tmp_path: Path) -> None:
    _require("bibtex")
    (tmp_path / "hostile.bib").write_text(
        write_bibtex(hostile_works(), Style.BIBTEX), encoding="utf-8"
    )
    (tmp_path / "doc.aux").write_text("\\citation{*}\n\\bibstyle{plain}\n\\bibdata{hostile}\n")
    done = subprocess.run(
        ["bibtex", "doc"], cwd=tmp_path, capture_output=True, text=True, timeout=240, check=False
    )
    output = done.stdout + done.stderr
    assert "error message" not in output, output
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8", errors="replace")
    assert bbl.count("\\bibitem") == len(hostile_works())
