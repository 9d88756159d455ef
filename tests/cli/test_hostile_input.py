"""Unusable input of every kind ends in one line and exit status 2, never a traceback
(issue 14, item 8): each row builds its input in tmp_path and names what stderr must say."""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from citecheck.cli.main import main
from citecheck.probe.cache import ObservationCache
from citecheck.probe.observation import Observation

ESSAY = (
    "Cybersécurité et cyberdéfense chinoise.1 Body text goes on,2 and on.\n"
    "\n"
    "1 Daniel Ventre, ‘Cybersécurité’ (Paris: Hermès, 2015), "
    "http://www.example.fr/cyber-defense.html.\n"
    "2 Ibid.\n"
)
URL = "http://www.example.fr/cyber-defense.html"

Setup = Callable[[Path], list[str]]


def essay(tmp: Path) -> str:
    path = tmp / "essay.txt"
    path.write_text(ESSAY, encoding="utf-8")
    return str(path)


def bib_dir_with(name: str, content: bytes | None) -> Setup:
    """A --bib-dir holding `name` as a file with `content`, or as a folder (None); a
    `.generated` file gets a valid essay.bib beside it."""

    def setup(tmp: Path) -> list[str]:
        folder = tmp / "bib"
        folder.mkdir()
        if name.endswith(".generated"):
            (folder / "essay.bib").write_text("@book{x, title={X}}\n", encoding="utf-8")
        if content is None:
            (folder / name).mkdir()
        else:
            (folder / name).write_bytes(content)
        return ["extract", essay(tmp), "--bib-dir", str(folder)]

    return setup


def cache_row(data: str) -> Setup:
    def setup(tmp: Path) -> list[str]:
        urls = tmp / "urls.txt"
        urls.write_text(URL + "\n", encoding="utf-8")
        with ObservationCache(tmp / "cache") as cache:
            cache.record(URL, Observation(url=URL, checked_at="2026-12-01T00:00:00Z", status=200))
        with sqlite3.connect(tmp / "cache" / "observations.sqlite3") as db:
            db.execute("UPDATE observations SET data = ?", (data,))
        return ["check", "--urls", str(urls), "--cache", str(tmp / "cache"), "--offline"]

    return setup


def config_with(text: str, name: str = "citecheck.toml") -> Setup:
    def setup(tmp: Path) -> list[str]:
        (tmp / name).write_text(text, encoding="utf-8")
        return ["audit", essay(tmp), "--offline", "--cache", str(tmp / "c"),
                "--config", str(tmp / name)]  # fmt: skip

    return setup


def check_with(*options: str) -> Setup:
    def setup(tmp: Path) -> list[str]:
        return ["check", "--urls", essay(tmp), "--no-cache", *options]

    return setup


CASES: dict[str, tuple[Setup, str]] = {
    "bib-dir-missing": (
        lambda tmp: ["extract", essay(tmp), "--bib-dir", str(tmp / "nope")],
        "nope: no such folder (--bib-dir)",
    ),
    "output-folder-missing": (
        lambda tmp: ["extract", essay(tmp), "-o", str(tmp / "missing" / "out.json")],
        "out.json: cannot write: no such folder",
    ),
    "output-onto-a-folder": (
        lambda tmp: ["extract", essay(tmp), "-o", str(tmp)],
        ": cannot write: it is a folder",
    ),
    "bib-is-a-folder": (bib_dir_with("essay.bib", None), "essay.bib: the .bib is a folder"),
    "bib-latin-1": (
        bib_dir_with("essay.bib", "@book{x, title={Café}}\n".encode("latin-1")),
        "essay.bib: the .bib is not UTF-8 text (byte 0xe9 at offset 19)",
    ),
    "bib-random-bytes": (
        bib_dir_with("essay.bib", bytes(range(256))[::-1] * 8),
        "essay.bib: the .bib is not UTF-8 text (byte 0xff at offset 0)",
    ),
    "generated-not-utf-8": (
        bib_dir_with(".essay.bib.generated", b"\xff\xfe junk"),
        ".essay.bib.generated: citecheck's record of the last .bib is not UTF-8 text",
    ),
    "generated-corrupt": (
        bib_dir_with(".essay.bib.generated", b"@book{x, title={oops"),
        ".essay.bib.generated: entries at line(s) 1 cannot be read; delete it",
    ),
    "cache-row-null": (cache_row("null"), "cannot read: a row holds 'null', not an observation"),
    "cache-row-list": (cache_row("[]"), "cannot read: a row holds '[]', not an observation"),
    "config-days-1e10": (
        config_with("[flapping]\nmin-days = 1e10\n"),
        "flapping.min-days: must be a number of days from 0 to 36525",
    ),
    "config-days-inf": (
        config_with("[flapping]\nmin-days = inf\n"),
        "flapping.min-days: must be a number of days from 0 to 36525",
    ),
    "config-days-nan": (
        config_with("[flapping]\nmin-days = nan\n"),
        "flapping.min-days: must be a number of days from 0 to 36525",
    ),
    "config-timeout-nan": (
        config_with("timeout = nan\n"),
        "timeout: must be a number of seconds from 0.01 to 86400",
    ),
    "config-tool-citecheck-5": (
        config_with("[tool]\ncitecheck = 5\n", "pyproject.toml"),
        "pyproject.toml: [tool.citecheck] must be a table",
    ),
    "max-age-huge": (check_with("--max-age", "99999999999d"), "is longer than 100 years"),
    "timeout-nan": (check_with("--timeout", "nan"), "'nan' is not a number"),
    "timeout-inf": (check_with("--timeout", "inf"), "--timeout"),
    "user-agent-crlf": (
        check_with("--user-agent", "citecheck\r\nX-Injected: 1"),
        "--user-agent: must not hold control characters",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_unusable_input_is_one_line_and_exit_2(tmp_path: Path, case: str) -> None:
    setup, message = CASES[case]
    result = CliRunner().invoke(main, setup(tmp_path))
    assert result.exit_code == 2, (result.output, result.exception)
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert any(message in line for line in lines), result.stderr
    if lines[-1].startswith("citecheck: error:"):
        assert len(lines) == 1, result.stderr


def test_a_disk_that_fills_leaves_the_old_report_and_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = tmp_path / "report.txt"
    args = ["audit", essay(tmp_path), "--offline", "--cache", str(tmp_path / "c"),
            "-o", str(report)]  # fmt: skip
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    old_report = report.read_text(encoding="utf-8")
    state = tmp_path / "c" / "audit-state.json"
    old_state = state.read_bytes() if state.exists() else None
    before = sorted(p.name for p in tmp_path.rglob("*"))

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    result = CliRunner().invoke(main, [*args, "--since-last"])
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1
    assert "cannot write: No space left on device" in result.stderr
    assert report.read_text(encoding="utf-8") == old_report
    assert (state.read_bytes() if state.exists() else None) == old_state
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # no temporary files


HOSTILE_NAME = "a\n::error file=x::pwned\x1b[2K.txt"


def hostile_binary(tmp: Path) -> list[str]:
    path = tmp / HOSTILE_NAME
    path.write_bytes(b"\x00\x01" * 100)
    return ["extract", str(path)]


def hostile_bib_dir(tmp: Path) -> list[str]:
    (tmp / "essay.bib").mkdir()
    return ["extract", essay(tmp), "--bib-dir", str(tmp / HOSTILE_NAME)]


NAMED_CASES: dict[str, Setup] = {
    "missing-text": lambda tmp: ["extract", str(tmp / HOSTILE_NAME)],
    "binary-text": hostile_binary,
    "missing-url-file": lambda tmp: ["check", "--no-cache", "--urls", str(tmp / HOSTILE_NAME)],
    "output-folder-missing": lambda tmp: [
        "extract",
        essay(tmp),
        "-o",
        str(tmp / HOSTILE_NAME / "out.json"),
    ],
    "missing-config": lambda tmp: [
        "audit",
        essay(tmp),
        "--offline",
        "--no-cache",
        "--config",
        str(tmp / HOSTILE_NAME),
    ],
    "bib-dir-missing": hostile_bib_dir,
}


@pytest.mark.parametrize("case", list(NAMED_CASES))
def test_a_hostile_file_name_stays_inside_one_line(tmp_path: Path, case: str) -> None:
    """A name holding a newline and a workflow command (issue 14, item 10) is shown escaped:
    the error is one line, and no line of stderr starts a GitHub workflow command."""
    result = CliRunner().invoke(main, NAMED_CASES[case](tmp_path))
    assert result.exit_code == 2, (result.output, result.exception)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("citecheck: error: ")
    assert "\\n::error file=x::pwned\\x1b[2K.txt" in lines[0]
    assert "\x1b" not in result.stderr
