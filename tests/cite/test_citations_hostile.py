"""Hostile notes: citation parsing and UN-symbol parsing never raise and stay linear.

Property tests feed arbitrary and citation-shaped text to every entry point; the
adversarial notes below each once took minutes or hours (a list scanned per clause, per
URL or per symbol; a URL's parentheses recounted per character) and now run through the
whole notes → citations pipeline in a forked child under a coarse 60 s guard: a bound only
quadratic behaviour breaks, not a speed measurement.
"""

from __future__ import annotations

import multiprocessing

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.cite.citing import cite_document, cite_note
from citecheck.cite.parse import parse_reference
from citecheck.cite.split import find_works
from citecheck.cite.symbols import SymbolError, UNSymbol, find_symbols, parse_symbol, symbol_in_url
from citecheck.read.model import Document, Note
from citecheck.read.notes import extract_notes

FRAGMENTS = [
    "Ibid.", "Ibid, 4.", "; ", ", ", ". ", "“", "”", "‘", "’", '"', "(", ")", "[", "]",
    "[in Chinese]", "See ", "see also ", "cf. ", "eds.", "ed.", "in ", "chapter 3", ", 12",
    "(2015)", "12 May 2015", "May", "Spring 2014", "2015年5月", "《", "》", "白皮书",
    "http://x.org/a", "www.un.org/b", "A/RES/53/70", "A/C.1/53/PV.3/Corr.1*", "S/RES/1440 (2002)",
    "A/", "/Add.", "/Rev.2", "E/CN.4/", "Press", "University", "Journal of ", "vol. 3",
    "no. 2", ": ", "pp. 1–9", "Zhang Wei", "and ", "{", "}", "\\", "&", "%", "\x00", "\u2028",
    "State Council Information Office", "United Nations, General Assembly", "Austin, ",
]  # fmt: skip
citation_text = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join)
any_text = st.one_of(st.text(max_size=300), citation_text)


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_citation_entry_points_never_raise(text: str) -> None:
    find_works(text)
    parse_reference(text)
    for clause, parsed in cite_note(Note(1, 1, text, ())):
        assert clause.kind
        if parsed is not None:
            assert parsed.type


@settings(max_examples=150, deadline=None)
@given(st.lists(citation_text, min_size=1, max_size=12))
def test_a_document_of_hostile_notes_cites_without_raising(notes: list[str]) -> None:
    body = "Body text" + "".join(f" claim.{n}" for n in range(1, len(notes) + 1))
    text = body + "\n\n" + "".join(f"{n} {note}\n" for n, note in enumerate(notes, 1))
    cited = cite_document(extract_notes(Document(path="hostile.txt", text=text)))
    keys = {c.key for note in cited.notes for c in note.citations}
    for note in cited.notes:
        for citation in note.citations:
            assert citation.key
            assert citation.refers_to is None or citation.refers_to in keys


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_symbol_parsing_never_raises_and_canonical_forms_round_trip(text: str) -> None:
    parsed = parse_symbol(text)
    assert isinstance(parsed, UNSymbol | SymbolError)
    for symbol in find_symbols(text):
        assert parse_symbol(symbol.canonical) == symbol
    symbol_in_url("http://x.org/" + text)
    symbol_in_url("http://x.org/view_doc.asp?symbol=" + text)


KILOBYTE = 1024
HOSTILE_NOTES = {
    # many clauses: `has_work` was recomputed over all earlier clauses for each one
    "many-clauses": lambda: "a; " * (300 * KILOBYTE // 3),
    # many works in one document: each short form was compared with every earlier work
    "many-works": lambda: "; ".join(f"Smith{n}, Title {n}" for n in range(12_000)),
    # many URLs: each was looked up in, and blanked out of, the whole note
    "many-urls": lambda: "; ".join(f"See http://x.org/{n}" for n in range(16_000)),
    # many distinct symbols: each was checked against a list of those already found
    "many-symbols": lambda: " ".join(f"A/{n}" for n in range(1, 30_000)),
    # a URL ending in many `)`: parentheses were recounted for each one dropped
    "url-closing-parens": lambda: "http://x.org/" + ")" * (200 * KILOBYTE),
    "nested-quotes": lambda: "“‘" * (50 * KILOBYTE) + "x" + "’”" * (50 * KILOBYTE),
    "semicolons-in-quotes": lambda: "“" + "a; " * (50 * KILOBYTE) + "”",
}


# Long runs of spaces: the notes stage collapses them, a Python caller of the parsers
# may not; several `\s*…$` searches were quadratic on them.
SPACE_RUN = "a," + " " * (512 * KILOBYTE) + "x: “quoted” (blog) , 12"


def _cite_in_child(name: str) -> None:
    if name == "space-run-parsed-directly":
        find_works(SPACE_RUN)
        parse_reference(SPACE_RUN)
        return
    note = HOSTILE_NOTES[name]()
    cite_document(extract_notes(Document(path="hostile.txt", text=f"Body.1\n\n1 {note}\n")))


@pytest.mark.parametrize("name", [*sorted(HOSTILE_NOTES), "space-run-parsed-directly"])
def test_a_hostile_note_is_cited_in_linear_time(name: str) -> None:
    child = multiprocessing.get_context("fork").Process(target=_cite_in_child, args=(name,))
    child.start()
    child.join(timeout=60)
    if child.is_alive():
        child.kill()
        child.join()
        pytest.fail(f"{name}: citing one hostile note still running after 60 s (quadratic?)")
    assert child.exitcode == 0
