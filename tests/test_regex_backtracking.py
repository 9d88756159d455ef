"""Patterns found quadratic by the pattern-by-pattern review (docs/reliability.md).

Each fixed pattern began with `\\s*` or `\\s+` and was tried at every position of a space run,
so a long run cost its length squared. A lookbehind now starts a match only at a run's first
space, which keeps the leftmost match, and so every result, the same. Each adversarial input
runs in a forked child under a coarse 30 s guard (before the fix each took minutes); the
tables check that ordinary values are read as before.
"""

import multiprocessing
from collections.abc import Callable

import pytest

from citecheck.cite.citing import cite_note
from citecheck.cite.fields import normalize_edition, normalize_language
from citecheck.cite.names import split_people
from citecheck.cite.parse import parse_reference
from citecheck.read.model import Note

SPACES = " " * 200_000
# Issue 14.3: blanking each URL leaves a space run; 800 URLs took 24 s, 2,500 over two minutes.
MANY_URLS = " ".join(f"http://e{i}.example.org/a" for i in range(5_000))


DAY = "2016-03-12"


def _cite_one_note(text: str) -> object:
    """The whole cite step on one note, as `extract`, `check` and `audit` run it."""
    return cite_note(Note(1, 1, text, tuple(text.split())))


ADVERSARIAL: dict[str, tuple[Callable[[str], object], str]] = {
    "split_people: a space run without `and`": (split_people, "Ann Lee" + SPACES + "Bo Chen"),
    "normalize_edition: a space run not before `edition`": (
        normalize_edition,
        "2nd" + SPACES + "x",
    ),
    "normalize_language: a space run not before `]`": (normalize_language, "[in" + SPACES + "x"),
    "parse_reference: many `Meeting of` before a full stop that fails": (
        parse_reference,
        "APEC, " + "Meeting of x " * 30_000 + ".b, Lima Declaration",
    ),
    "parse_reference: a run of unclosed 《 in a parallel title": (
        parse_reference,
        "Ann Lee, “Title”; 国务院:" + "《" * 200_000,
    ),
    "parse_reference: thousands of space-separated URLs (the access-date cue)": (
        parse_reference,
        MANY_URLS,
    ),
    "parse_reference: an access-date cue after a space run, then no date": (
        parse_reference,
        "Ann Lee, Title," + SPACES + "(accessed x",
    ),
    "cite_note: a note of thousands of space-separated URLs": (_cite_one_note, MANY_URLS),
    "parse_reference: a parenthesis full of colons": (
        parse_reference,
        "Ann Lee, Some Title, (" + ": " * 200_000 + ") x",
    ),
}


def _call_in_child(name: str) -> None:
    function, text = ADVERSARIAL[name]
    function(text)


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_long_space_run_finishes(name: str) -> None:
    child = multiprocessing.get_context("fork").Process(target=_call_in_child, args=(name,))
    child.start()
    child.join(timeout=30)
    if child.is_alive():
        child.kill()
        child.join()
        pytest.fail(f"{name}: still running after 30 s (backtracking?)")
    assert child.exitcode == 0


@pytest.mark.parametrize(
    ("written", "people"),
    [
        ("Ann Lee and Bo Chen", ["Ann Lee", "Bo Chen"]),
        ("Ann Lee,  and   Bo Chen", ["Ann Lee", "Bo Chen"]),
        ("Ann Lee   and Bo Chen, Cy Dunn", ["Ann Lee", "Bo Chen", "Cy Dunn"]),
        ("and Ann Lee", ["Ann Lee"]),
        ("Ann Lee" + SPACES + "Bo Chen", None),
    ],
)
def test_split_people_unchanged(written: str, people: list[str] | None) -> None:
    assert split_people(written) == people


@pytest.mark.parametrize(
    ("written", "edition"),
    [("2nd   edn.", "2"), ("third edition", "3"), ("Revised ed", "Revised"), ("2nd  x", "2nd  x")],
)
def test_normalize_edition_unchanged(written: str, edition: str) -> None:
    assert normalize_edition(written) == {"edition": edition}


@pytest.mark.parametrize(
    ("written", "langid"),
    [
        ("[in Chinese]", "chinese"),
        ("[ in  Russian  ]", "russian"),
        ("[ ]", ""),
        ("French", "french"),
    ],
)
def test_normalize_language_unchanged(written: str, langid: str) -> None:
    assert normalize_language(written) == {"langid": langid}


@pytest.mark.parametrize(
    ("written", "field", "value"),
    [
        (
            "APEC, 2005 APEC Ministerial Meeting of Trade Ministers (MRT). Lima Declaration",
            "note",
            "2005 APEC Ministerial Meeting of Trade Ministers (MRT)",
        ),
        (
            "English title; 国务院新闻办公室:《中国的互联网状况》 白皮书, 2010年6月8日",
            "origtitle",
            "中国的互联网状况白皮书",
        ),
    ],
)
def test_parse_reference_unchanged(written: str, field: str, value: str) -> None:
    assert parse_reference(written).fields.get(field) == value


@pytest.mark.parametrize(
    ("written", "field", "value"),
    [
        ("Ann Lee, Title, http://a.org/x, accessed March 12, 2016", "urldate", DAY),
        ("Ann Lee, Title, http://a.org/x (accessed 12 March 2016)", "urldate", DAY),
        ("Ann Lee, Title, http://a.org/x [last accessed on: 12 March 2016]", "urldate", DAY),
        ("Ann Lee, Title, 2014,(retrieved 12 March 2016)", "urldate", DAY),
        ("Ann Lee, Title (accessed 12 March 2016)", "urldate", DAY),
        ("Ann Lee, Title, http://a.org/x ,  , viewed 12 March 2016", "urldate", DAY),
        ("Ann Lee, Accessed Records, 2014", "urldate", None),
        ("Ann Lee, Title, http://a.org/x   : ‘Although not yet…’", "note", "‘Although not yet…’"),
    ],
)
def test_access_date_and_trailing_quotation_unchanged(
    written: str, field: str, value: str | None
) -> None:
    assert parse_reference(written).fields.get(field) == value
