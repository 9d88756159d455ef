"""A malformed .bib given to `check` yields one problem per broken entry, not a crash, and
every url it holds is still checked (one-line entries included)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.probe.links import bib_problems, urls_of_bib_file
from citecheck.read.model import DocumentError
from tests.support.paths import REPO_ROOT

ROOT = REPO_ROOT
MALFORMED = (
    "@misc{fine, title = {Fine}, url = {http://a.example/one-line}}\n"
    "@misc{unclosed, title = {never closed,\n"
    "  url = {http://b.example/}\n"
    "@misc{nocomma title = x}\n"
    "@article{good,\n"
    "  url = {http://c.example/own-line},\n"
    "}\n"
    "@@@ garbage {{{\n"
)


def test_each_broken_entry_is_one_problem_with_its_line(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(MALFORMED)
    problems = bib_problems(bib)
    assert [p.split(": ", 1)[0] for p in problems] == [f"{bib}:2", f"{bib}:4"]
    assert all("entry not readable" in p for p in problems)


def test_every_url_is_still_read(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(MALFORMED)
    found = [(cited.url, cited.place.line) for cited in urls_of_bib_file(bib)]
    assert found == [
        ("http://a.example/one-line", 1),
        ("http://b.example/", 3),
        ("http://c.example/own-line", 6),
    ]


def test_check_reports_the_problems_and_goes_on(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(MALFORMED)
    done = subprocess.run(
        [sys.executable, "-m", "citecheck", "check", str(bib), "--offline", "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in done.stderr
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "entry not readable" in line]
    assert len(warnings) == 2
    assert "Parsing of" not in done.stderr  # bibtexparser's own log lines stay quiet
    assert len(json.loads(done.stdout)["links"]) == 3


BIB_FRAGMENTS = [
    "@misc{", "@article(", "k,", "url = {", "url=\"", "http://x.org/", "}", ")", "{", "\"",
    ",", "\n", " ", "title = ", "@", "%", "\\", "=", "@comment{", "@string{a = \"b\"}", "#",
]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(st.sampled_from(BIB_FRAGMENTS)).map("".join)))
def test_any_text_as_a_bib_gives_urls_and_problems_never_a_crash(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        bib = Path(folder) / "fuzz.bib"
        bib.write_text(text, encoding="utf-8")
        try:
            urls_of_bib_file(bib)
            problems = bib_problems(bib)
        except DocumentError as error:
            assert "\n" not in str(error)
            return
    assert all(problem.startswith(str(bib)) for problem in problems)
