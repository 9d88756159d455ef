"""Duplicate-source clustering on hand-built citations: what must merge and what must not."""

from __future__ import annotations

from dataclasses import replace

import pytest

from citecheck.cite.citation import Citation
from citecheck.findings.analysis import work_url_key
from citecheck.findings.duplicates import (
    default_url_key,
    duplicate_findings,
    find_clusters,
    is_repeated_in_full,
    is_specific,
    profile,
    same_work,
)
from citecheck.findings.finding import FindingKind, Severity
from tests.support.citefactory import cite

SCIO = "State Council Information Office, People’s Republic of China"

# The 2010 white paper as the five texts cite it: three texts, three titles, four URLs.
WHITE_PAPER = [
    cite(
        "scio2010a",
        "000.txt",
        11,
        190,
        author="The State Council Information Office of the People’s Republic of China",
        title="The Internet in China",
        date="2010-06-08",
        urls=("http://www.china.org.cn/government/whitepaper/node_7093508.htm",),
    ),
    cite(
        "xinhua2010",
        "000.txt",
        77,
        1014,
        title="The Internet in China",
        date="2010-06-08",
        journaltitle="English.news.cn",
        urls=("http://news.xinhuanet.com/english2010/china/2010-06/08/c_13339232_8.htm",),
    ),
    cite(
        "scio2010b",
        "002.txt",
        9,
        209,
        author=SCIO,
        title="The Internet in China",
        date="2010-06-08",
        journaltitle="Xinhua",
        urls=("http://news.xinhuanet.com/english2010/china/2010-06/08/c_13339232.htm",),
    ),
    cite(
        "scio2010c",
        "004.txt",
        1,
        24,
        author="State Council Information Office",
        title="White Paper on the Status of China's Internet",
        date="2010-06-08",
        urls=("http://www.scio.gov.cn/zfbps/ndhf/2010/201006/t662572.htm",),
    ),
]

# A section of the same white paper is a different (part of a) work: it stays out.
SECTION = cite(
    "chinaorg2010",
    "000.txt",
    79,
    1021,
    author="China.org.cn",
    title="Active International Exchanges and Cooperation",
    urls=("http://www.china.org.cn/government/whitepaper/2010-06/08/content_20207975.htm",),
)


def test_white_paper_is_one_cluster_across_three_texts() -> None:
    clusters = find_clusters([*WHITE_PAPER, SECTION])
    assert len(clusters) == 1
    (cluster,) = clusters
    assert [v.key for v in cluster.variants] == [
        "scio2010a",
        "xinhua2010",
        "scio2010b",
        "scio2010c",
    ]
    assert cluster.documents == ("000.txt", "002.txt", "004.txt")
    conflicts = {c.field: c.values for c in cluster.conflicts}
    assert conflicts["title"] == (
        "The Internet in China",
        "White Paper on the Status of China's Internet",
    )
    assert len(conflicts["url"]) == 4
    assert "date" not in conflicts


def test_white_paper_finding() -> None:
    (finding,) = duplicate_findings(find_clusters(WHITE_PAPER))
    assert finding.kind is FindingKind.DUPLICATE_SOURCE
    assert finding.severity is Severity.MEDIUM
    assert finding.message.startswith("“The Internet in China” is cited 4 times")
    assert "cited 4 times (000.txt notes 11, 77; 002.txt note 9; 004.txt note 1)" in finding.message
    assert "under 2 titles, 4 URLs; cite it one way." in finding.message
    assert [p.line for p in finding.places] == [190, 1014, 209, 24]


def _pair(a: Citation, b: Citation) -> str | None:
    return same_work(profile(a), profile(b))


RESOLUTION = (
    "Developments in the field of information and telecommunications"
    " in the context of international security"
)


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        # Same UN document, cited with different wording.
        (
            cite("x", title="Group of Governmental Experts report", symbols=("A/68/98",)),
            cite("y", "b.txt", title="Report of the GGE 2013", symbols=("A/68/98",)),
            "same UN symbol A/68/98",
        ),
        # Same page with http/https, www and trailing slash differences.
        (
            cite(
                "x",
                title="Big Points Buried in the U.S. Cyberwar Strategy",
                urls=("http://news.xinhuanet.com/zgjx/2015-04/07/c_134128303.htm",),
            ),
            cite(
                "y",
                "b.txt",
                title="Big points buried in US cyberwar strategy",
                urls=("https://www.news.xinhuanet.com/zgjx/2015-04/07/c_134128303.htm/",),
            ),
            "same URL",
        ),
        # Same article, author written the other way round, date less precise, no URL.
        (
            cite("x", author="Nigel Inkster", title="China’s Cyber Power", date="2016-05-23"),
            cite("y", "b.txt", author="Inkster, Nigel", title="China's cyber power", date="2016"),
            "same title, author and date",
        ),
        # The site that reposts a document (organization) is not its author.
        (
            cite(
                "x",
                author="The State Council Information Office",
                title="The Internet in China",
                date="2010-06-08",
            ),
            cite(
                "y",
                "b.txt",
                organization="English.news.cn",
                title="The Internet in China",
                date="2010-06-08",
            ),
            "same title, author and date",
        ),
        # One day apart: online versus print is still the same work.
        (
            cite(
                "x",
                author="Hannah Beech",
                title="Rex Tillerson's Deferential Visit to China",
                date="2017-03-21",
            ),
            cite(
                "y",
                "b.txt",
                author="H. Beech",
                title="Rex Tillerson’s deferential visit to China",
                date="2017-03-22",
            ),
            "same title, author and date",
        ),
    ],
)
def test_same_work(a: Citation, b: Citation, reason: str) -> None:
    assert _pair(a, b) == reason


GGE = (
    "Group of Governmental Experts on Developments in the Field of Information and "
    "Telecommunications in the Context of International Security"
)


def test_same_title_and_day_with_different_symbols_is_one_work_with_a_conflict() -> None:
    """000 cites the 2015 GGE report as A/70/174, 002 as A/70/172: one work, two symbols."""
    a = cite(
        "gge2015",
        "000.txt",
        101,
        author="United Nations, General Assembly",
        title=GGE,
        date="2015-07-22",
        symbols=("A/70/174",),
        urls=("http://www.un.org/ga/search/view_doc.asp?symbol=A/70/174",),
    )
    b = cite(
        "un2015",
        "002.txt",
        20,
        author="United Nations",
        title=RESOLUTION,
        date="2015-07-22",
        symbols=("A/70/172",),
        urls=("http://undocs.org/A/70/172",),
    )
    assert _pair(a, b) == "same title and day, different UN symbols"
    (cluster,) = find_clusters([a, b])
    assert ("un_symbols", ("A/70/174", "A/70/172")) in [
        (c.field, c.values) for c in cluster.conflicts
    ]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # Different symbols and different days: two reports in a recurring series.
        (
            cite(
                "x",
                author="United Nations, General Assembly",
                title=GGE,
                date="2010-07-30",
                symbols=("A/65/201",),
            ),
            cite(
                "y",
                author="United Nations, General Assembly",
                title=GGE,
                date="2013-06-24",
                symbols=("A/68/98",),
            ),
        ),
        # A short form the parser did not mark as one is still not a duplicate.
        (
            cite(
                "x",
                author="Shanghai Cooperation Organization",
                title="Agreement between the Governments of the Member States of the Shanghai "
                "Cooperation Organisation on Cooperation in the Field of International "
                "Information Security",
                date="2009-06-16",
                urls=(
                    "https://ccdcoe.org/sites/default/files/documents/SCO-090616-IISAgreement.pdf",
                ),
            ),
            cite(
                "y",
                author="Shanghai Cooperation Organization",
                title="Agreement between the Governments of the Member States of the Shanghai "
                "Cooperation Organisation",
            ),
        ),
        # Annual resolutions share their title: the symbols and years tell them apart.
        (
            cite("x", title=RESOLUTION, date="1998-12-04", symbols=("A/RES/53/70",)),
            cite("y", title=RESOLUTION, date="2013-12-27", symbols=("A/RES/68/243",)),
        ),
        (
            cite("x", author="UN General Assembly", title=RESOLUTION, date="2013"),
            cite("y", author="UN General Assembly", title=RESOLUTION, date="2015"),
        ),
        # Regular press conferences on different days.
        (
            cite(
                "x",
                author="Ministry of Foreign Affairs",
                title="Foreign Ministry Spokesperson Hong Lei's Regular Press Conference",
                date="2015-03-02",
            ),
            cite(
                "y",
                author="Ministry of Foreign Affairs",
                title="Foreign Ministry Spokesperson Hong Lei's Regular Press Conference",
                date="2015-03-09",
            ),
        ),
        # Generic title with no date: nothing says it is the same conference.
        (
            cite("x", author="Ministry of Foreign Affairs", title="Regular Press Conference"),
            cite("y", author="Ministry of Foreign Affairs", title="Regular Press Conference"),
        ),
        # Numbered series: 35th versus 36th report.
        (
            cite(
                "x",
                author="CNNIC",
                title="35th Statistical Report on Internet Development in China",
                date="2015",
            ),
            cite(
                "y",
                author="CNNIC",
                title="36th Statistical Report on Internet Development in China",
                date="2015",
            ),
        ),
        # The same index page cited for two different white papers.
        (
            cite(
                "x",
                title="China's Military Strategy",
                date="2015-05",
                urls=("http://eng.mod.gov.cn/Database/WhitePapers/",),
            ),
            cite(
                "y",
                title="China's National Defense in 2010",
                date="2011-03",
                urls=("http://eng.mod.gov.cn/Database/WhitePapers/",),
            ),
        ),
        # Front pages identify no work.
        (
            cite("x", title="Cyber norms", urls=("http://www.fmprc.gov.cn/",)),
            cite("y", title="Sovereignty in cyberspace", urls=("http://www.fmprc.gov.cn",)),
        ),
        # Same author, different works.
        (
            cite("x", author="Milton Mueller", title="Networks and States", date="2010"),
            cite("y", author="Milton Mueller", title="Will the Internet Fragment?", date="2017"),
        ),
        # Same title, different authors.
        (
            cite("x", author="Adam Segal", title="China's Cyber Strategy", date="2016"),
            cite("y", author="Amy Chang", title="China's Cyber Strategy", date="2016"),
        ),
        # Same title, neither dated nor authored: too little to say.
        (
            cite("x", title="Internet sovereignty and cyber governance"),
            cite("y", title="Internet sovereignty and cyber governance"),
        ),
    ],
)
def test_not_the_same_work(a: Citation, b: Citation) -> None:
    assert _pair(a, b) is None


def test_back_references_are_not_duplicates() -> None:
    full = cite(
        "inkster2016", "a.txt", 1, author="Nigel Inkster", title="China’s Cyber Power", date="2016"
    )
    ibid = cite(
        "inkster2016",
        "a.txt",
        2,
        author="Nigel Inkster",
        title="China’s Cyber Power",
        date="2016",
        refers_to="inkster2016",
    )
    short = cite(
        "inkster2016",
        "a.txt",
        9,
        author="Inkster",
        title="China’s Cyber Power",
        refers_to="inkster2016",
    )
    assert find_clusters([full, ibid, short]) == []


def test_a_work_repeated_in_full_joins_its_first_citation() -> None:
    """The parser links 000 note 97 to note 10 (same key, fields copied), but note 97 gives
    its own URL: a second full citation, so a duplicate; note 24's `Ibid.` is not."""
    first = cite(
        "mnd2015",
        "000.txt",
        10,
        title="China’s Military Strategy",
        date="2015-05",
        date_written="May 2015",
        urls=("http://eng.mod.gov.cn/Database/WhitePapers/",),
    )
    again = replace(
        cite(
            "mnd2015",
            "000.txt",
            97,
            title="China’s Military Strategy",
            date="2015-05",
            date_written="May 2015",
            urls=("http://www.chinadaily.com.cn/china/2015-05/26/content_20820628.htm",),
            refers_to="mnd2015",
        ),
        raw="The State Council Information Office, China’s Military Strategy (May 2015), Beijing, "
        "http://www.chinadaily.com.cn/china/2015-05/26/content_20820628.htm",
    )
    ibid = replace(
        cite(
            "mnd2015",
            "000.txt",
            98,
            title="China’s Military Strategy",
            date="2015-05",
            date_written="May 2015",
            urls=("http://eng.mod.gov.cn/Database/WhitePapers/",),
            refers_to="mnd2015",
        ),
        raw="Ibid., 4",
    )
    assert [is_repeated_in_full(c) for c in (first, again, ibid)] == [False, True, False]
    (cluster,) = find_clusters([first, again, ibid])
    assert [v.place.note for v in cluster.variants] == [10, 97]
    assert cluster.reasons == ("repeated in full",)
    assert [c.field for c in cluster.conflicts] == ["url"]


def test_repeat_within_one_text_without_conflict_is_low() -> None:
    first = cite(
        "k1", "a.txt", 3, author="Nigel Inkster", title="China’s Cyber Power", date="2016-05-23"
    )
    again = cite(
        "k2", "a.txt", 30, author="Nigel Inkster", title="China’s Cyber Power", date="2016-05-23"
    )
    (finding,) = duplicate_findings(find_clusters([first, again]))
    assert finding.severity is Severity.LOW
    assert finding.message == (
        "“China’s Cyber Power” is cited 2 times (a.txt notes 3, 30) "
        "in full; use a short form after the first full citation."
    )


def test_canonical_key_is_the_most_complete_variant() -> None:
    sparse = cite("short", "a.txt", 1, title="China’s Cyber Power", author="Inkster", date="2016")
    full = cite(
        "inkster2016",
        "b.txt",
        2,
        title="China’s Cyber Power",
        author="Nigel Inkster",
        date="2016-05-23",
        journaltitle="Adelphi Series",
        number="456",
    )
    (cluster,) = find_clusters([sparse, full])
    assert cluster.key == "inkster2016"
    assert cluster.conflicts == ()


@pytest.mark.parametrize(
    ("url", "key", "specific"),
    [
        ("http://www.fmprc.gov.cn/", "fmprc.gov.cn", False),
        ("https://www.fmprc.gov.cn/eng/", "fmprc.gov.cn/eng", False),
        (
            "www.scio.gov.cn/32618/Document/1543874/1543874.htm",
            "scio.gov.cn/32618/Document/1543874/1543874.htm",
            True,
        ),
        ("http://example.org/report.pdf#page=3", "example.org/report.pdf", True),
        ("http://example.org/news/index.html", "example.org/news", False),
    ],
)
def test_url_key(url: str, key: str, specific: bool) -> None:
    assert default_url_key(url) == key
    assert is_specific(key) is specific


def test_work_url_key_uses_the_probers_normal_form() -> None:
    assert work_url_key("HTTP://WWW.Example.org/a/../b/index.html#top") == "example.org/b"
    assert work_url_key("http://例子.测试/路径") == "xn--fsqu00a.xn--0zwm56d/%E8%B7%AF%E5%BE%84"


def test_variants_show_corporate_authors_without_biblatex_braces() -> None:
    first = cite("a", "a.txt", 1, author="{United Nations, General Assembly}", title="Report",
                 symbols=("A/68/98",))  # fmt: skip
    again = cite("b", "b.txt", 2, author="{United Nations}", title="Report", symbols=("A/68/98",))
    (cluster,) = find_clusters([first, again])
    assert [v.author for v in cluster.variants] == [
        "United Nations, General Assembly",
        "United Nations",
    ]
