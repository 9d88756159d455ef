"""File names in messages: plain names unchanged, any other shown escaped on one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from citecheck.util.quoting import one_line, quoted


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("notes/essay.txt", "notes/essay.txt"),
        ("Révision finale (v2).md", "Révision finale (v2).md"),
        ("a\n::error::pwned.txt", "'a\\n::error::pwned.txt'"),
        ("a\r\nb", "'a\\r\\nb'"),
        ("\x1b[2Kgone.txt", "'\\x1b[2Kgone.txt'"),
        ("line\u2028break", "'line\\u2028break'"),
        ("tab\there", "'tab\\there'"),
        (b"bad\xffname", "'bad\\udcffname'"),
        (Path("x\ny"), "'x\\ny'"),
    ],
)
def test_quoted(name: str | bytes | Path, shown: str) -> None:
    assert quoted(name) == shown
    assert "\n" not in quoted(name) and quoted(name).isprintable()


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("essay.txt: no such file", "essay.txt: no such file"),
        ("x: bad\n::error::y", "x: bad\\n::error::y"),
        ("\x1b]8;;http://evil/\x1b\\", "\\x1b]8;;http://evil/\\x1b\\"),
    ],
)
def test_one_line(message: str, shown: str) -> None:
    assert one_line(message) == shown
