"""The registry seam the prober and verdict step use: rule_for, judge, successors, problems."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.cite.citation import Citation
from citecheck.judge.sites import (
    RULES,
    citation_problems,
    find_successors,
    rule_for,
    successor_candidates,
)
from citecheck.judge.verdicts import LinkVerdict
from citecheck.probe.links import Link
from citecheck.probe.observation import Observation
from citecheck.read.model import Place
from tests.support.sites_helpers import observed

ACCESS = "https://documents.un.org/api/symbol/access"


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("http://www.un.org/ga/search/view_doc.asp?symbol=A/68/98", "un"),
        ("HTTPS://UNDOCS.ORG/A/70/172", "un"),
        ("daccess-dds-ny.un.org/doc/UNDOC/GEN/N04/407/04/PDF/N0440704.pdf", "un"),
        ("https://www.mfa.gov.cn/eng/", "fmprc"),
        ("http://fmprc.gov.cn/", "fmprc"),
        ("http://www.apec.org/", "apec"),
        ("https://www.fun.org/x", None),
        ("https://example.org/?next=http://www.un.org/", None),
        ("https://www.rand.org/pubs/research_reports/RR1335.html", None),
        ("not a url at all", None),
        ("http://[::1", None),
    ],
)
def test_rule_for_matches_hosts_only(url: str, name: str | None) -> None:
    rule = rule_for(url)
    assert (rule.name if rule else None) == name


def test_rule_names_are_unique() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("url", "symbols", "language", "expected"),
    [
        (
            "http://daccess-dds-ny.un.org/doc/UNDOC/GEN/N11/496/56/PDF/N1149656.pdf?OpenElement",
            ("A/66/359",),
            None,
            (
                "https://documents.un.org/doc/undoc/gen/n11/496/56/pdf/n1149656.pdf",
                f"{ACCESS}?s=A/66/359&l=en&t=pdf",
            ),
        ),
        (
            "http://www.un.org/ga/search/view_doc.asp?symbol=A/RES/53/70",
            ("A/RES/53/70",),
            "french",
            (f"{ACCESS}?s=A/RES/53/70&l=en&t=pdf", f"{ACCESS}?s=A/RES/53/70&l=fr&t=pdf"),
        ),
        (
            "http://www.un.org/ga/search/view_doc.asp?symbol=A/RES/53/70",
            ("A/RES/53/70",),
            None,
            (f"{ACCESS}?s=A/RES/53/70&l=en&t=pdf",),
        ),
        (
            None,
            ("A/70/174", "A/68/98"),
            "zh",
            (f"{ACCESS}?s=A/70/174&l=zh&t=pdf", f"{ACCESS}?s=A/68/98&l=zh&t=pdf"),
        ),
        ("http://undocs.org/A/70/172", ("A/70/174",), None, ()),
        ("https://www.rand.org/x", ("A/70/174",), None, (f"{ACCESS}?s=A/70/174&l=en&t=pdf",)),
        (
            "http://www.apec.org/Meeting-Papers/x.aspx",
            ("A/70/174",),
            None,
            ("https://www.apec.org/meeting-papers/x",),
        ),
        (
            "http://www.fmprc.gov.cn/mfa_eng/wjbxw/t1212941.shtml",
            (),
            None,
            ("https://www.mfa.gov.cn/mfa_eng/wjbxw/t1212941.shtml",),
        ),
    ],
)
def test_successor_candidates_combine_url_and_symbol_knowledge(
    url: str | None, symbols: tuple[str, ...], language: str | None, expected: tuple[str, ...]
) -> None:
    assert successor_candidates(url, symbols, language) == expected


def _citation(raw: str, symbols: tuple[str, ...], urls: tuple[str, ...], date: str) -> Citation:
    return Citation(
        key="k",
        type="report",
        fields={"date": date},
        place=Place("references/000.txt", note=31, line=525),
        raw=raw,
        urls=urls,
        un_symbols=symbols,
    )


def test_citation_problems_for_mismatched_symbol_and_impossible_session() -> None:
    wrong = _citation(
        "resolution 53/70, A/RES/53/70 (2011), http://www.un.org/ga/search/view_doc.asp?symbol=A/RES/53/59",
        ("A/RES/53/70",),
        ("http://www.un.org/ga/search/view_doc.asp?symbol=A/RES/53/59",),
        "2011-01-04",
    )
    assert citation_problems(wrong) == (
        "the text cites A/RES/53/70 but its URL opens A/RES/53/59",
        "A/RES/53/70 is a document of the General Assembly's 53rd session (1998–99), "
        "but the citation dates it 2011-01-04",
        "A/RES/53/59 is a document of the General Assembly's 53rd session (1998–99), "
        "but the citation dates it 2011-01-04",
    )
    right = _citation(
        "A/RES/53/70 (4 January 1999)",
        ("A/RES/53/70",),
        ("http://www.un.org/ga/search/view_doc.asp?symbol=A/RES/53/70",),
        "1999-01-04",
    )
    assert citation_problems(right) == ()


def _verdict(url: str, word: str, rule: str | None = None) -> LinkVerdict:
    return LinkVerdict(url=url, normalized_url=url, verdict=word, reason="r", rule=rule)  # type: ignore[arg-type]


def test_find_successors_probes_candidates_once_and_records_live_ones() -> None:
    view_doc = "http://www.un.org/ga/search/view_doc.asp?symbol=A/68/98"
    apec_old = "http://www.apec.org/Meeting-Papers/Ministerial-Statements/Telecommunications-and-Information/2002_tel/annex_a.aspx"
    fmprc_old = "http://www.fmprc.gov.cn/mfa_eng/wjdt_665385/zyjh_665391/t869580.shtml"
    elsewhere = "https://www.rand.org/pubs/x.html"
    unidir = "http://www.unidir.org/files/medias/pdfs/information-security.pdf"
    verdicts = [
        _verdict(view_doc, "ok", rule="un"),  # a retired form still answering
        _verdict(apec_old, "soft-404", rule="apec"),
        _verdict(fmprc_old, "error", rule="fmprc"),
        _verdict(elsewhere, "dead"),  # no rule, no symbol: nothing to probe
        _verdict(unidir, "dead"),  # no rule, but it cites a UN document
        _verdict("http://undocs.org/A/70/172", "ok", rule="un"),  # current form, fine
    ]
    links = [
        Link(url=v.url, normalized_url=v.url, un_symbols=("A/65/201",) if v.url == unidir else ())
        for v in verdicts
    ]
    asked: list[list[str]] = []
    access = f"{ACCESS}?s=A/68/98&l=en&t=pdf"
    hyphen, joined = (
        "https://www.apec.org/meeting-papers/sectoral-ministerial-meetings/telecommunications-and-information/2002_tel/annex_a",
        "https://www.apec.org/meeting-papers/sectoral-ministerial-meetings/telecommunicationsandinformation/2002_tel/annex_a",
    )
    mirror = "https://www.mfa.gov.cn/mfa_eng/wjdt_665385/zyjh_665391/t869580.shtml"
    by_symbol = f"{ACCESS}?s=A/65/201&l=en&t=pdf"
    answers = {
        by_symbol: observed(
            by_symbol,
            final_url="https://documents.un.org/doc/undoc/gen/n10/469/57/pdf/n1046957.pdf",
        ),
        access: observed(
            access, final_url="https://documents.un.org/doc/undoc/gen/n13/371/66/pdf/n1337166.pdf"
        ),
        hyphen: observed(hyphen, "apec_home.html", final_url="https://www.apec.org/"),
        joined: observed(joined, "apec_paper.html"),
        mirror: observed(mirror, status=None, error="reset"),
    }

    def probe(urls: Sequence[str]) -> Mapping[str, Observation]:
        asked.append(list(urls))
        return {u: answers[u] for u in urls if u in answers}

    updated = find_successors(verdicts, links, probe)
    assert asked == [[access, hyphen, joined, mirror, by_symbol]]
    assert [(v.successor_url, v.rule) for v in updated] == [
        (access, "un"),
        (joined, "apec"),
        (None, "fmprc"),
        (None, None),
        (by_symbol, None),
        (None, "un"),
    ]


def test_find_successors_asks_nothing_when_no_rule_applies() -> None:
    verdicts = [_verdict("https://www.rand.org/x", "dead")]

    def probe(urls: Sequence[str]) -> Mapping[str, Observation]:
        raise AssertionError("no probe expected")

    assert find_successors(verdicts, [], probe) == tuple(verdicts)


URL_ALPHABET = "abcdefghiklmnorstuvwxyzADGLNORSU0123456789/:.?&=%-_()* "
PREFIXES = (
    "",
    "http://www.un.org/ga/search/view_doc.asp?symbol=",
    "https://daccess-ods.un.org/access.nsf/Get?Open&DS=",
    "http://daccess-dds-ny.un.org/doc/UNDOC/GEN/",
    "https://undocs.org/en/",
    "http://www.fmprc.gov.cn/mfa_eng/",
    "http://www.apec.org/Meeting-Papers/",
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PREFIXES), st.text(alphabet=URL_ALPHABET, max_size=300))
def test_rules_are_total_on_arbitrary_urls(prefix: str, tail: str) -> None:
    url = prefix + tail
    rule = rule_for(url)
    if rule is not None:
        form = rule.url_form(url)
        assert form is None or form.startswith(rule.name + ".")
        for successor in rule.successors(url):
            assert successor.startswith("https://")
    successor_candidates(url, (tail,))


def test_rules_stay_fast_on_long_adversarial_urls() -> None:
    """Linear patterns: these return at once (a backtracking pattern would hang here)."""
    for url in (
        "http://www.un.org/ga/search/view_doc.asp?symbol=" + "A/" * 50_000 + "(",
        "http://daccess-dds-ny.un.org/doc/undoc/" + "gen/n11/" * 20_000 + "x.pdf",
        "http://www.fmprc.gov.cn/" + "202212/t" * 20_000 + "_1.html",
        "http://www.apec.org/Meeting-Papers/" + "Ministerial-Statements/" * 10_000 + "x.aspx",
    ):
        rule = rule_for(url)
        assert rule is not None
        rule.url_form(url)
        rule.successors(url)
