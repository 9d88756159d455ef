"""Inputs that once crashed an extraction promise, kept so they never do again.

Each row names who found it (`bench/fuzz_extract.py` with atheris, or review), the
smallest input that showed it, and what extraction must give instead.
"""

from __future__ import annotations

import base64

import pytest

from citecheck.read.document import decode_text, normalise_newlines
from citecheck.read.model import Document
from citecheck.read.notes import extract_notes
from citecheck.read.urltext import find_urls

# atheris, run 1 (about 30 000 inputs): a backslash before a control character inside a
# markdown link target was taken as an escape, so the "URL" held the control character.
FUZZ_RUN_1 = base64.b64decode(
    "MjAxNS8wOS8yNS9yZW1hcmtzLXBuc2llZSAvL2Jsb2dzLndzai5jb3JvcGVhbiBQYXJsaWFtZW50IFRIaW5rIFRh"
    "bmssIEp1bmUgMTUjLCAwMDE1LCBbd3d3LmV1cm9wYXJsLmV1clxcXFxcXGN1bWVudC5odG1sP3JFUFJTX0JSSVwo"
    "MjAxNVwpNTY0Mzc0XShodHRwOi8vd3d3LmV1cm9wYXJsLmV1cm9wYS5ldS90aGlcXFxcXFxcXFxcXFxcXFxcXFxc"
    "XFwcXFxcXFxcXFxcXFxcXFxcXFxcXFxcNTYwKTU2NDw3NCkuCi0gNS9yZW1hcmtzLXBy"
)


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        # an escaped space, line break or control character ends a link target
        ("[a](http://x.org/a\\\x1cb)", ["http://x.org/a\\"]),
        ("[a](http://x.org/a\\ b)", ["http://x.org/a\\"]),
        ("[a](http://x.org/a\\\u2028b)", ["http://x.org/a\\"]),
        # an escaped parenthesis is still part of the target
        ("[a](http://x.org/a\\)b)", ["http://x.org/a)b"]),
    ],
)
def test_escaped_whitespace_ends_a_link_target(text: str, urls: list[str]) -> None:
    assert [found.url for found in find_urls(text)] == urls


def test_fuzz_run_1_input_gives_only_urls_without_spaces() -> None:
    text, _ = decode_text(FUZZ_RUN_1, name="crash.txt")
    document = extract_notes(Document(path="crash.txt", text=normalise_newlines(text)))
    urls = [body.url for body in document.body_urls]
    urls += [url for note in document.notes for url in note.urls]
    assert urls
    assert all(not any(char.isspace() for char in url) for url in urls)
