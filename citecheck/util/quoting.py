"""How an error message shows a file name: as it is when it is plain, escaped when it is not.

A name is the user's (or a hostile archive's) text. Printed raw, a newline in it ends the
one-line error early and can start a line of its own (`::error::...` is a GitHub workflow
command; ESC sequences move a terminal's cursor). Every message that names a path goes
through `quoted`, so a name can never be more than one line of printable characters.
"""

from __future__ import annotations

import os
from pathlib import PurePath


def quoted(path: str | bytes | PurePath) -> str:
    """`path` unchanged when every character is printable; otherwise Python's quoted,
    escaped form (`'a\\nb'`), which holds no control, line-breaking or invisible format
    character."""
    text = os.fsdecode(path) if isinstance(path, bytes) else os.fspath(path)
    if text.isprintable():
        return text
    return repr(text)


def one_line(message: str) -> str:
    """`message` with every unprintable character (newline, CR, ESC, U+2028, ...) shown as
    its escape (`\\n`), so it stays one line on a terminal or in a CI log: the last guard
    before an error or warning is printed, whatever text reached it."""
    if message.isprintable():
        return message
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)
