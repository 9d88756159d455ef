"""The Markdown reader: source -> expected notes (number, label, line, text, URLs), as tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from citecheck.read.formats import read_noted
from citecheck.read.markdown import has_footnote_syntax, markdown_notes
from tests.support.paths import REPO_ROOT

Expected = list[tuple[int, str | None, int, str, tuple[str, ...]]]

CASES: list[tuple[str, str, Expected]] = [
    (
        "[^label] notes numbered by first reference, named labels kept",
        "Claim.[^b] Other.[^a]\n\n[^a]: Second, http://example.org/a.\n[^b]: First.\n",
        [
            (1, "b", 4, "First.", ()),
            (2, "a", 3, "Second, http://example.org/a.", ("http://example.org/a",)),
        ],
    ),
    (
        "inline notes, on the line of their ^[",
        "One line.\nTwo ^[Inline, [a link](https://example.org/x).] and.[^1]\n\n[^1]: Def.\n",
        [
            (1, None, 2, "Inline, a link.", ("https://example.org/x",)),
            (2, "1", 4, "Def.", ()),  # pandoc shows it as 2: the label keeps the source's
        ],
    ),
    (
        "code spans and fences are never notes",
        "Text `[^1]` here.[^2]\n\n```\n[^1]: not a note\nx ^[nor this]\n```\n\n[^2]: Real.\n",
        [(1, "2", 8, "Real.", ())],
    ),
    (
        "a multi-paragraph note, an autolink in it",
        "A.[^n]\n\n[^n]: First para <https://example.org/auto>.\n\n    Second para.\n",
        [
            (
                1,
                "n",
                3,
                "First para https://example.org/auto. Second para.",
                ("https://example.org/auto",),
            )
        ],
    ),
    (
        "a reference with a space is not a note",
        "Not [^my note] a note.[^1]\n\n[^1]: Yes.\n",
        [(1, None, 3, "Yes.", ())],
    ),
]


@pytest.mark.parametrize(("name", "source", "expected"), CASES, ids=[c[0] for c in CASES])
def test_markdown_notes(name: str, source: str, expected: Expected) -> None:
    document = markdown_notes(source, "x.md")
    assert [(n.number, n.label, n.line, n.text, n.urls) for n in document.notes] == expected


def test_markers_and_body_urls_have_source_lines() -> None:
    source = "Intro https://example.org/body.\n\nClaim.[^1]\nAgain.[^1]\n\n[^1]: Note.\n"
    document = markdown_notes(source, "x.md")
    assert document.format == "markdown"
    assert [(m.number, m.line) for m in document.marker_places] == [(1, 3), (1, 4)]
    assert [(b.url, b.line) for b in document.body_urls] == [("https://example.org/body", 1)]


def test_urls_in_code_are_not_urls_and_body_urls_keep_their_own_line() -> None:
    source = (
        "First line\nsee http://example.org/a and `http://example.org/code`.[^1]\n\n"
        "[^1]: Note with `https://example.org/in-code` and http://example.org/n.\n"
    )
    document = markdown_notes(source, "x.md")
    assert [(b.url, b.line) for b in document.body_urls] == [("http://example.org/a", 2)]
    assert document.notes[0].urls == ("http://example.org/n",)
    assert document.notes[0].text == (
        "Note with https://example.org/in-code and http://example.org/n."
    )


def test_undefined_references_and_unreferenced_definitions_are_problems() -> None:
    source = "Text.[^1] and [^nope] and `[^code]` and [^my note].\n\n[^1]: One.\n[^unused]: Two.\n"
    document = markdown_notes(source, "x.md")
    assert [(p.kind, p.line, p.message) for p in document.problems] == [
        ("marker-without-note", 1, "reference [^nope] has no footnote definition"),
        ("note-without-marker", 4, "footnote [^unused] is defined but never referenced"),
    ]


@pytest.mark.parametrize(
    ("text", "has"),
    [
        ("Plain.\n\n1 A note.\n", False),
        ("Text.[^1]\n\n[^1]: Note.\n", True),
        ("Text ^[inline].\n", True),
        ("   [^x]: indented three spaces\n", True),
        ("[^x] reference without definition\n", False),
    ],
)
def test_dispatch_sniff(text: str, has: bool) -> None:
    assert has_footnote_syntax(text) is has


def test_md_without_footnote_syntax_keeps_the_text_path(tmp_path: Path) -> None:
    """A .md rendering with plain numbered notes reads exactly as the same .txt does."""
    text = (REPO_ROOT / "references").glob("*.txt")
    source = sorted(text)[0]
    as_md = tmp_path / "copy.md"
    as_md.write_bytes(source.read_bytes())
    as_txt = tmp_path / "copy.txt"
    as_txt.write_bytes(source.read_bytes())
    md, txt = read_noted(as_md), read_noted(as_txt)
    assert md.format == "text"
    assert (md.notes, md.markers, md.body_urls) == (txt.notes, txt.markers, txt.body_urls)
