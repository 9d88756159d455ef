"""Atomic file writes: a reader (or a crash) never sees half a file."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write `text` to a temporary file beside `path`, fsync it, then rename it over `path`.

    The result keeps the mode of the file it replaces, or gets the umask's default for a new
    file (mkstemp's private 0600 would make reports and .bib files unreadable to others).
    """
    with open_text_atomic(path) as handle:
        handle.write(text)


@contextlib.contextmanager
def open_text_atomic(path: str | Path) -> Iterator[TextIO]:
    """A text handle whose content replaces `path` atomically when the block ends without an
    error (as `write_text_atomic`, for writers that stream); on an error `path` is untouched."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp_path = _create_beside(directory, path.name)
    try:
        with contextlib.suppress(FileNotFoundError):  # a new file keeps open()'s mode
            os.fchmod(fd, path.stat().st_mode & 0o7777)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_path, path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def _create_beside(directory: Path, name: str) -> tuple[int, Path]:
    """A new, exclusively created temporary file; mode 0666 less the umask, as open() gives."""
    for _ in range(100):
        candidate = directory / f".{name}.{secrets.token_hex(6)}.tmp"
        try:
            return os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), candidate
        except FileExistsError:
            continue
    raise FileExistsError(f"{directory}: no free temporary name for {name}")
