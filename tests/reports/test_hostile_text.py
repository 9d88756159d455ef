"""Hostile text: what extraction and URL repair promise whatever a document holds.

Goes beyond tests/read/test_notes_properties.py (arbitrary Unicode, note-like fragments,
1 MB adversarial lines): control and format characters, every kind of line ending,
enormous lines, deep nesting of brackets, parentheses, quotes and markdown links,
`<<<<` runs and long digit runs; and 10 MB single lines aimed at each regular
expression (see the table in docs/reliability.md), each run in a forked
child under a coarse 60 s guard: a bound that only catastrophic backtracking breaks,
not a speed measurement.
"""

from __future__ import annotations

import multiprocessing
import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.read.document import decode_text, normalise_newlines
from citecheck.read.model import Document, DocumentError, NotedDocument
from citecheck.read.notes import MAX_MARKER_DIGITS, extract_notes
from citecheck.read.urltext import clean_url, find_urls, markdown_links, readable_text, unwrap_lines

A_URL = re.compile(r"https?://\S+", re.IGNORECASE)
LARGEST_MARKER = 10**MAX_MARKER_DIGITS - 1


def read(text: str) -> NotedDocument:
    return extract_notes(Document(path="hostile.txt", text=text))


def check_invariants(text: str, document: NotedDocument) -> None:
    line_count = text.count("\n") + 1
    for note in document.notes:
        assert 1 <= note.line <= line_count
        assert 0 <= note.number <= LARGEST_MARKER
        assert all(A_URL.fullmatch(url) for url in note.urls)
    for body_url in document.body_urls:
        assert A_URL.fullmatch(body_url.url)
        assert 1 <= body_url.line <= line_count
    assert all(0 <= number <= LARGEST_MARKER for number in document.markers)
    starts = [found.start for found in find_urls(text)]
    assert starts == sorted(starts)  # URLs come in reading order


# Characters that text-processing code tends to trip over: C0/C1 controls, format
# characters (zero-width joiners, bidi overrides, BOM), Unicode line and paragraph
# separators, and unusual spaces.
awkward_characters = st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Zs"])
FRAGMENTS = [
    "1 ", "2 ", "3 ", "- 4 ", "¹ ", "a²", "\n", "\r\n", "\r", "\n\n", "http://", "https://",
    "www.", "x.org/", "[", "](", "]", "(", ")", "<", ">", "\\", "*", "’", "”", ".", "-",
    "a", "Word", "2010", "22", "\x00", "\x0b", "\x1c", "\x85", "\u2028", "\u200b", "\ufeff",
]  # fmt: skip
hostile_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(awkward_characters, max_size=3)), max_size=120
).map("".join)


@settings(max_examples=300, deadline=None)
@given(hostile_text)
def test_control_characters_and_line_endings_never_raise(text: str) -> None:
    check_invariants(text, read(text))
    readable_text(text)
    unwrap_lines(text.split("\n"))


@settings(max_examples=200, deadline=None)
@given(st.text(awkward_characters))
def test_only_awkward_characters_find_nothing(text: str) -> None:
    document = read(text)
    assert document.notes == ()
    assert document.body_urls == ()
    assert document.markers == ()


# Line-ending style must not change what is read: the same lines joined with \n, \r\n
# or \r (or a mix of them) are the same document once decoded.
plain_line = st.lists(
    st.sampled_from(["1 ", "2 ", "See ", "http://a.org/x", "word.", "a1", "-", " ", "¹"]),
    max_size=8,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(plain_line, max_size=12), st.randoms(use_true_random=False))
def test_mixed_line_endings_read_as_newlines(lines: list[str], rng: random.Random) -> None:
    mixed = ""
    for line in lines:
        ending = rng.choice(["\n", "\r\n", "\r"])
        if ending == "\n" and (mixed + line).endswith("\r"):
            ending = "\r\n"  # `\r` then `\n` would be one CRLF line break, not two
        mixed += line + ending
    text, _ = decode_text(mixed.encode("utf-8"), name="mixed.txt")
    expected = read("".join(line + "\n" for line in lines))
    assert read(normalise_newlines(text)) == expected


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_decode_or_refuse_in_one_line(data: bytes) -> None:
    """Any bytes are a text or a DocumentError naming the file in one line, never a crash."""
    try:
        text, _ = decode_text(data, name="in.txt")
    except DocumentError as error:
        assert str(error).startswith("in.txt: ")
        assert "\n" not in str(error)
        return
    check_invariants(normalise_newlines(text), read(normalise_newlines(text)))


# Enormous lines: one fragment repeated thousands of times, possibly between others.
enormous_line = st.tuples(
    st.sampled_from([*FRAGMENTS[:-8], "a1 ", "[a](", "<http://", "¹²", "((", "))"]),
    st.integers(min_value=1_000, max_value=20_000),
    plain_line,
    plain_line,
).map(lambda parts: parts[2] + parts[0] * parts[1] + parts[3])


@settings(max_examples=40, deadline=None)
@given(enormous_line)
def test_enormous_lines_never_raise(text: str) -> None:
    check_invariants(text, read(text))


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=3_000))
def test_balanced_parentheses_nested_deep_stay_in_the_url(depth: int) -> None:
    target = "http://x.org/" + "(a" * depth + ")" * depth
    text = f"See [the page]({target}). And more."
    assert [found.url for found in find_urls(text)] == [target]
    assert readable_text(text) == "See the page. And more."


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=3_000), st.sampled_from(["[", "(", "<", "[a]("]))
def test_unclosed_openers_nested_deep_lose_no_url(depth: int, opener: str) -> None:
    text = opener * depth + "http://x.org/a b"
    urls = [found.url for found in find_urls(text)]
    assert urls == ["http://x.org/a"]
    assert markdown_links(text) == []


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=3_000), st.sampled_from(["'", '"', "“", "‘", "«"]))
def test_quotes_nested_deep_are_not_part_of_the_url(depth: int, quote: str) -> None:
    closing = {"“": "”", "‘": "’", "«": "»"}.get(quote, quote)
    text = quote * depth + "http://x.org/a" + closing * depth + "."
    assert [found.url for found in find_urls(text)] == ["http://x.org/a"]


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=3_000))
def test_angle_bracket_runs_unwrap_one_url(depth: int) -> None:
    text = "<" * depth + "http://x.org/a" + ">" * depth
    assert [found.url for found in find_urls(text)] == ["http://x.org/a"]
    assert clean_url("<" * depth) is None


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=3_000))
def test_markdown_links_nested_in_link_text_find_the_innermost(depth: int) -> None:
    text = "[" * depth + "[x](http://x.org/a)" + "]" * depth
    assert [link.target for link in markdown_links(text)] == ["http://x.org/a"]


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=MAX_MARKER_DIGITS + 1, max_value=6_000),
    st.sampled_from(["Ministers", "space,", "2010", "a", ")"]),
    st.sampled_from("0123456789⁰¹²³⁴⁵⁶⁷⁸⁹"),
)
def test_long_digit_runs_are_never_markers(length: int, before: str, digit: str) -> None:
    """`G8`-style rules cap a marker at three digits; a longer run (even past Python's
    4300-digit int() limit) is ordinary text, not a marker or a crash."""
    run = digit * length
    body = f"First claim{'¹' if digit in '⁰¹²³⁴⁵⁶⁷⁸⁹' else '1'} then {before}{run} end.\n"
    document = read(body + "\n1 A note.\n")
    assert document.markers == (1,)


def test_superscript_run_past_the_int_digit_limit_regression() -> None:
    """Found by review: `int()` of a 5000-digit superscript run raised ValueError."""
    document = read("a" + "¹" * 5_000 + " text\n")
    assert document.markers == ()


MEGABYTE = 1024 * 1024
TEN_MEGABYTES = 10 * MEGABYTE


def _mixed_line(size: int) -> str:
    rng = random.Random(7)  # fixed seed: the same 10 MB line on every run
    pieces = ["1 ", "[", "](", "(", ")", "<", ">", "http://", "www.", "\\", "*", "a", "¹"]
    pieces += ["2010", "9", ".", "’", " ", "\t", "\x0b", "\x1c", "\u2028"]
    parts: list[str] = []
    length = 0
    while length < size:
        piece = rng.choice(pieces)
        parts.append(piece)
        length += len(piece)
    return "".join(parts)


# One 10 MB line (or note) per regular expression family, named in docs/reliability.md.
TEN_MEGABYTE_LINES = {
    "link-open-brackets": lambda: "[" * TEN_MEGABYTES,
    "link-text-without-close": lambda: "[" + "a" * TEN_MEGABYTES,
    "link-target-parens": lambda: "[a](" + "(" * TEN_MEGABYTES,
    "autolink-unclosed": lambda: "<http://" + "a" * TEN_MEGABYTES,
    "angle-brackets": lambda: "<" * TEN_MEGABYTES,
    "escape-backslashes": lambda: "\\" * TEN_MEGABYTES + "a",
    "glued-digits": lambda: "a" + "1" * TEN_MEGABYTES,
    "superscripts": lambda: "a" + "¹" * TEN_MEGABYTES,
    "note-start-spaces": lambda: "1" + " " * TEN_MEGABYTES,
    "sentence-end-closers": lambda: "1 a\n" + ".)" * (TEN_MEGABYTES // 2) + "x",
    "bare-url-schemes": lambda: "hhttp://" * (TEN_MEGABYTES // 8),
    # many short fragments are slow to build in Python; 4 MB of them is enough to mix
    "mixed-fragments": lambda: _mixed_line(4 * MEGABYTE),
}


def _extract_in_child(name: str) -> None:
    text = TEN_MEGABYTE_LINES[name]()
    extract_notes(Document(path="adversarial.txt", text=text))  # find_urls runs inside
    readable_text(text)


@pytest.mark.parametrize("name", sorted(TEN_MEGABYTE_LINES))
def test_ten_megabyte_adversarial_line_finishes(name: str) -> None:
    child = multiprocessing.get_context("fork").Process(target=_extract_in_child, args=(name,))
    child.start()
    child.join(timeout=60)
    if child.is_alive():
        child.kill()
        child.join()
        pytest.fail(f"{name}: a 10 MB line still running after 60 s (backtracking?)")
    assert child.exitcode == 0
