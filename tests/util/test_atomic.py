"""Atomic writes: whole files only, and the permissions a person expects."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from citecheck.util.atomic import write_text_atomic


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_file_gets_the_umask_default_not_mkstemps_private_mode(
    tmp_path: Path, umask_022: None
) -> None:
    target = tmp_path / "report.html"
    write_text_atomic(target, "<html></html>")
    assert target.read_text(encoding="utf-8") == "<html></html>"
    assert mode(target) == 0o644


def test_replaced_file_keeps_its_mode(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "refs.bib"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_text_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert mode(target) == 0o640


def test_no_temporary_file_is_left_behind(tmp_path: Path) -> None:
    write_text_atomic(tmp_path / "a.txt", "x")
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]
