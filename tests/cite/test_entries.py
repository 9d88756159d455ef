"""Works cited by .bib key: entry fields in, the cite stage's fields and citations out."""

from __future__ import annotations

import pytest

from citecheck.cite.citing import cite_document
from citecheck.cite.entries import entry_fields, entry_works, without_cited_keys
from citecheck.read.model import CitedEntry, Note, NotedDocument

KNUTH = CitedEntry(
    "knuth84",
    "book",
    (
        ("author", "Knuth, Donald E."),
        ("title", "The {\\TeX}book"),
        ("publisher", "Addison-Wesley"),
        ("address", "Reading, MA"),
        ("year", "1984"),
        ("url", "http://tex.example.org/a%20b~c"),
    ),
)
LAMPORT = CitedEntry(
    "Lamport94",
    "article",
    (
        ("author", "Lamport, Leslie"),
        ("title", "How to Write a Proof"),
        ("journal", "Amer. Math. Monthly"),
        ("year", "1995"),
        ("month", "aug"),
        ("pages", "600--608"),
        ("doi", "10.2307/2974795"),
    ),
)


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            KNUTH,
            {
                "author": "Knuth, Donald E.",
                "title": "The TeXbook",
                "publisher": "Addison-Wesley",
                "location": "Reading, MA",
                "year": "1984",
                "date": "1984",
                "url": "http://tex.example.org/a%20b~c",
            },
        ),
        (
            LAMPORT,
            {
                "author": "Lamport, Leslie",
                "title": "How to Write a Proof",
                "journaltitle": "Amer. Math. Monthly",
                "year": "1995",
                "month": "08",
                "date": "1995-08",
                "pages": "600–608",
                "doi": "10.2307/2974795",
            },
        ),
        (
            CitedEntry("t", "phdthesis", (("title", "A {B}"), ("school", "MIT"), ("year", "x"))),
            {"title": "A B", "institution": "MIT", "year": "x", "date": "x", "type": "PhD thesis"},
        ),
    ],
)
def test_entry_fields_use_the_cite_stage_names(entry: CitedEntry, expected: dict[str, str]) -> None:
    assert entry_fields(entry) == expected


def _note(
    number: int, text: str, entries: tuple[CitedEntry, ...], urls: tuple[str, ...] = ()
) -> Note:
    return Note(number, number * 10, text, urls, entries=entries)


def test_an_entry_cited_again_is_a_back_reference() -> None:
    notes = (_note(1, "[knuth84].", (KNUTH,)), _note(2, "[knuth84; Lamport94].", (KNUTH, LAMPORT)))
    first = entry_works(notes, notes[0])
    second = entry_works(notes, notes[1])
    assert [(w.key, w.type, w.refers_to) for w in first] == [("#bib:knuth84", "book", None)]
    assert [(w.key, w.type, w.refers_to) for w in second] == [
        ("#bib:knuth84", "book", "#bib:knuth84"),
        ("#bib:Lamport94", "article", None),
    ]
    assert first[0].urls == ("http://tex.example.org/a%20b~c",)


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("See [knuth84, p. 3].", "."),
        ("A report, https://x.org/r and [knuth84].", "A report, https://x.org/r."),
        ("Compare [other] with [knuth84].", "Compare [other] with."),
    ],
)
def test_cited_keys_are_taken_out_of_the_text_parser_s_way(text: str, left: str) -> None:
    note = _note(1, text, (KNUTH,), ("https://x.org/r", "http://tex.example.org/a%20b~c"))
    stripped = without_cited_keys(note)
    assert stripped.text == left
    assert "http://tex.example.org/a%20b~c" not in stripped.urls


def test_cite_document_makes_the_entries_works_of_their_notes() -> None:
    notes = (
        _note(1, "See [knuth84, p. 3].", (KNUTH,), ("http://tex.example.org/a%20b~c",)),
        _note(2, "Again [knuth84].", (KNUTH,), ("http://tex.example.org/a%20b~c",)),
    )
    cited = cite_document(NotedDocument("main.tex", (1, 2), notes, format="latex"))
    first, second = (note.citations for note in cited.notes)
    assert [(c.type, c.fields["title"], c.urls) for c in first] == [
        ("book", "The TeXbook", ("http://tex.example.org/a%20b~c",))
    ]
    assert [(c.key, c.refers_to) for c in second] == [(first[0].key, first[0].key)]
    assert len(cited.works) == 1
