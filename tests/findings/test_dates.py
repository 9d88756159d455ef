"""Date analysis: parsing, URL dates, UN sessions and the findings they lead to."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.findings.dates import (
    DateProblem,
    DateSpan,
    PartialDate,
    cluster_date_findings,
    date_findings,
    general_assembly_session,
    parse_span,
    session_years,
    url_date,
)
from citecheck.findings.finding import Cluster, FindingKind, Severity, Variant
from citecheck.read.model import Place
from tests.support.citefactory import cite

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://news.xinhuanet.com/english2010/china/2010-06/08/c_13339232.htm", "2010-06-08"),
        ("https://example.org/news/2013-10-24-statement", "2013-10-24"),
        ("http://www.scio.gov.cn/zfbps/ndhf/2010/201006/t662572.htm", "2010-06"),
        ("http://www.example.cn/eng/201403/", "2014-03"),
        ("http://www.un.org/disarmament/2001/", "2001"),
        ("https://www.whitehouse.gov/the-press-office/2017/05/11/presidential-order", "2017-05-11"),
        ("http://theory.people.com.cn/n1/2016/12/02/c386965-28920732.html", "2016-12-02"),
        ("http://www.fmprc.gov.cn/eng/zxxx/t20130101_1.htm", "2013-01-01"),
        ("http://www.straitstimes.com/opinion/chinas-military-dream-20150529", "2015-05-29"),
        # The host is never read: 2009-2017.state.gov is a name, not a range.
        ("https://2009-2017.state.gov/secretary/20092013clinton/rm/2010/01/135519.htm", "2010-01"),
        # Ids that only look like dates.
        ("http://www.china.org.cn/government/whitepaper/node_7093508.htm", None),
        ("www.scio.gov.cn/32618/Document/1543874/1543874.htm", None),
        ("http://www.example.org/content_20207975.htm", None),
        ("http://www.example.org/items/1945/", None),
        ("http://www.example.org/items/2999/", None),
        ("http://www.example.org/2015-02-30/", None),
        # a 14-digit timestamp (issue 16), anywhere in the path
        ("http://www.example.cn/publish/20130320093925/index.html", "2013-03-20"),
        ("http://www.example.cn/a/page_20130320093925.htm", "2013-03-20"),
        ("http://www.example.cn/a/20130320253925/x.htm", None),  # hour 25: an id
        # a file name that opens with yyyymmdd and runs on (issue 16)
        ("http://www.cnnic.net.cn/hlwtjbg/201403/P020140305346585959798.pdf", "2014-03-05"),
        ("http://www.example.cn/a/W020140407512345.pdf?x=1", "2014-04-07"),
        (
            "https://sputniknews.com/science/201608241044578435-russia-huawei-bulat-data/",
            "2016-08-24",
        ),
        (
            "http://www.cert.org.cn/publish/main/46/2013/20130320093925791767941/"
            "20130320093925791767941_.html",
            "2013-03-20",
        ),
        ("http://www.example.cn/a/20141299123.pdf", None),  # month 12, day 99
        ("http://www.example.cn/a/content_2014040712.htm", None),  # too long a prefix
        ("http://www.example.cn/20140407123/a.htm", None),  # not the file name
    ],
)
def test_url_date(url: str, expected: str | None) -> None:
    found = url_date(url, latest_year=2027)
    assert (found.date.iso() if found else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2010", ("2010-01-01", "2010-12-31")),
        ("2012-02", ("2012-02-01", "2012-02-29")),
        ("2010-06-08", ("2010-06-08", "2010-06-08")),
        ("2013/2014", ("2013-01-01", "2014-12-31")),
        ("2015-03/2015-04", ("2015-03-01", "2015-04-30")),
        ("2015-02-30", "February 2015 has 28 days, not 30"),
        ("2015-13", "month 13 does not exist"),
        ("2015/2014", "the range ends before it starts"),
        ("June 2010", "not a YYYY, YYYY-MM or YYYY-MM-DD date"),
        ("2013-23", ("2013-09-01", "2013-11-30")),
        ("2013-24", ("2013-12-01", "2014-02-28")),
        ("2015?", ("2015-01-01", "2015-12-31")),
        ("2002-05-29/2002-05-30", ("2002-05-29", "2002-05-30")),
    ],
)
def test_parse_span(text: str, expected: tuple[str, str] | str) -> None:
    span = parse_span(text)
    if isinstance(expected, str):
        assert isinstance(span, DateProblem)
        assert span.reason == expected
    else:
        assert isinstance(span, DateSpan)
        assert (span.first.isoformat(), span.last.isoformat()) == expected


@pytest.mark.parametrize(
    ("symbol", "session"),
    [
        ("A/RES/53/70", 53),
        ("A/68/98", 68),
        ("A/C.1/53/L.17", 53),
        ("A/70/174", 70),
        ("S/RES/2341 (2017)", None),
        ("A/HRC/32/L.20", None),
        ("E/CN.4/2000/1", None),
    ],
)
def test_general_assembly_session(symbol: str, session: int | None) -> None:
    assert general_assembly_session(symbol) == session


def test_53rd_session_runs_1998_to_1999() -> None:
    assert session_years(53) == (1998, 1999)


def _checks(**kwargs: object) -> list[tuple[str, Severity]]:
    citation = cite("k", **kwargs)  # type: ignore[arg-type]
    return [
        (dict(f.evidence)["check"], f.severity)
        for f in date_findings([citation], TODAY)
        if f.kind is FindingKind.DATE_MISMATCH
    ]


XINHUA = "http://news.xinhuanet.com/english2010/china/2010-06/08/c_13339232.htm"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        # agreeing, or only less precise: quiet
        ({"date": "2010-06-08", "urls": (XINHUA,)}, []),
        ({"date": "2010", "urls": (XINHUA,)}, []),
        ({"date": "2010-06", "urls": (XINHUA,)}, []),
        ({"urls": (XINHUA,)}, []),
        # one day: online versus print
        ({"date": "2010-06-09", "urls": (XINHUA,)}, [("url-date", Severity.LOW)]),
        ({"date": "2010-06-07", "urls": (XINHUA,)}, [("url-date", Severity.LOW)]),
        # page posted well before the cited date: the citation is wrong
        ({"date": "2011-06-08", "urls": (XINHUA,)}, [("url-date", Severity.HIGH)]),
        ({"date": "2010-06-20", "urls": (XINHUA,)}, [("url-date", Severity.MEDIUM)]),
        # page posted after the cited date: maybe a later posting of an original
        ({"date": "2010-06-01", "urls": (XINHUA,)}, [("url-date", Severity.LOW)]),
        ({"date": "2009", "urls": (XINHUA,)}, [("url-date", Severity.LOW)]),
        ({"date": "2008", "urls": (XINHUA,)}, [("url-date", Severity.MEDIUM)]),
        # UN session
        ({"date": "1998-12-04", "symbols": ("A/RES/53/70",)}, []),
        ({"date": "1999-09", "symbols": ("A/RES/53/70",)}, []),
        ({"date": "2000", "symbols": ("A/RES/53/70",)}, [("un-session", Severity.MEDIUM)]),
        ({"date": "2005", "symbols": ("A/RES/53/70",)}, [("un-session", Severity.HIGH)]),
        ({"date": "2005", "symbols": ("S/RES/1373",)}, []),
        ({"date": "2016-06-30", "symbols": ("A/HRC/32/L.20",)}, []),
        # a year the symbol carries
        ({"date": "2017-02-13", "symbols": ("S/RES/2341 (2017)",)}, []),
        ({"date": "2016", "symbols": ("S/RES/2341 (2017)",)}, [("un-year", Severity.MEDIUM)]),
        ({"date": "1999-12", "symbols": ("E/CN.4/2000/1",)}, []),
        ({"date": "2003", "symbols": ("S/2002/1234",)}, [("un-year", Severity.MEDIUM)]),
        # impossible and future
        ({"date": "2015-02-30"}, [("impossible", Severity.HIGH)]),
        ({"date": "June 2010"}, []),
        ({"date": "2013-23", "urls": ("http://x.org/2013/10/a.htm",)}, []),
        # the parallel Chinese date beside the English one
        ({"date": "2010-06-08", "origdate": "2010年6月8日"}, []),
        ({"date": "2013-03-19", "origdate": "2013年3月"}, []),
        ({"date": "2014-01", "origdate": "2014年3月"}, [("origdate", Severity.MEDIUM)]),
        ({"date": "2031"}, [("future", Severity.HIGH)]),
        ({"date": "2026-11-22"}, []),
        ({"urldate": "2027-01-05"}, [("future", Severity.HIGH)]),
        # accessed before publication
        (
            {"date": "2016-05-20", "urldate": "2016-05-19"},
            [("access-before-publication", Severity.MEDIUM)],
        ),
        ({"date": "2016-05", "urldate": "2016-05-19"}, []),
    ],
)
def test_citation_date_checks(
    fields: dict[str, object], expected: list[tuple[str, Severity]]
) -> None:
    assert _checks(**fields) == expected


def test_message_says_which_is_wrong_and_by_how_much() -> None:
    citation = cite("xinhua", "002.txt", 9, 209, date="2011-06-08", urls=(XINHUA,))
    (finding,) = date_findings([citation], TODAY)
    assert finding.message == (
        "002.txt note 9: dated 2011-06-08 but its URL says 2010-06-08 (365 days earlier); "
        "the page cannot be older than what it carries, so the cited date is likely wrong."
    )
    assert finding.places == (Place("002.txt", 9, 209),)
    assert finding.url == XINHUA


def test_session_message() -> None:
    citation = cite("res", "001.txt", 4, 40, date="2005", symbols=("A/RES/53/70",))
    (finding,) = date_findings([citation], TODAY)
    assert finding.message == (
        "001.txt note 4: A/RES/53/70 is a document of the 53rd General Assembly session "
        "(1998–99) but is dated 2005, 6 years off; check the date or the symbol."
    )


@pytest.mark.parametrize(
    ("raw", "date", "expected"),
    [
        (
            "‘Statement by the Chinese Delegation at the First Committee of the 65th Session "
            "UNGA’ (United Nations, New York, October 2013)",
            "2013-10",
            "a.txt note 1: the citation names the 65th General Assembly session (2010–11) but "
            "is dated 2013-10, 2 years off; check the date or the session.",
        ),
        ("Speech at the First Committee of the 66th Session of the GA", "2011-10-20", None),
        ("Report of the 65th session of the World Health Assembly", "2013", None),
    ],
)
def test_session_named_in_words(raw: str, date: str, expected: str | None) -> None:
    citation = replace(cite("k", date=date), raw=raw)
    messages = [f.message for f in date_findings([citation], TODAY)]
    assert messages == ([expected] if expected else [])


def test_back_references_are_not_checked_twice() -> None:
    citation = cite("k", date="2015-02-30", refers_to="k")
    assert date_findings([citation], TODAY) == []


def _variant(document: str, note: int, date_text: str) -> Variant:
    return Variant(
        key=f"k{note}",
        place=Place(document, note, note * 10),
        title="The Internet in China",
        author="State Council Information Office",
        date=date_text,
        urls=(),
        un_symbols=(),
        raw="",
    )


@pytest.mark.parametrize(
    ("dates", "severity", "outliers"),
    [
        (("2010-06-08", "2010-06-08", "2010"), None, 0),
        (("2010-06-08", "2010-06-08", "2010-06-09"), Severity.LOW, 1),
        (("2010-06-08", "2010-06-08", "2010-08-06"), Severity.MEDIUM, 1),
        (("2010-06-08", "2012-06-08", "2010"), Severity.HIGH, 1),
    ],
)
def test_same_work_with_other_dates(
    dates: tuple[str, ...], severity: Severity | None, outliers: int
) -> None:
    cluster = Cluster(
        key="scio2010internet",
        variants=tuple(_variant(f"{i:03d}.txt", i + 1, d) for i, d in enumerate(dates)),
    )
    findings = cluster_date_findings([cluster])
    if severity is None:
        assert findings == []
        return
    (finding,) = findings
    assert finding.severity is severity
    assert finding.message.count(" off)") == outliers
    assert finding.message.startswith("scio2010internet is dated 2010-06-08 in 2 of 3 citations")


def test_partial_date_bounds() -> None:
    assert PartialDate(2012, 2).last == date(2012, 2, 29)
    assert PartialDate(2010).iso() == "2010"


@settings(max_examples=200, deadline=None)
@given(
    day=st.dates(min_value=date(1995, 1, 1), max_value=date(2025, 1, 1)),  # +400 days: past
    shift=st.integers(min_value=-400, max_value=400),
    shape=st.sampled_from(["timestamp", "file", "file-p0", "slug"]),
    tail=st.integers(min_value=0, max_value=10**12),
)
def test_generated_url_dates_are_read_and_compared(
    day: date, shift: int, shape: str, tail: int
) -> None:
    """A URL carrying `day` as a timestamp or at the head of a file name gives `day`, and a
    citation dated `shift` days away is a url-date mismatch exactly when `shift` is not 0."""
    stamp = day.strftime("%Y%m%d")
    url = {
        "timestamp": f"http://www.example.cn/publish/{stamp}093925/index.html",
        "file": f"http://www.example.cn/docs/{stamp}{tail}.pdf",
        "file-p0": f"http://www.example.cn/docs/P0{stamp}{tail}.pdf",
        "slug": f"https://news.example.com/world/{stamp}{tail}-talks-open/",
    }[shape]
    found = url_date(url, latest_year=2027)
    assert found is not None and found.date.iso() == day.isoformat()
    cited = (day + timedelta(days=shift)).isoformat()
    checks = [c for c, _ in _checks(date=cited, urls=(url,))]
    assert ("url-date" in checks) == (shift != 0)


@pytest.mark.parametrize(
    "path",
    [
        "/P0" + "2" * 200_000 + ".pdf",
        ("/2014040712" + "3" * 50) * 2_000,
        "/" + "20140407" * 20_000 + "/",
        ("/ab0" + "2013032009" * 10 + "?") * 1_000,
    ],
    ids=["one-long-run", "many-segments", "dates-repeated", "queries"],
)
def test_url_dates_stay_linear_on_long_digit_runs(path: str) -> None:
    import time  # noqa: PLC0415

    started = time.perf_counter()
    url_date("http://www.example.cn" + path, latest_year=2027)
    assert time.perf_counter() - started < 5  # quadratic backtracking takes minutes here
