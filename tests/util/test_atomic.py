"""Atomic writes: whole files only, and the permissions a person expects."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from citecheck.util.atomic import WriteError, write_text_atomic
from tests.support.unprivileged import run_unprivileged, shared_folder


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


# Special files (issue 14, item 2): only regular files are replaced; the rest are written
# the way a shell's `>` writes them, and every failure is one line naming the path.


def test_a_fifo_is_written_through_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()), daemon=True)
    reader.start()
    write_text_atomic(fifo, "report\n")
    reader.join(5)
    assert received == ["report\n"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


@pytest.mark.skipif(os.geteuid() != 0, reason="creating a character device needs root")
def test_a_character_device_is_written_through_not_replaced(tmp_path: Path) -> None:
    device = tmp_path / "null"
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a private /dev/null
    write_text_atomic(device, "report\n")
    assert stat.S_ISCHR(device.lstat().st_mode)
    assert device.read_text() == ""
    assert [p.name for p in tmp_path.iterdir()] == ["null"]


@pytest.fixture
def dev_null_guard() -> Iterator[None]:
    """Put the machine's /dev/null back should a regression replace it (as root it could)."""
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    try:
        yield
    finally:
        if not stat.S_ISCHR(os.lstat("/dev/null").st_mode) and os.geteuid() == 0:
            os.unlink("/dev/null")
            os.mknod("/dev/null", stat.S_IFCHR | 0o666, os.makedev(1, 3))
            os.chmod("/dev/null", 0o666)


def test_dev_null_stays_a_character_device(dev_null_guard: None) -> None:
    write_text_atomic("/dev/null", "report\n")
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_a_dash_means_standard_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_text_atomic("-", "report\n")
    assert capsys.readouterr().out == "report\n"
    assert list(tmp_path.iterdir()) == []


def test_a_symlink_is_followed_and_its_target_replaced(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target.name)
    write_text_atomic(link, "new")
    assert link.is_symlink() and os.readlink(link) == "real.json"
    assert target.read_text() == "new"
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to("made.json")
    write_text_atomic(dangling, "made")
    assert dangling.is_symlink() and (tmp_path / "made.json").read_text() == "made"


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p.mkdir(), "it is a folder"),
        (lambda p: None, "no such folder"),
        (lambda p: (p.symlink_to(p.name), None), "a symbolic link loop"),
    ],
    ids=["folder", "missing-folder", "symlink-loop"],
)
def test_unwritable_paths_are_one_line_errors(
    tmp_path: Path, make: Callable[[Path], object], reason: str
) -> None:
    path = tmp_path / "out.json"
    make(path)
    if reason == "no such folder":
        path = tmp_path / "missing" / "out.json"
    with pytest.raises(WriteError) as caught:
        write_text_atomic(path, "x")
    assert str(caught.value) == f"{path}: cannot write: {reason}"


def test_a_full_disk_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.txt"
    target.write_text("the old report\n")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(WriteError, match=r"report\.txt: cannot write: No space left on device"):
        write_text_atomic(target, "the new report\n" * 1000)
    assert target.read_text() == "the old report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def test_a_folder_that_is_not_writable_is_one_line() -> None:
    # Root ignores a folder's mode: the write runs as `nobody` when the suite runs as root.
    base = shared_folder()
    try:
        locked = base / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        snippet = (
            "import sys\n"
            "try:\n    write_text_atomic(sys.argv[1], 'x')\n"
            "except WriteError as error:\n    print(error)\n"
        )
        warm_up = "from citecheck.util.atomic import WriteError, write_text_atomic"
        done = run_unprivileged(snippet, str(locked / "out.json"), warm_up=warm_up)
        assert done.stdout == (
            f"{locked / 'out.json'}: cannot write: folder {locked} is not writable\n"
        ), done.stderr
        assert list(locked.iterdir()) == []
    finally:
        (base / "locked").chmod(0o755)
        shutil.rmtree(base)
