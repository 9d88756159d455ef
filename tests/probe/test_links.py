"""Normalisation (one spelling per address) and collection (one link per address)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citecheck.cite.citation import Citation, CitedDocument, CitedNote
from citecheck.probe.links import (
    CitedUrl,
    collect_links,
    normalize_url,
    url_problem,
    urls_of_bib_file,
    urls_of_documents,
    urls_of_url_file,
    with_citation_facts,
)
from citecheck.read.model import BodyUrl, DocumentError, Note, NotedDocument, Place


@pytest.mark.parametrize(
    ("cited", "normalized"),
    [
        ("http://example.com", "http://example.com/"),
        ("HTTP://Example.COM/Path", "http://example.com/Path"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com:80/a", "https://example.com:80/a"),
        ("http://example.com/a#section-2", "http://example.com/a"),
        ("http://example.com/a?b=1#x", "http://example.com/a?b=1"),
        ("http://example.com/%7euser/%41", "http://example.com/~user/A"),
        ("http://example.com/a%2fb", "http://example.com/a%2Fb"),
        ("http://example.com/a%2Fb", "http://example.com/a%2Fb"),
        ("http://example.com/a b", "http://example.com/a%20b"),
        ("http://example.com/100%", "http://example.com/100%25"),
        ("http://example.com/中文", "http://example.com/%E4%B8%AD%E6%96%87"),
        ("http://example.com/%e4%b8%ad%e6%96%87", "http://example.com/%E4%B8%AD%E6%96%87"),
        ("http://example.com/?q=中", "http://example.com/?q=%E4%B8%AD"),
        ("http://例え.jp/", "http://xn--r8jz45g.jp/"),
        ("http://BÜCHER.de/x", "http://xn--bcher-kva.de/x"),
        ("http://xn--bcher-kva.de/x", "http://xn--bcher-kva.de/x"),
        ("http://example.com./a", "http://example.com/a"),
        ("http://example.com/a/./b/../c", "http://example.com/a/c"),
        ("http://example.com/a/..", "http://example.com/"),
        ("http://[2001:DB8::1]:80/", "http://[2001:db8::1]/"),
        ("http://user@example.com/", "http://user@example.com/"),
        ("  http://example.com/a  ", "http://example.com/a"),
        ("http://example.com/a?x=1&y=2", "http://example.com/a?x=1&y=2"),
        ("HTTPS://www.fmprc.gov.cn/MFA_ENG/", "https://www.fmprc.gov.cn/MFA_ENG/"),
        ("FTP://Example.com/File", "ftp://Example.com/File"),
        ("mailto:Someone@Example.com", "mailto:Someone@Example.com"),
        ("http://example.com:99999/", "http://example.com:99999/"),
        ("not a url", "not a url"),
    ],
)
def test_normalize_url(cited: str, normalized: str) -> None:
    assert normalize_url(cited) == normalized


@pytest.mark.parametrize(
    "url",
    ["http://example.com/a b#x", "http://例え.jp/中?q=文", "http://Example.com:80/%7e/./a"],
)
def test_normalize_url_is_idempotent(url: str) -> None:
    once = normalize_url(url)
    assert normalize_url(once) == once


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://example.com/", None),
        ("https://例え.jp/", None),
        ("ftp://example.com/", "non-http scheme: ftp"),
        ("mailto:a@b.c", "non-http scheme: mailto"),
        ("example.com/page", "non-http scheme: (none)"),
        ("http:///path-only", "invalid URL: no host"),
        ("http://exa mple.org/", "invalid URL: host 'exa mple.org'"),
        ("http://a..b.org/", "invalid URL: host 'a..b.org'"),
        ("http://[::1]:8080/", None),
        ("http://127.0.0.1/", None),
        ("http://under_score.example.org/", None),
        ("http://example.com:99999/", "invalid URL: Port out of range 0-65535"),
    ],
)
def test_url_problem(url: str, problem: str | None) -> None:
    assert url_problem(url) == problem


def test_collect_links_probes_each_address_once_and_keeps_every_place() -> None:
    first = Place("a.txt", 1, 10)
    second = Place("a.txt", 7, 40)
    third = Place("b.txt", None, 3)
    links = collect_links(
        [
            CitedUrl("http://Example.com/x#top", first),
            CitedUrl("http://other.org/", second),
            CitedUrl("http://example.com:80/x", second),
            CitedUrl("http://example.com/x", third),
            CitedUrl("http://example.com/x", third),
        ]
    )
    assert [link.normalized_url for link in links] == [
        "http://example.com/x",
        "http://other.org/",
    ]
    assert links[0].url == "http://Example.com/x#top"
    assert links[0].cited_in == (first, second, third)
    assert links[1].cited_in == (second,)


def test_urls_of_documents_gives_note_and_body_places() -> None:
    document = NotedDocument(
        path="t.txt",
        markers=(1,),
        notes=(Note(number=1, line=50, text="See http://a.org/", urls=("http://a.org/",)),),
        body_urls=(BodyUrl(url="http://b.org/", line=3),),
    )
    assert urls_of_documents([document]) == [
        CitedUrl("http://a.org/", Place("t.txt", 1, 50)),
        CitedUrl("http://b.org/", Place("t.txt", None, 3)),
    ]


def test_urls_of_url_file_skips_blanks_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "urls.txt"
    path.write_text("# a comment\nhttp://a.org/\n\n  http://b.org/x  \n", encoding="utf-8")
    assert urls_of_url_file(path) == [
        CitedUrl("http://a.org/", Place(str(path), None, 2)),
        CitedUrl("http://b.org/x", Place(str(path), None, 4)),
    ]


def test_urls_of_bib_file_reads_url_fields_with_lines(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_text(
        "@online{a,\n  title = {A},\n  url = {http://a.org/x},\n}\n"
        '@report{b,\n  URL = "https://b.org/y",\n  urldate = {2020-01-01},\n}\n',
        encoding="utf-8",
    )
    assert urls_of_bib_file(path) == [
        CitedUrl("http://a.org/x", Place(str(path), None, 3)),
        CitedUrl("https://b.org/y", Place(str(path), None, 6)),
    ]


def test_urls_of_bib_file_rejects_a_file_that_is_not_bibtex(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_text("just some words\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="no BibTeX entries"):
        urls_of_bib_file(path)


URL_PARTS = st.lists(
    st.sampled_from(
        [*"aZ09-._~!$&'()*+,;=:@/?#%[] 中é\\^`{|}\"<>", "%2f", "%e4", "%41", "./", "../"]
    ),
    max_size=30,
).map("".join)


@given(
    scheme=st.sampled_from(["http", "HTTPS", "Http"]),
    host=st.sampled_from(["Example.COM", "例え.jp", "a.b.", "[::1]", "x.org:80", "y.org:8080"]),
    rest=URL_PARTS,
)
def test_normalisation_is_idempotent_on_anything(scheme: str, host: str, rest: str) -> None:
    once = normalize_url(f"{scheme}://{host}/{rest}")
    assert normalize_url(once) == once
    assert "#" not in once
    assert once.isascii() or url_problem(once) is not None


def test_with_citation_facts_adds_dates_and_symbols_of_citing_works() -> None:
    place = Place("t.txt", 4, 40)
    report = Citation(
        key="unga1999",
        type="report",
        fields={"urldate": "2015-06-01", "date": "1999-01-04"},
        place=place,
        raw="…",
        urls=("http://www.un.org/ga/search/view_doc.asp?symbol=A/RES/53/70#x",),
        un_symbols=("A/RES/53/70",),
    )
    cited = [
        CitedDocument(path="t.txt", notes=(CitedNote(number=4, line=40, citations=(report,)),))
    ]
    links = collect_links(
        [
            CitedUrl("http://www.un.org/ga/search/view_doc.asp?symbol=A/RES/53/70", place),
            CitedUrl("http://other.org/", place),
        ]
    )
    enriched = with_citation_facts(links, cited)
    assert (enriched[0].dates, enriched[0].un_symbols) == (
        ("2015-06-01", "1999-01-04"),
        ("A/RES/53/70",),
    )
    assert (enriched[1].dates, enriched[1].un_symbols) == ((), ())


def test_one_url_cited_thousands_of_times_is_collected_in_linear_time() -> None:
    """The same audit also grouped the places of one URL by a list search per place."""
    import time  # noqa: PLC0415

    from citecheck.probe.links import CitedUrl, collect_links  # noqa: PLC0415
    from citecheck.read.model import Place  # noqa: PLC0415

    url = "http://example.org/papers/internet-in-china.htm"
    cited = [CitedUrl(url, Place(f"t{i % 8}.txt", i, i)) for i in range(24_000)]
    cited += cited[:100]  # a place given twice is kept once
    started = time.perf_counter()
    (link,) = collect_links(cited)
    elapsed = time.perf_counter() - started
    assert len(link.cited_in) == 24_000
    assert link.cited_in[:2] == (Place("t0.txt", 0, 0), Place("t1.txt", 1, 1))
    assert elapsed < 10, f"24,000 places of one URL took {elapsed:.1f} s"
