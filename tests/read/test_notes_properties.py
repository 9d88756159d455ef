"""Properties of extraction on arbitrary and adversarial text.

Extraction never raises, reports only well-formed URLs and lines that exist, and
finishes in time linear in its input: adversarial multi-megabyte lines are run in a
child process under a coarse 30 s guard (a sanity bound, not a speed measurement;
bench/extract_speed.py measures speed).
"""

from __future__ import annotations

import multiprocessing
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.read.model import Document, NotedDocument
from citecheck.read.notes import extract_notes
from citecheck.read.urltext import clean_url, find_urls, readable_text, unwrap_with_offsets

FRAGMENTS = [
    "1 ", "2 ", "12 ", "- 3 ", "¹", "²⁰ ", "\n", "\n\n", " ", "a", "Word", ".", ",", "’",
    "-", "http://", "https://", "www.", "x.org/", "(", ")", "[", "](", "]", "<", ">", "\\",
    "\\$", "*", "。", "，", "201022", "2015", "\t", "\f", "\ufffd",
]  # fmt: skip
structured_text = st.lists(st.sampled_from(FRAGMENTS), max_size=80).map("".join)
A_URL = re.compile(r"https?://\S+", re.IGNORECASE)


def check_invariants(text: str, document: NotedDocument) -> None:
    line_count = text.count("\n") + 1
    for note in document.notes:
        assert note.number >= 0
        assert 1 <= note.line <= line_count
        assert all(A_URL.fullmatch(url) for url in note.urls)
    for body_url in document.body_urls:
        assert A_URL.fullmatch(body_url.url)
        assert 1 <= body_url.line <= line_count
    for place in document.marker_places:
        assert 1 <= place.line <= line_count
    assert list(document.markers) == [place.number for place in document.marker_places]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    check_invariants(text, extract_notes(Document(path="x.txt", text=text)))


@settings(max_examples=300, deadline=None)
@given(structured_text)
def test_note_like_text_never_raises(text: str) -> None:
    check_invariants(text, extract_notes(Document(path="x.txt", text=text)))


@settings(max_examples=200, deadline=None)
@given(structured_text)
def test_url_helpers_never_raise(text: str) -> None:
    for found in find_urls(text):
        assert A_URL.fullmatch(found.url)
        assert 0 <= found.start < len(text)
        assert clean_url(found.url) == found.url  # a clean URL is already clean
    readable_text(text)
    lines = text.split("\n")
    joined, offsets = unwrap_with_offsets(lines)
    assert len(offsets) == len(lines)
    assert offsets == sorted(offsets)
    assert all(0 <= offset <= len(joined) for offset in offsets)


MEGABYTE = 1024 * 1024
ADVERSARIAL = {
    "link-openers": "[a](" * (MEGABYTE // 4),
    "unclosed-link-target": "[a](http://x.org/" + "(" * MEGABYTE,
    "schemes": "http://" * (MEGABYTE // 7),
    "www": "www." * (MEGABYTE // 4),
    "backslashes": "\\" * MEGABYTE + "x",
    "asterisks": "*a " * (MEGABYTE // 3),
    "angle-links": "<http://" * (MEGABYTE // 8),
    "closing-parens": "http://x.org/" + ")" * MEGABYTE,
    "glued-digits": "a1 " * (MEGABYTE // 3),
    "year-digits": "2010" + "1" * MEGABYTE,
    "superscripts": "a¹" * (MEGABYTE // 2),
    "hyphens": "-" * MEGABYTE,
    "note-lines": "1 a\n" * (MEGABYTE // 4),
    "url-lines": "http://a.org/b\n" * (MEGABYTE // 15),
    "note-url-over-many-lines": "\n1 see http://a.org/\n" + "b/\n" * (MEGABYTE // 3),
    "five-megabytes-of-url": "http://x.org/" + "a/" * (5 * MEGABYTE // 2),
}


def _extract_in_child(text: str) -> None:
    extract_notes(Document(path="adversarial.txt", text=text))


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_line_finishes(name: str) -> None:
    child = multiprocessing.get_context("fork").Process(
        target=_extract_in_child, args=(ADVERSARIAL[name],)
    )
    child.start()
    child.join(timeout=30)
    if child.is_alive():
        child.kill()
        child.join()
        pytest.fail(f"{name}: extraction still running after 30 s (backtracking?)")
    assert child.exitcode == 0
