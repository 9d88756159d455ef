"""UN rule: URL forms, symbols in URLs, current access URLs, symbol/date checks, soft 404s."""

from __future__ import annotations

import pytest

from citecheck.judge.sites import live_successor, rule_for
from citecheck.judge.sites.un import (
    RULE,
    access_url,
    date_problem,
    ga_session,
    language_in_url,
    successors_for_citation,
    symbol_in_url,
    url_form,
    url_symbol_mismatch,
)
from tests.support.sites_helpers import observed

ACCESS = "https://documents.un.org/api/symbol/access"


@pytest.mark.parametrize(
    ("url", "form", "symbol", "language"),
    [
        (
            "http://www.un.org/ga/search/view_doc.asp?symbol=A/68/98&Lang=E",
            "un.view_doc",
            "A/68/98",
            "en",
        ),
        (
            "www.un.org/en/ga/search/view_doc.asp?symbol=A/RES/53/59.",
            "un.view_doc",
            "A/RES/53/59",
            None,
        ),
        (
            "http://www.un.org/ga/search/view_doc.asp?symbol=A/70/L.1&Lang=C",
            "un.view_doc",
            "A/70/L.1",
            "zh",
        ),
        (
            "http://www.un.org/en/ga/search/view_doc.asp?symbol=S/RES/174(1962)",
            "un.view_doc",
            "S/RES/174 (1962)",
            None,
        ),
        (
            "http://www.un.org/en/ga/search/view_doc.asp?symbol=%20A/RES/70/1",
            "un.view_doc",
            "A/RES/70/1",
            None,
        ),
        (
            "https://daccess-ods.un.org/access.nsf/Get?Open&DS=A/RES/53/70&Lang=E",
            "un.daccess-ods",
            "A/RES/53/70",
            "en",
        ),
        (
            "http://daccess-ods.un.org/access.nsf/Get?OpenAgent&DS=A/C.1/53/L.17&Lang=F",
            "un.daccess-ods",
            "A/C.1/53/L.17",
            "fr",
        ),
        (
            "http://daccess-dds-ny.un.org/doc/UNDOC/GEN/N11/496/56/PDF/N1149656.pdf?OpenElement",
            "un.daccess-dds",
            None,
            None,
        ),
        ("http://undocs.org/A/70/172", "un.undocs", "A/70/172", None),
        ("https://undocs.org/en/A/70/172", "un.undocs", "A/70/172", "en"),
        ("https://undocs.org/ru/A/RES/73/27", "un.undocs", "A/RES/73/27", "ru"),
        ("https://undocs.org/S/2015/5*", "un.undocs", "S/2015/5*", None),
        (f"{ACCESS}?s=A/RES/53/70&l=es&t=pdf", "un.documents", "A/RES/53/70", "es"),
        (f"{ACCESS}?s=a/res/53/70&l=en&t=pdf", "un.documents", "A/RES/53/70", "en"),
        ("https://undocs.org/en/a/70/174/add.1", "un.undocs", "A/70/174/Add.1", "en"),
        ("https://undocs.org/A/RES/53", "un.undocs", None, None),
        (
            "http://www.un.org/disarmament/special/meetings/firstcommittee/68/pdfs/x.pdf",
            "un.page",
            None,
            None,
        ),
        ("https://example.org/ga/search/view_doc.asp?symbol=A/68/98", None, None, None),
    ],
)
def test_url_forms_symbols_and_languages(
    url: str, form: str | None, symbol: str | None, language: str | None
) -> None:
    assert url_form(url) == form
    assert symbol_in_url(url) == symbol
    assert language_in_url(url) == language


@pytest.mark.parametrize(
    ("symbol", "language", "expected"),
    [
        ("A/RES/53/70", None, f"{ACCESS}?s=A/RES/53/70&l=en&t=pdf"),
        ("A/RES/53/70", "french", f"{ACCESS}?s=A/RES/53/70&l=fr&t=pdf"),
        ("A/70/174", "zh", f"{ACCESS}?s=A/70/174&l=zh&t=pdf"),
        ("A/70/174", "Russian", f"{ACCESS}?s=A/70/174&l=ru&t=pdf"),
        ("A/70/174", "klingon", f"{ACCESS}?s=A/70/174&l=en&t=pdf"),
        ("S/RES/1440 (2002)", "en", f"{ACCESS}?s=S/RES/1440%20(2002)&l=en&t=pdf"),
    ],
)
def test_access_url_is_symbol_based_in_the_citation_language(
    symbol: str, language: str | None, expected: str
) -> None:
    assert access_url(symbol, language) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "http://www.un.org/ga/search/view_doc.asp?symbol=A/68/98&Lang=E",
            (f"{ACCESS}?s=A/68/98&l=en&t=pdf",),
        ),
        (
            "http://www.un.org/ga/search/view_doc.asp?symbol=A/70/L.1&Lang=C",
            (f"{ACCESS}?s=A/70/L.1&l=zh&t=pdf",),
        ),
        (
            "https://daccess-ods.un.org/access.nsf/Get?Open&DS=A/RES/53/70&Lang=E",
            (f"{ACCESS}?s=A/RES/53/70&l=en&t=pdf",),
        ),
        (
            "http://daccess-dds-ny.un.org/doc/UNDOC/GEN/N05/453/63/PDF/N0545363.pdf?OpenElement",
            ("https://documents.un.org/doc/undoc/gen/n05/453/63/pdf/n0545363.pdf",),
        ),
        ("http://undocs.org/A/70/172", ()),
        (f"{ACCESS}?s=A/70/172&l=en&t=pdf", ()),
        ("http://www.un.org/ga/search/view_doc.asp?lang=E", ()),
    ],
)
def test_retired_forms_have_current_successors(url: str, expected: tuple[str, ...]) -> None:
    assert RULE.successors(url) == expected


def test_a_citation_with_symbols_and_no_url_gets_access_urls_once_each() -> None:
    symbols = ("A/RES/53/70", "A/RES/53/70.", "a/res/53/70", "not a symbol", "S/RES/1440 (2002)")
    assert successors_for_citation(symbols, "english") == (
        f"{ACCESS}?s=A/RES/53/70&l=en&t=pdf",
        f"{ACCESS}?s=S/RES/1440%20(2002)&l=en&t=pdf",
    )


@pytest.mark.parametrize(
    ("text_symbols", "url", "problem"),
    [
        (("A/68/98",), "http://www.un.org/ga/search/view_doc.asp?symbol=A/68/98", None),
        (("A/68/98*",), "http://www.un.org/ga/search/view_doc.asp?symbol=a/68/98.", None),
        (("A/RES/53/70",), "http://undocs.org/A/RES/53/70", None),
        ((), "http://undocs.org/A/70/172", None),
        (
            ("A/70/174",),
            "http://daccess-dds-ny.un.org/doc/UNDOC/GEN/N15/228/35/PDF/N1522835.pdf",
            None,
        ),
        (
            ("A/70/174",),
            "http://undocs.org/A/70/172",
            "the text cites A/70/174 but its URL opens A/70/172",
        ),
    ],
)
def test_symbol_in_text_versus_symbol_in_url(
    text_symbols: tuple[str, ...], url: str, problem: str | None
) -> None:
    assert url_symbol_mismatch(text_symbols, url) == problem


@pytest.mark.parametrize(
    ("symbol", "session"),
    [
        ("A/RES/53/70", 53),
        ("A/53/70", 53),
        ("A/C.1/53/L.17", 53),
        ("A/68/98*", 68),
        ("A/70/174/Add.1", 70),
        ("A/ES-10/L.22", None),
        ("S/RES/1440 (2002)", None),
        ("A/CONF.213/8", None),
        ("E/2013/50", None),
    ],
)
def test_general_assembly_session_read_from_symbol(symbol: str, session: int | None) -> None:
    assert ga_session(symbol) == session


@pytest.mark.parametrize(
    ("symbol", "date", "problem"),
    [
        # the dated UN citations of the five texts are all consistent
        ("A/RES/53/70", "1999-01-04", None),
        ("A/RES/53/59", "1999-02-18", None),
        ("A/RES/55/28", "2000-11-20", None),
        ("A/RES/57/53", "2002-12-30", None),
        ("A/59/116", "2004-06-23", None),
        ("A/60/202", "2005-08-05", None),
        ("A/61/161", "2006-07-18", None),
        ("A/66/359", "2011-09-14", None),
        ("A/68/98", "2013-06-24", None),
        ("A/70/174", "2015-07-22", None),
        ("A/70/172", "2015-07-22", None),
        # the session bounds: the 53rd session runs 1998-99
        ("A/RES/53/70", "1998", None),
        (
            "A/RES/53/70",
            "2011-03-01",
            "A/RES/53/70 is a document of the General Assembly's 53rd session (1998–99), "
            "but the citation dates it 2011-03-01",
        ),
        (
            "A/RES/53/70",
            "1997-12",
            "A/RES/53/70 is a document of the General Assembly's 53rd session (1998–99), "
            "but the citation dates it 1997-12",
        ),
        ("A/C.1/61/L.1", "2006-10-01", None),
        ("S/RES/1440 (2002)", "2002-10-24", None),
        (
            "S/RES/1440 (2002)",
            "2012",
            "S/RES/1440 (2002) was adopted in 2002, but the citation dates it 2012",
        ),
        ("E/2013/50", "1999", None),
        ("A/RES/53/70", None, None),
        ("A/RES/53/70", "n.d.", None),
    ],
)
def test_session_and_date_agree(symbol: str, date: str | None, problem: str | None) -> None:
    assert date_problem(symbol, date) == problem


@pytest.mark.parametrize(
    ("url", "fixture", "final_url", "reason"),
    [
        (
            f"{ACCESS}?s=A/70/174&l=en&t=pdf",
            None,
            "https://documents.un.org/doc/undoc/gen/n15/228/35/pdf/n1522835.pdf",
            None,
        ),
        (
            f"{ACCESS}?s=A/99/999&l=en&t=pdf",
            "un_documents_not_found.html",
            None,
            "not-found page (body says 'document not found')",
        ),
        (
            f"{ACCESS}?s=A/99/999&l=en&t=pdf",
            "un_documents_not_found.html",
            "https://documents.un.org/",
            "document request landed on the search page https://documents.un.org/",
        ),
        (
            "http://www.un.org/disarmament/special/meetings/firstcommittee/68/pdfs/x.pdf",
            "un_home.html",
            "https://www.un.org/en/",
            "deep link redirected to the home page https://www.un.org/en/",
        ),
        ("https://www.un.org/en/", "un_home.html", None, None),
    ],
)
def test_un_soft_404s(
    url: str, fixture: str | None, final_url: str | None, reason: str | None
) -> None:
    assert RULE.soft_404_reason(observed(url, fixture, final_url=final_url)) == reason


def test_the_access_url_is_offered_only_when_it_answers_with_the_document() -> None:
    rule = rule_for("http://www.un.org/ga/search/view_doc.asp?symbol=A/68/98")
    assert rule is RULE
    good = f"{ACCESS}?s=A/68/98&l=en&t=pdf"
    found, refused = live_successor(
        RULE,
        [
            (good + "#x", observed(good, "un_documents_not_found.html")),
            (
                good,
                observed(
                    good,
                    final_url="https://documents.un.org/doc/undoc/gen/n13/371/66/pdf/n1337166.pdf",
                ),
            ),
        ],
    )
    assert found == good
    assert refused == (f"{good}#x: not-found page (body says 'document not found')",)
