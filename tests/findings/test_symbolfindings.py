"""UN symbols into findings: a URL that opens another document than the text names, and the
access URL suggested for a citation that names a symbol but gives no URL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from citecheck.cite.citation import Citation
from citecheck.findings.analysis import analyse
from citecheck.findings.finding import FindingKind, Severity
from citecheck.findings.symbols import suggested_url_findings, symbol_mismatch_findings
from citecheck.judge.sites import citation_problems, suggested_links, symbol_mismatches
from citecheck.judge.verdicts import LinkVerdict, VerdictWord
from citecheck.probe.links import Link, normalize_url
from citecheck.read.model import Place

ACCESS = "https://documents.un.org/api/symbol/access"
VIEW_DOC = "http://www.un.org/ga/search/view_doc.asp?symbol="


def citation(
    raw: str,
    urls: tuple[str, ...] = (),
    symbols: tuple[str, ...] = (),
    *,
    note: int = 1,
    langid: str = "",
    refers_to: str | None = None,
) -> Citation:
    """As the parser leaves it: `symbols` holds the text's symbols and then its URLs'."""
    return Citation(
        key=f"k{note}",
        type="report",
        fields={"langid": langid} if langid else {},
        place=Place("a.txt", note, 10 + note),
        raw=raw,
        urls=urls,
        un_symbols=symbols,
        refers_to=refers_to,
    )


@pytest.mark.parametrize(
    ("raw", "urls", "symbols", "expected"),
    [
        pytest.param(
            f"General Assembly resolution A/RES/53/70, 4 January 1999, {VIEW_DOC}A/RES/53/59",
            (f"{VIEW_DOC}A/RES/53/59",),
            ("A/RES/53/70", "A/RES/53/59"),  # the parser adds the URL's symbol
            [(f"{VIEW_DOC}A/RES/53/59", "A/RES/53/59", ("A/RES/53/70",))],
            id="text and URL disagree",
        ),
        pytest.param(
            f"Report, A/68/98, 24 June 2013, {VIEW_DOC}A/68/98&Lang=E",
            (f"{VIEW_DOC}A/68/98&Lang=E",),
            ("A/68/98",),
            [],
            id="text and URL agree",
        ),
        pytest.param(
            "Report, A/68/98*, https://undocs.org/a/68/98",
            ("https://undocs.org/a/68/98",),
            ("A/68/98*",),
            [],
            id="reissue star and lower case are the same document",
        ),
        pytest.param(
            "Report of the GGE, 22 July 2015, https://undocs.org/A/70/174",
            ("https://undocs.org/A/70/174",),
            ("A/70/174",),
            [],
            id="only the URL names a symbol: nothing to disagree with",
        ),
        pytest.param(
            "Letter, A/66/359, 14 September 2011, https://www.rand.org/A/66/360",
            ("https://www.rand.org/A/66/360",),
            ("A/66/359",),
            [],
            id="a URL off the UN names no symbol",
        ),
        pytest.param(
            f"Resolutions A/RES/53/70 and A/RES/54/49, {VIEW_DOC}A/RES/54/49",
            (f"{VIEW_DOC}A/RES/54/49",),
            ("A/RES/53/70", "A/RES/54/49"),
            [],
            id="the URL opens one of the symbols the text names",
        ),
    ],
)
def test_symbol_mismatches(
    raw: str,
    urls: tuple[str, ...],
    symbols: tuple[str, ...],
    expected: list[tuple[str, str, tuple[str, ...]]],
) -> None:
    found = symbol_mismatches(citation(raw, urls, symbols))
    assert [(m.url, m.in_url, m.in_text) for m in found] == expected


def test_a_mismatch_becomes_a_finding_at_the_citation_with_a_fix() -> None:
    url = f"{VIEW_DOC}A/RES/53/59"
    wrong = citation(f"A/RES/53/70, {url}", (url,), ("A/RES/53/70", "A/RES/53/59"), note=4)
    (finding,) = symbol_mismatch_findings([wrong])
    assert (finding.kind, finding.severity, finding.places) == (
        FindingKind.SYMBOL_MISMATCH,
        Severity.MEDIUM,
        (Place("a.txt", 4, 14),),
    )
    assert finding.message == (
        f"The text cites A/RES/53/70 but its URL {url} opens A/RES/53/59; "
        "correct the symbol or the URL."
    )
    assert finding.url == url


@pytest.mark.parametrize(
    ("citations", "expected"),
    [
        pytest.param(
            [citation("Report, A/54/213, 10 August 1999", symbols=("A/54/213",))],
            [(f"{ACCESS}?s=A/54/213&l=en&t=pdf", "A/54/213", [1])],
            id="a symbol without a URL gets the English access URL",
        ),
        pytest.param(
            [
                citation("Rapport, A/54/213, français", symbols=("A/54/213",), langid="French"),
                citation("Report, A/54/213", symbols=("A/54/213",), note=2),
                citation("Report, A/54/213", symbols=("A/54/213",), note=3),
            ],
            [
                (f"{ACCESS}?s=A/54/213&l=fr&t=pdf", "A/54/213", [1]),
                (f"{ACCESS}?s=A/54/213&l=en&t=pdf", "A/54/213", [2, 3]),
            ],
            id="one link per symbol and language, with every place",
        ),
        pytest.param(
            [
                citation(
                    "Res. 53/70, A/RES/53/70, and A/RES/54/49",
                    symbols=("A/RES/53/70", "A/RES/54/49"),
                )
            ],
            [
                (f"{ACCESS}?s=A/RES/53/70&l=en&t=pdf", "A/RES/53/70", [1]),
                (f"{ACCESS}?s=A/RES/54/49&l=en&t=pdf", "A/RES/54/49", [1]),
            ],
            id="each symbol of a citation",
        ),
        pytest.param(
            [
                citation(f"A/68/98, {VIEW_DOC}A/68/98", (f"{VIEW_DOC}A/68/98",), ("A/68/98",)),
                citation("Ibid., A/68/98", symbols=("A/68/98",), refers_to="k1", note=2),
                citation("Jane Roe, A Book, 2010"),
            ],
            [],
            id="a citation with a URL, a back reference, no symbol: nothing suggested",
        ),
    ],
)
def test_suggested_links(
    citations: list[Citation], expected: list[tuple[str, str, list[int]]]
) -> None:
    links = suggested_links(citations)
    assert [(k.url, k.suggested_for, [p.note for p in k.cited_in]) for k in links] == expected
    assert all(k.normalized_url == normalize_url(k.url) for k in links)


def test_a_url_some_author_cited_is_not_suggested_again() -> None:
    url = f"{ACCESS}?s=A/54/213&l=en&t=pdf"
    cited = (Link(url, normalize_url(url)),)
    assert suggested_links([citation("A/54/213", symbols=("A/54/213",))], cited) == ()


def verdict(word: VerdictWord, reason: str, suggested_for: str | None = "A/54/213") -> LinkVerdict:
    url = f"{ACCESS}?s=A/54/213&l=en&t=pdf"
    return LinkVerdict(
        url=url,
        normalized_url=normalize_url(url),
        verdict=word,
        reason=reason,
        cited_in=(Place("a.txt", 36, 525),),
        suggested_for=suggested_for,
    )


@pytest.mark.parametrize(
    ("word", "reason", "message"),
    [
        (
            "ok",
            "HTTP 200",
            f"A/54/213 has no URL; its document is at {ACCESS}?s=A/54/213&l=en&t=pdf, cite that.",
        ),
        (
            "unchecked",
            "offline, not in cache",
            f"A/54/213 has no URL; its document should be at {ACCESS}?s=A/54/213&l=en&t=pdf "
            "(not checked: offline, not in cache).",
        ),
        (
            "soft-404",
            "document request landed on the search page https://documents.un.org/",
            f"A/54/213 has no URL, and the suggested {ACCESS}?s=A/54/213&l=en&t=pdf did not "
            "answer with the document (soft-404: document request landed on the search page "
            "https://documents.un.org/); check the symbol.",
        ),
        (
            "dead",
            "HTTP 404",
            f"A/54/213 has no URL, and the suggested {ACCESS}?s=A/54/213&l=en&t=pdf did not "
            "answer with the document (dead: HTTP 404); check the symbol.",
        ),
    ],
)
def test_a_suggested_link_is_a_low_suggestion_never_a_dead_link(
    word: VerdictWord, reason: str, message: str
) -> None:
    (finding,) = suggested_url_findings([verdict(word, reason)])
    assert (finding.kind, finding.severity, finding.message) == (
        FindingKind.SUGGESTED_URL,
        Severity.LOW,
        message,
    )
    assert finding.places == (Place("a.txt", 36, 525),)


def test_only_suggested_links_become_suggestions() -> None:
    assert suggested_url_findings([verdict("dead", "HTTP 404", suggested_for=None)]) == []


def test_the_analysis_reports_a_failed_suggestion_as_a_suggestion_not_a_dead_link() -> None:
    own = replace(verdict("dead", "HTTP 404", suggested_for=None), url="http://a.example/x")
    findings, _ = analyse([], [], [verdict("dead", "HTTP 404"), own], today=date(2026, 11, 23))
    assert sorted(f.kind.value for f in findings) == ["suggested-url", "suspect-link"]


def test_citation_problems_compare_the_words_not_the_symbols_read_from_the_url() -> None:
    url = f"{VIEW_DOC}A/RES/53/59"
    parsed = citation(f"A/RES/53/70, 4 January 1999, {url}", (url,), ("A/RES/53/70", "A/RES/53/59"))
    assert citation_problems(parsed) == (
        "the text cites A/RES/53/70 but its URL opens A/RES/53/59",
    )
