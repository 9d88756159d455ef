"""Control characters written out, for every line citecheck prints or writes for people.

Lowest layer on purpose: the CLI's one-line errors and warnings use it without
loading the reports.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)
"""C0 and C1 controls, DEL, bidirectional marks and overrides, Unicode line separators."""

_CONTROL_BUT_NEWLINE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)


def shown_character(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with every control character written out (`\\x1b`, `\\n`-as-`\\x0a`, `\\u202e`).

    One line stays one line unless `keep_newlines`; printable text, accents and CJK
    are left alone."""
    pattern = _CONTROL_BUT_NEWLINE if keep_newlines else _CONTROL
    return pattern.sub(shown_character, text)
