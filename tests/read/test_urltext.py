"""URL finding and line repair: each row is text in, URLs or text out."""

from __future__ import annotations

import pytest

from citecheck.read.urltext import (
    clean_url,
    find_urls,
    markdown_links,
    readable_text,
    unescape,
    unwrap_lines,
    unwrap_with_offsets,
)


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        # trailing sentence punctuation is not part of the URL
        ("see http://www.c4i.org/jp3_13.pdf. This doctrine", ["http://www.c4i.org/jp3_13.pdf"]),
        ("at http://a.org/x.htm: ‘As a non-party", ["http://a.org/x.htm"]),
        ("archive/75-chinas-footprint; and http://b.org/c", ["http://b.org/c"]),
        ("https://ccdcoe.org/incyder.html).", ["https://ccdcoe.org/incyder.html"]),
        ("(GCCS2015, https://www.gccs2015.com/), and", ["https://www.gccs2015.com/"]),
        ('"quoted http://a.org/b?"', ["http://a.org/b"]),
        # ... but balanced parentheses and inner punctuation are
        ("x.html?reference=EPRS_BRI(2015)564374.", []),
        (
            "https://en.wikipedia.org/wiki/Norm_(philosophy).",
            ["https://en.wikipedia.org/wiki/Norm_(philosophy)"],
        ),
        (
            "http://www.itu.int/S03-WSIS-DOC-0004!!PDF-E.pdf.",
            ["http://www.itu.int/S03-WSIS-DOC-0004!!PDF-E.pdf"],
        ),
        (
            "N0440704.pdf http://d.un.org/PDF/N0440704.pdf?OpenElement.",
            ["http://d.un.org/PDF/N0440704.pdf?OpenElement"],
        ),
        ("http://x.org/$FILE/sg61.161.pdf. ", ["http://x.org/$FILE/sg61.161.pdf"]),
        (
            "http://csis.org/100510_CICIR%20Speech.pdf.",
            ["http://csis.org/100510_CICIR%20Speech.pdf"],
        ),
        # angle brackets
        ("See <http://csis.org/program/cicir>.", ["http://csis.org/program/cicir"]),
        ("³ <http://ciirc.china.cn/>.", ["http://ciirc.china.cn/"]),
        # full-width punctuation right against a URL
        (
            "2010年6月8日。http://www.scio.gov.cn/t662572.htm.",
            ["http://www.scio.gov.cn/t662572.htm"],
        ),
        ("见http://www.a.cn/b.htm，以及", ["http://www.a.cn/b.htm"]),
        ("http://www.a.cn/b.html。《2013年》。", ["http://www.a.cn/b.html"]),
        # a bare www. address is given a scheme
        ("2013, www.hoover.org/sites/de", ["http://www.hoover.org/sites/de"]),
        ("Online at WWW.Example.org/x.", ["http://WWW.Example.org/x"]),
        # markdown links: the target, once
        (
            "[www.ey.com/en/\\\\$FILE/ey.pdf](http://www.ey.com/en/$FILE/ey.pdf).",
            ["http://www.ey.com/en/$FILE/ey.pdf"],
        ),
        (
            "[www.europarl.eu/d.html?r=EPRS_BRI\\(2015\\)564374]"
            "(http://www.europarl.eu/d.html?r=EPRS_BRI(2015)564374).",
            ["http://www.europarl.eu/d.html?r=EPRS_BRI(2015)564374"],
        ),
        ("[the report](<http://a.org/b c>)", ["http://a.org/b"]),
        ("[the report](<http://a.org/b>)", ["http://a.org/b"]),
        # escapes undone in bare URLs
        (
            "www.europarl.eu/d.html?r=BRI\\(2015\\)56.",
            ["http://www.europarl.eu/d.html?r=BRI(2015)56"],
        ),
        # several URLs, in order
        (
            "http://a.org/1; Joe, http://b.org/2 and www.c.org/3.",
            ["http://a.org/1", "http://b.org/2", "http://www.c.org/3"],
        ),
        # nothing that is not a URL
        ("China.org.cn, English.news.cn, Gazeta.ru", []),
        ("http:// and www. alone", []),
        ("mailto:someone@www.example.org", []),
        ("the file name sg61.161.pdf", []),
    ],
)
def test_find_urls(text: str, urls: list[str]) -> None:
    assert [found.url for found in find_urls(text)] == urls


@pytest.mark.parametrize(
    ("raw", "url"),
    [
        ("http://a.org/b.", "http://a.org/b"),
        ("http://a.org/b).", "http://a.org/b"),
        ("http://a.org/(b)", "http://a.org/(b)"),
        ("http://a.org/b]", "http://a.org/b"),
        ("http://a.org/b*", "http://a.org/b"),
        ("http://a.org/\\$FILE", "http://a.org/$FILE"),
        ("www.a.org", "http://www.a.org"),
        ("https://", None),
        ("www.", None),
        ("www..org", None),
    ],
)
def test_clean_url(raw: str, url: str | None) -> None:
    assert clean_url(raw) == url


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        # a URL broken at a hyphen keeps the hyphen
        (
            [
                "The Diplomat, 2015, http://thediplomat.com/2015/01/us-",
                "china-internet-cooperation/.",
            ],
            "The Diplomat, 2015, http://thediplomat.com/2015/01/us-china-internet-cooperation/.",
        ),
        # ... at a dot
        (
            ["(June 8, 2010), http://www.china.", "org.cn/government/node_7093508.htm."],
            "(June 8, 2010), http://www.china.org.cn/government/node_7093508.htm.",
        ),
        # ... after the scheme, over a blank line
        (
            ["Monitor 42 (2013), http://", "", "carnegieendowment.org/files/clm42.pdf."],
            "Monitor 42 (2013), http://carnegieendowment.org/files/clm42.pdf.",
        ),
        # ... after a dot that looked like the end, then text
        (
            ["http://csis.org/files/JointStatement_CICIR.", "pdf; and Karl Rauscher"],
            "http://csis.org/files/JointStatement_CICIR.pdf; and Karl Rauscher",
        ),
        # ... over three lines
        (
            [
                "Perspektivy, 2014, http://",
                "www.perspektivy.info/table/k_2013-10-24.",
                "htm [in Russian].",
            ],
            "Perspektivy, 2014, http://www.perspektivy.info/table/k_2013-10-24.htm [in Russian].",
        ),
        # a trailing space says the URL ended
        (
            ["Statements (2015), http://www.state.gov/244208.htm. ", "While Kerry implies"],
            "Statements (2015), http://www.state.gov/244208.htm. While Kerry implies",
        ),
        (
            ["see <http://a.org/b>", "next"],
            "see <http://a.org/b> next",
        ),
        # words split by a line-end hyphen
        (["customary interna-", "tional law"], "customary international law"),
        (["on People-to-", "People Exchange"], "on People-to-People Exchange"),
        (["the Asia-", "Pacific region"], "the Asia-Pacific region"),
        (["from 2010-", "2015"], "from 2010-2015"),
        (["a dash -", "then"], "a dash - then"),
        # plain lines, spaces trimmed
        (["  one ", "two  ", "", "three"], "one two three"),
        ([], ""),
    ],
)
def test_unwrap_lines(lines: list[str], joined: str) -> None:
    assert unwrap_lines(lines) == joined


def test_soft_line_breaks_never_join_urls() -> None:
    lines = ["http://www.cfr.org/SegalPhotoBig_1.png", "credit: David White"]
    assert unwrap_lines(lines, hard_wrapped=False) == (
        "http://www.cfr.org/SegalPhotoBig_1.png credit: David White"
    )
    assert unwrap_lines(lines) == "http://www.cfr.org/SegalPhotoBig_1.pngcredit: David White"


def test_offsets_point_at_each_line() -> None:
    text, offsets = unwrap_with_offsets(["alpha interna-", "", "tional  ", "omega"])
    assert text == "alpha international omega"
    assert [text[offset:].split()[0] for offset in offsets] == [
        "alpha",
        "tional",
        "tional",
        "omega",
    ]


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("*People’s Daily* (overseas)", "People’s Daily (overseas)"),
        ("**bold** and ***both***", "bold and both"),
        ("approximately \\$51.1 billion", "approximately $51.1 billion"),
        ("BRI\\(2015\\)564374", "BRI(2015)564374"),
        ("[www.a.org/\\\\$FILE/x.pdf](http://www.a.org/$FILE/x.pdf).", "www.a.org/$FILE/x.pdf."),
        ("Nextgov, <https://a.org/b>.", "Nextgov, https://a.org/b."),
        ("  spread \t over   spaces ", "spread over spaces"),
        ("a_snake_case_url_part", "a_snake_case_url_part"),
    ],
)
def test_readable_text(text: str, plain: str) -> None:
    assert readable_text(text) == plain


@pytest.mark.parametrize(
    ("text", "plain"),
    [("\\$", "$"), ("\\\\$", "$"), ("\\a", "\\a"), ("\\", "\\"), ("\\(x\\)", "(x)")],
)
def test_unescape(text: str, plain: str) -> None:
    assert unescape(text) == plain


def test_unclosed_link_targets_are_not_links() -> None:
    links = markdown_links("[a](http://x.org/(b [c](http://y.org)")
    assert [(link.text, link.target) for link in links] == [("c", "http://y.org")]
    assert [link.target for link in markdown_links("[a](b) [c](d)")] == ["b", "d"]
