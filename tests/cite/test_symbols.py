"""UN document symbols: input → parsed parts, canonical form, and typed errors."""

from __future__ import annotations

import pytest

from citecheck.cite.symbols import SymbolError, UNSymbol, find_symbols, parse_symbol, symbol_in_url


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A/RES/53/70", ("A", "53", None, "70", (), (), True)),
        ("A/70/174", ("A", "70", None, "174", (), (), False)),
        ("A/54/213", ("A", "54", None, "213", (), (), False)),
        ("A/C.1/53/PV.3", ("A", "53", None, "PV.3", ("C.1",), (), False)),
        ("A/C.1/70/L.45", ("A", "70", None, "L.45", ("C.1",), (), False)),
        ("S/RES/1440 (2002)", ("S", None, 2002, "1440", (), (), True)),
        ("S/2002/1234", ("S", None, 2002, "1234", (), (), False)),
        ("A/ES-10/L.22", ("A", "ES-10", None, "L.22", (), (), False)),
        ("E/CN.4/2005/L.10/Add.1", ("E", None, 2005, "L.10", ("CN.4",), (("Add", 1),), False)),
        ("A/HRC/RES/20/8", ("A", "20", None, "8", ("HRC",), (), True)),
        ("A/70/174/Rev.1", ("A", "70", None, "174", (), (("Rev", 1),), False)),
        ("A/70/174/Corr.2", ("A", "70", None, "174", (), (("Corr", 2),), False)),
        ("A/70/174/Amend.1", ("A", "70", None, "174", (), (("Amend", 1),), False)),
        ("A/59/116/Add.1/Rev.1", ("A", "59", None, "116", (), (("Add", 1), ("Rev", 1)), False)),
        ("A/RES/55/28.", ("A", "55", None, "28", (), (), True)),
    ],
)
def test_parse_symbol(text: str, expected: tuple[object, ...]) -> None:
    """expected = (organ, session, year, number, bodies, suffixes, is_resolution)."""
    parsed = parse_symbol(text)
    assert isinstance(parsed, UNSymbol)
    got = (
        parsed.organ,
        parsed.session,
        parsed.year,
        parsed.number,
        parsed.bodies,
        parsed.suffixes,
        parsed.is_resolution,
    )
    assert got == expected


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("A/RES/53/70", "A/RES/53/70"),
        (" A/70/174. ", "A/70/174"),
        ("S/RES/1440 (2002)", "S/RES/1440 (2002)"),
        ("A/HRC/RES/20/8*", "A/HRC/RES/20/8*"),
        ("A/C.1/53/PV.3/Corr.1", "A/C.1/53/PV.3/Corr.1"),
    ],
)
def test_canonical(text: str, canonical: str) -> None:
    parsed = parse_symbol(text)
    assert isinstance(parsed, UNSymbol)
    assert parsed.canonical == canonical
    assert str(parsed) == canonical


def test_reissued_star_is_kept() -> None:
    parsed = parse_symbol("A/HRC/RES/20/8*")
    assert isinstance(parsed, UNSymbol)
    assert parsed.reissued


def test_session_number_only_for_numbered_ga_sessions() -> None:
    assert isinstance(p := parse_symbol("A/70/174"), UNSymbol) and p.session_number == 70
    assert isinstance(p := parse_symbol("A/ES-10/L.22"), UNSymbol) and p.session_number is None
    assert isinstance(p := parse_symbol("S/2002/1234"), UNSymbol) and p.session_number is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("B/12", "unknown organ"),
        ("A", "at least two"),
        ("A//12", "at least two"),
        ("A/RES/70", "needs a session"),
        ("A/Add.1", "only Add."),
        ("A/70/Rev.1/174", "must come last"),
        ("S/2002/1234 (2003)", "contradicts"),
    ],
)
def test_bad_symbols_are_typed_errors(text: str, reason: str) -> None:
    parsed = parse_symbol(text)
    assert isinstance(parsed, SymbolError)
    assert reason in parsed.reason
    assert parsed.text == text


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Developments …, A/RES/53/70 (4 January 1999), http://x", ["A/RES/53/70"]),
        ("Developments …, A/59/116 (2004).", ["A/59/116"]),
        ("…, A/61/161.", ["A/61/161"]),
        ("S/RES/1440 (2002) and A/70/174 and A/70/174", ["S/RES/1440 (2002)", "A/70/174"]),
        ("see http://www.un.org/ga/search/view_doc.asp?symbol=A/RES/53/70", []),
        ("TELMIN5/1 and WSIS-03/GENEVA/DOC/4-E and 2010/TELMIN/024", []),
        ("Joint Pub 3-13 and 788-r", []),
    ],
)
def test_find_symbols(text: str, found: list[str]) -> None:
    assert [s.canonical for s in find_symbols(text)] == found


@pytest.mark.parametrize(
    ("url", "symbol"),
    [
        ("http://www.un.org/ga/search/view_doc.asp?symbol=A/RES/53/70", "A/RES/53/70"),
        ("www.un.org/ga/search/view_doc.asp?symbol=A/68/98&referer=/english/&Lang=E", "A/68/98"),
        ("http://undocs.org/A/70/172", "A/70/172"),
        ("http://example.org/A/page", None),
        ("http://www.c4i.org/jp3_13.pdf", None),
    ],
)
def test_symbol_in_url(url: str, symbol: str | None) -> None:
    found = symbol_in_url(url)
    assert (found.canonical if found else None) == symbol


def test_find_symbols_is_linear_on_adversarial_input() -> None:
    # A long run of slashes and letters must not make the regex backtrack: this returns at once.
    assert find_symbols("A/" + "B/" * 20000 + "!") == ()
