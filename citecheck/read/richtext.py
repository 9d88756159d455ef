"""Helpers shared by the readers of marked-up formats (DOCX, ODT, HTML, Markdown).

Those formats hand us text and link targets separately; a note's URLs are both, in the
order they stand, each once. Bidi control characters (Word and browsers put them around
right-to-left text) are kept in the text but never in a URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from citecheck.read.urltext import find_urls

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
_SPACES = re.compile(r"\s+")


def without_bidi(text: str) -> str:
    if text.isascii():
        return text
    return _BIDI.sub("", text)  # a regex: str.translate with a deletion table is 10x slower


def collapse(text: str) -> str:
    """Whitespace runs (line breaks, tabs, no-break spaces) as one space, trimmed."""
    return " ".join(text.split())  # str.split: every Unicode space, no-break space too


def link_target(target: str) -> str | None:
    """A hyperlink target as a URL to check: http(s) only (no mailto:, file:, in-page #).

    A target is exact, so unlike a URL found in text nothing is trimmed from its end.
    """
    target = without_bidi(target).strip()
    lowered = target[:8].lower()
    if lowered.startswith(("http://", "https://")) and len(target) > len(lowered.split(":")[0]) + 3:
        return target
    if lowered.startswith("www.") and len(target) > 4:
        return "http://" + target
    return None


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
    if not targets and "://" not in text and "www." not in text.lower():
        return []  # the common case: no link, no URL written (substring tests: 10x a regex)
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
