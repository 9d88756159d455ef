"""Field normalizers and names: input → expected tables, one table per field."""

from __future__ import annotations

import pytest

from citecheck.cite.fields import (
    NORMALIZERS,
    find_date,
    normalize_date,
    normalize_edition,
    normalize_fields,
    normalize_language,
    normalize_number,
    normalize_pages,
    normalize_urldate,
    normalize_volume,
)
from citecheck.cite.names import (
    bibtex_person,
    is_institution,
    is_person,
    readable_name,
    split_name_list,
    split_people,
)


@pytest.mark.parametrize(
    ("written", "date", "year", "month", "day"),
    [
        ("January 19, 2015", "2015-01-19", "2015", "01", "19"),
        ("June 8, 2010", "2010-06-08", "2010", "06", "08"),
        ("February, 14, 2011", "2011-02-14", "2011", "02", "14"),
        ("19 March 2013", "2013-03-19", "2013", "03", "19"),
        ("30 April 2015", "2015-04-30", "2015", "04", "30"),
        ("May 2015", "2015-05", "2015", "05", None),
        ("June 2012", "2012-06", "2012", "06", None),
        ("2014", "2014", "2014", None, None),
        ("2014.", "2014", "2014", None, None),
        ("Fall 2013", "2013-23", "2013", None, None),
        ("29-30 May 2002", "2002-05-29/2002-05-30", "2002", "05", "29"),
        ("1-3 June 2005", "2005-06-01/2005-06-03", "2005", "06", "01"),
        ("2014年1月", "2014-01", "2014", "01", None),
        ("2010年6月8日", "2010-06-08", "2010", "06", "08"),
        ("Sept. 4, 2012", "2012-09-04", "2012", "09", "04"),
    ],
)
def test_normalize_date(
    written: str, date: str, year: str, month: str | None, day: str | None
) -> None:
    out = normalize_date(written)
    assert out["date"] == date
    assert out["year"] == year
    assert out.get("month") == month
    assert out.get("day") == day
    assert out["date_written"] == written.rstrip(".")


@pytest.mark.parametrize("written", ["sometime", "n.d.", "31 Smarch 2015", "February 30x"])
def test_unknown_dates_keep_the_words_only(written: str) -> None:
    assert normalize_date(written) == {"date_written": written.rstrip(".")}


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("The Diplomat, January 19, 2015, http://x", "January 19, 2015"),
        ("Beijing, 10 September 2010, No. 21", "10 September 2010"),
        ("(Fall 2013)", "Fall 2013"),
        ("国家互联网应急中心, 2013年3月", "2013年3月"),
        ("no date here", None),
    ],
)
def test_find_date(text: str, found: str | None) -> None:
    result = find_date(text)
    assert (result[0] if result else None) == found


@pytest.mark.parametrize(
    ("written", "pages"),
    [
        ("322-331", "322--331"),
        ("132-35", "132--135"),
        ("1165-1207", "1165--1207"),
        ("17–18", "17--18"),
        ("16", "16"),
        ("265.", "265"),
        ("chapter 5", "chapter 5"),
    ],
)
def test_normalize_pages(written: str, pages: str) -> None:
    assert normalize_pages(written) == {"pages": pages}


@pytest.mark.parametrize(
    ("written", "edition"),
    [
        ("1st edn", "1"),
        ("third edition", "3"),
        ("2nd edition", "2"),
        ("Revised edition", "Revised"),
        ("Kindle edition", "Kindle"),
    ],
)
def test_normalize_edition(written: str, edition: str) -> None:
    assert normalize_edition(written) == {"edition": edition}


@pytest.mark.parametrize(
    ("normalizer", "written", "expected"),
    [
        (normalize_volume, "Vol. 42", {"volume": "42"}),
        (normalize_volume, "volume 3", {"volume": "3"}),
        (normalize_volume, "36", {"volume": "36"}),
        (normalize_number, "no. 456", {"number": "456"}),
        (normalize_number, "No. 21", {"number": "21"}),
        (normalize_number, "A/RES/53/70", {"number": "A/RES/53/70"}),
        (normalize_language, "[in Chinese]", {"langid": "chinese"}),
        (normalize_language, "[in Russian]", {"langid": "russian"}),
        (normalize_language, "French", {"langid": "french"}),
        (normalize_urldate, "12 March 2016", {"urldate": "2016-03-12"}),
        (normalize_urldate, "March 12, 2016", {"urldate": "2016-03-12"}),
        (normalize_urldate, "sometime", {"urldate_written": "sometime"}),
    ],
)
def test_small_normalizers(normalizer: object, written: str, expected: dict[str, str]) -> None:
    assert callable(normalizer)
    assert normalizer(written) == expected


def test_normalizers_run_in_their_listed_order_and_keep_other_fields() -> None:
    assert [name for name, _ in NORMALIZERS] == [
        "date",
        "pages",
        "volume",
        "number",
        "edition",
        "langid",
        "urldate",
    ]
    out = normalize_fields({"title": "T", "date": "May 2015", "pages": "1-2", "edition": ""})
    assert out == {
        "title": "T",
        "date": "2015-05",
        "date_written": "May 2015",
        "year": "2015",
        "month": "05",
        "pages": "1--2",
        "edition": "",
    }


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Greg Austin", True),
        ("Joseph S. Nye Jr", True),
        ("Michael N. Schmitt", True),
        ("Damien van der Toorn", True),
        ("Zhang Xinbao", True),
        ("Franz-Stefan Gady", True),
        ("Myriam Dunn Cavelty", True),
        ("Unrestricted Warfare", False),
        ("China’s Military Strategy", False),
        ("State Council Information Office", False),
        ("Economics", False),
        ("The Internet in China", False),
    ],
)
def test_is_person(text: str, person: bool) -> None:
    assert is_person(text) is person


@pytest.mark.parametrize(
    ("text", "institution"),
    [
        ("State Council Information Office", True),
        ("United Nations", True),
        ("Asia-Pacific Economic Cooperation", True),
        ("Center for Strategic and International Studies (CSIS)", True),
        ("CNCERT/CC", True),
        ("Annex A – Program of Action", False),
        ("Report of the Group of Governmental Experts", False),
        ("The Regime Complex (Harvard: Belfer Center, 2014)", False),
        ("Greg Austin", False),
        ("the Russian Federation", False),
    ],
)
def test_is_institution(text: str, institution: bool) -> None:
    assert is_institution(text) is institution


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("Paul Krugman and Robin Wells", ["Paul Krugman", "Robin Wells"]),
        (
            "Markus Maybaum, Anna-Maria Osula and Lauri Lindström",
            ["Markus Maybaum", "Anna-Maria Osula", "Lauri Lindström"],
        ),
        ("and Astrid Stuth Cevallos", ["Astrid Stuth Cevallos"]),
        ("Greg Austin, Cyber Policy in China", None),
    ],
)
def test_split_people(text: str, people: list[str] | None) -> None:
    assert split_people(text) == people


@pytest.mark.parametrize(
    ("name", "bibtex", "readable"),
    [
        ("Paul Krugman", "Krugman, Paul", "Paul Krugman"),
        ("Zhang Xinbao", "Zhang, Xinbao", "Zhang Xinbao"),
        ("Joseph S. Nye Jr", "Nye, Jr, Joseph S.", "Joseph S. Nye Jr"),
        ("Damien van der Toorn", "van der Toorn, Damien", "Damien van der Toorn"),
        ("Chunmei Kang", "Kang, Chunmei", "Chunmei Kang"),
    ],
)
def test_bibtex_person_and_back(name: str, bibtex: str, readable: str) -> None:
    assert bibtex_person(name) == bibtex
    assert readable_name(bibtex) == readable


def test_name_lists_split_outside_braces() -> None:
    names = "{National Oceanic and Atmospheric Administration} and Austin, Greg"
    assert split_name_list(names) == [
        "{National Oceanic and Atmospheric Administration}",
        "Austin, Greg",
    ]
