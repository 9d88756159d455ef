"""Safe file writes: a reader (or a crash, or a full disk) never sees half a file, and a
path that is not a regular file is written the way a shell's `>` would write it.

Atomic replacement (a temporary file beside the target, renamed over it) is only for
regular files and new files. A character device (`/dev/stdout`, `/dev/null`) or a FIFO
is written straight through: renaming over it would turn the device into a plain file
(as root, `/dev/null` itself). `-` means standard output. A symbolic link is followed
and its target replaced, so the link survives. Every failure is a `WriteError` whose
text is one line naming the path and the reason.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

from citecheck.util.quoting import quoted

_REASONS = {
    errno.ENOENT: "no such folder",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EISDIR: "it is a folder",
    errno.ELOOP: "a symbolic link loop",
}


class WriteError(OSError):
    """A file that could not be written; `str()` is one line naming it and the reason."""

    def __str__(self) -> str:
        return str(self.strerror)


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write `text` to `path`; see `write_chunks_atomic`."""
    write_chunks_atomic(path, (text,))


def write_chunks_atomic(path: str | Path, chunks: Iterable[str]) -> None:
    """Write the text `chunks` make up to `path` as UTF-8: atomically for a regular (or
    new) file, straight through for a device or FIFO, to stdout for `-`. The chunks are
    written as they come, so a large output (a streamed JSON encoding) is never held
    whole in memory.

    An atomic write goes to a temporary file beside the target, is fsynced, then renamed
    over it; on any failure (a full disk included) the temporary file is removed and the
    old file is left as it was. The result keeps the mode of the file it replaces, or gets
    the umask's default for a new file (mkstemp's private 0600 would make reports and .bib
    files unreadable to others).
    """
    if os.fspath(path) == "-":
        for chunk in chunks:
            sys.stdout.write(chunk)
        sys.stdout.flush()
        return
    shown = Path(path)
    target = Path(os.path.realpath(shown))  # a symlink's target is what gets replaced
    try:
        mode: int | None = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise _failure(shown, error) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise _failure(shown, IsADirectoryError(errno.EISDIR, "is a folder"))
    try:
        if mode is None or stat.S_ISREG(mode):
            _replace(target, chunks, mode)
        else:
            _write_through(target, chunks)
    except WriteError:
        raise
    except OSError as error:
        raise _failure(shown, error) from None


def _replace(target: Path, chunks: Iterable[str], mode: int | None) -> None:
    """Rename a complete, fsynced temporary copy over `target` (which keeps its mode)."""
    directory = target.parent
    try:
        fd, tmp_path = _create_beside(directory, target.name)
    except OSError as error:
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            message = f"folder {quoted(directory)} is not writable"
            raise _FolderNotWritable(error.errno, message) from None
        raise
    try:
        if mode is not None:  # a new file keeps open()'s mode
            os.fchmod(fd, mode & 0o7777)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink(missing_ok=True)
        raise


def _write_through(target: Path, chunks: Iterable[str]) -> None:
    """Write to a device or FIFO in place, as `>` would: it is never replaced."""
    with open(target, "w", encoding="utf-8", newline="\n") as handle:
        for chunk in chunks:
            handle.write(chunk)


class _FolderNotWritable(OSError):
    """The folder refuses the temporary file; its text names the folder."""


def _failure(path: Path, error: OSError) -> WriteError:
    reason = None if isinstance(error, _FolderNotWritable) else _REASONS.get(error.errno or 0)
    reason = reason or error.strerror or str(error)
    return WriteError(error.errno or 0, f"{quoted(path)}: cannot write: {reason}")


def _create_beside(directory: Path, name: str) -> tuple[int, Path]:
    """A new, exclusively created temporary file; mode 0666 less the umask, as open() gives."""
    for _ in range(100):
        candidate = directory / f".{name}.{secrets.token_hex(6)}.tmp"
        try:
            return os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), candidate
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, f"no free temporary name in {directory}")
