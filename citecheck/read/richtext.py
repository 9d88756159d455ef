"""Helpers shared by the readers of marked-up formats (DOCX, ODT, HTML, Markdown).

Those formats hand us text and link targets separately; a note's URLs are both, in the
order they stand, each once. Bidi control characters (Word and browsers put them around
right-to-left text) are kept in the text but never in a URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from citecheck.read.urltext import clean_url, find_urls

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
_MAY_HOLD_URL = re.compile(r"[Hh][Tt][Tt][Pp][Ss]?://|[Ww][Ww][Ww]\.")
_SPACES = re.compile(r"\s+")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def without_bidi(text: str) -> str:
    if text.isascii():
        return text
    return _BIDI.sub("", text)  # a regex: str.translate with a deletion table is 10x slower


def collapse(text: str) -> str:
    """Whitespace runs (line breaks, tabs, no-break spaces) as one space, trimmed."""
    return " ".join(text.split())  # str.split: every Unicode space, no-break space too


def link_target(target: str) -> str | None:
    """A hyperlink target as a URL to check: http(s) only (no mailto:, file:, in-page #)."""
    target = without_bidi(target).strip()
    if not target or target.startswith("#"):
        return None
    if _SCHEME.match(target) and not target.lower().startswith(("http://", "https://")):
        return None
    return clean_url(target)


def text_urls(text: str) -> list[str]:
    """URLs written out in a text, bidi controls removed first."""
    return [found.url for found in find_urls(without_bidi(text))]


def merge_urls(*groups: Iterable[str]) -> tuple[str, ...]:
    """Every URL of the groups once, first occurrence first (a trailing `/` aside)."""
    seen: set[str] = set()
    merged: list[str] = []
    for group in groups:
        for url in group:
            key = url.rstrip("/")
            if key not in seen:
                seen.add(key)
                merged.append(url)
    return tuple(merged)


def urls_in_order(text: str, targets: Sequence[tuple[int, str]]) -> tuple[str, ...]:
    """The URLs of a note: link targets (at their offset in `text`) and URLs written in
    `text`, in the order they stand, each once."""
    return tuple(url for _, url in placed_urls(text, targets))


def placed_urls(text: str, targets: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    """`urls_in_order` with the offset in `text` where each URL stands (for its line)."""
    if not targets and not _MAY_HOLD_URL.search(text):
        return []  # the common case, and the fast one: no link, no URL written out
    found = [(f.start, f.url) for f in find_urls(without_bidi(text))]
    for offset, target in targets:
        url = link_target(target)
        if url is not None:
            found.append((offset, url))
    found.sort(key=lambda item: item[0])
    seen: set[str] = set()
    placed: list[tuple[int, str]] = []
    for offset, url in found:
        key = url.rstrip("/")
        if key not in seen:
            seen.add(key)
            placed.append((offset, url))
    return placed
