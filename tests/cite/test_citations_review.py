"""Fixes from reading every generated entry against its note: one table row per misparse."""

from __future__ import annotations

import pytest

from citecheck.cite.citation import Citation
from citecheck.cite.citing import cite_corpus
from citecheck.cite.parse import parse_reference
from citecheck.export.csl import csl_date, csl_item
from citecheck.read.model import Note, NotedDocument, Place


@pytest.mark.parametrize(
    ("text", "entry_type", "expected"),  # an expected None: the field must be absent
    [
        (
            # 000:40 — two pub-info parentheses: the first names the publisher.
            "Jiang Zemin, ‘Informationize the Army,’ in On the Development of China’s "
            "Information Technology Industry, ed. Jiang Zemin (Oxford: Elsevier, 2010) "
            "(Oxford: 2010), Kindle edition",
            "incollection",
            {"location": "Oxford", "publisher": "Elsevier", "date": "2010"},
        ),
        (
            # 000:65 — the meeting that issued a declaration is not its title.
            "Asia-Pacific Economic Cooperation, 2005 APEC Telecommunications and Information "
            "Ministerial Meeting, Lima Declaration (1-3 June 2005), http://www.apec.org/z.aspx",
            "misc",
            {
                "title": "Lima Declaration",
                "author": "{Asia-Pacific Economic Cooperation}",
                "note": "2005 APEC Telecommunications and Information Ministerial Meeting",
                "date": "2005-06-01/2005-06-03",
            },
        ),
        (
            # 000:49 — a meeting `of …` with its acronym.
            "Asia-Pacific Economic Cooperation, The Fifth APEC Ministerial Meeting of the "
            "Telecommunications and Information Industry (TELMIN5), Shanghai Declaration, "
            "TELMIN5/1 (29-30 May 2002), http://www.apec.org/x/",
            "misc",
            {"title": "Shanghai Declaration", "date": "2002-05-29/2002-05-30"},
        ),
        (
            # 000:52 — meeting and statement separated by a full stop.
            "Asia-Pacific Economic Cooperation, 2002 APEC Ministerial Meeting. Joint Statement - "
            "Expanding the Benefits of Cooperation (23-24 October 2002), http://www.apec.org/y",
            "misc",
            {
                "title": "Joint Statement - Expanding the Benefits of Cooperation",
                "note": "2002 APEC Ministerial Meeting",
            },
        ),
        (
            # A title that only names a meeting stays whole.
            "‘Statement at Budapest Conference on Cyber Issues’ (Budapest, 4 October 2012)",
            "misc",
            {"title": "Statement at Budapest Conference on Cyber Issues"},
        ),
        (
            # 000:62 — a genre title keeps its `Heading: subheading` continuation.
            "First Phase of the World Summit on the Information Society, Declaration of "
            "Principles, Building the Information Society: A Global Challenge in the New "
            "Millennium, WSIS-03/GENEVA/DOC/4-E (12 December 2003), http://www.itu.int/a.pdf",
            "misc",
            {
                "title": "Declaration of Principles, Building the Information Society: A Global "
                "Challenge in the New Millennium",
                "author": "{First Phase of the World Summit on the Information Society}",
                "date": "2003-12-12",
            },
        ),
        (
            # 000:90 — the speaker written first inside the event's brackets.
            "‘Statement at Budapest Conference on Cyber Issues’ (Huang Huikang, Budapest "
            "Conference, Budapest, 4 October 2012), http://www.chinesemission-vienna.at/t.htm",
            "misc",
            {
                "author": "Huang, Huikang",
                "note": "(Budapest Conference, Budapest)",
                "date": "2012-10-04",
            },
        ),
        (
            # An event paren that opens with the event, not a person, names no author.
            "‘ASEAN Regional Forum, Statement on Cooperation in Fighting Cyber Attack’ (The "
            "Thirteenth ASEAN Regional Forum 2006, Kuala Lumpur, 28 July 2006), http://a.jp/s",
            "misc",
            {"note": "(The Thirteenth ASEAN Regional Forum 2006, Kuala Lumpur)", "author": None},
        ),
        (
            # 000:15 — a partner body with its acronym glued to the end of the title.
            "Center for Strategic and International Studies (CSIS), Bilateral Discussions on "
            "Cooperation in Cybersecurity China Institute of Contemporary International "
            "Relations (CICIR) (June 2012), http://csis.org/files/a.pdf",
            "report",
            {
                "title": "Bilateral Discussions on Cooperation in Cybersecurity",
                "note": "China Institute of Contemporary International Relations (CICIR)",
                "date": "2012-06",
            },
        ),
        (
            # A title that is only a body and its acronym stays whole.
            "Ministry of Foreign Affairs, National Computer Emergency Response Team (NCERT) "
            "(2014), http://a.org/b",
            "report",
            {"title": "National Computer Emergency Response Team (NCERT)"},
        ),
        (
            # 004:15 — `X website` names the site that holds the page, not a title.
            "CSIS website http://csis.org/program/cicir",
            "online",
            {"organization": "CSIS", "title": None, "note": None},
        ),
        (
            # 000:99 — a readout posted by an institution is a web page, not a report.
            "The White House, Office of the Press Secretary, Readout of Senior Administration "
            "Officials’ Meeting with Meng Jianzhu, 12 September 2015, https://www.whitehouse.gov/r",
            "online",
            {"author": "{The White House, Office of the Press Secretary}", "date": "2015-09-12"},
        ),
        (
            # 000:75 — likewise a chronicle of events on the organisation's site.
            "Shanghai Cooperation Organization, Chronicle of main events at SCO in 2007, "
            "31 December 2007, http://www.sectsco.org/EN123/show.asp?id=97",
            "online",
            {"title": "Chronicle of main events at SCO in 2007"},
        ),
        (
            # A white paper issued by an office stays a report.
            "The State Council Information Office of the People’s Republic of China, The "
            "Internet in China (June 8, 2010), http://www.china.org.cn/a.htm",
            "report",
            {"date": "2010-06-08"},
        ),
        (
            # 002:58 — a web series named with the institution that hosts it.
            "Adam Segal, “A Fancy Bear Finds Its Way into the Middle Kingdom,” Net Politics, "
            "Council on Foreign Relations, February 15, 2017, https://www.cfr.org/article/f",
            "online",
            {
                "organization": "Net Politics",
                "note": "Council on Foreign Relations",
                "date": "2017-02-15",
            },
        ),
        (
            # A newspaper followed by its date only stays an article.
            "Josh Chin, “Inside the Slow Workings,” Wall Street Journal, June 15, 2016, "
            "https://blogs.wsj.com/a/",
            "article",
            {"journaltitle": "Wall Street Journal"},
        ),
        (
            # 002:10 — a quotation closing at the end of the title keeps its closing quote.
            "Chen Yiming, “US Covertly Building ‘Shadow Internet,’” People’s Daily, June 15, 2011",
            "article",
            {"title": "US Covertly Building ‘Shadow Internet’", "journaltitle": "People’s Daily"},
        ),
        (
            # … and one opening it keeps its opening quote.
            "Yang Ziyan, “‘Cut Off the Internet’ to Challenge Internet Control Power,” "
            "People’s Daily, August 9, 2012",
            "article",
            {"title": "‘Cut Off the Internet’ to Challenge Internet Control Power"},
        ),
        (
            # 000:42 — `ed. Jiang` after the author Jiang Zemin is that author.
            "Jiang Zemin, ‘Speech at the Opening Ceremony of the 16th World Computer Congress’, "
            "in On the Development of China’s Information Technology Industry, ed. Jiang",
            "incollection",
            {"author": "Jiang, Zemin", "editor": "Jiang, Zemin"},
        ),
        (
            # 000:16 — `<body> Staff Report`: the body is the institution, the rest the type.
            "Kimberly Hsu and Craig Murray, China and International Law in Cyber Space, "
            "U.S.-China Economic and Security Review Commission Staff Report (U.S.-China "
            "Economic and Security Review Commission, 2014), 1",
            "report",
            {
                "institution": "U.S.-China Economic and Security Review Commission",
                "type": "Staff Report",
                "date": "2014",
                "pages": "1",
            },
        ),
        (
            # An access date in brackets after the URL is urldate, not part of the work.
            "Greg Austin, ‘US-China Internet Cooperation,’ The Diplomat, January 19, 2015, "
            "http://thediplomat.com/x/ (accessed 12 March 2016)",
            "article",
            {"urldate": "2016-03-12", "date": "2015-01-19", "note": None},
        ),
        (
            # … or after a comma, US style, with `last … on`.
            "Ministry X, Report on Things, 2014, http://a.org/b, last accessed on March 3, 2017.",
            "report",
            {"urldate": "2017-03-03", "date": "2014", "note": None},
        ),
        (
            # A cue without a date is not an access date; the words stay in note.
            "Ministry X, Report on Things, 2014, http://a.org/b (accessed sometime)",
            "report",
            {"urldate": None, "note": "(accessed sometime)"},
        ),
        (
            # `accessed` inside a title is the title's.
            "John Doe, ‘How the Data Was Accessed by Hackers,’ Wired, May 2, 2016",
            "article",
            {"title": "How the Data Was Accessed by Hackers", "urldate": None},
        ),
    ],
)
def test_parse_reference_review(
    text: str, entry_type: str, expected: dict[str, str | None]
) -> None:
    parsed = parse_reference(text)
    assert parsed.type == entry_type
    for name, value in expected.items():
        assert parsed.fields.get(name) == value, name


@pytest.mark.parametrize("text", ["", "‘", "’", "“,”", " , . ", "‘’"])
def test_titles_of_bare_punctuation_do_not_break_the_parser(text: str) -> None:
    assert parse_reference(text).type == "misc"


@pytest.mark.parametrize(
    ("date", "issued"),
    [
        ("2015-01-19", {"date-parts": [[2015, 1, 19]]}),
        ("2014-01", {"date-parts": [[2014, 1]]}),
        ("2002-05-29/2002-05-30", {"date-parts": [[2002, 5, 29], [2002, 5, 30]]}),
        ("2013-23", {"date-parts": [[2013]], "season": 3}),  # 002:10 `Fall 2013`
        ("XXXX", None),
        ("", None),
    ],
)
def test_csl_dates_keep_ranges_and_seasons(date: str, issued: dict[str, object] | None) -> None:
    assert csl_date(date) == issued


@pytest.mark.parametrize(
    ("note", "url", "kept"),
    [
        (
            # 000:15 — the extra URL becomes the work's url; the sentence keeps its sense.
            "Karl Frederick Rauscher and Zhou Yonglin, ‘Frank Communication,’ EastWest "
            "Institute (2013). A full version can be found on the website of CERT China at "
            "http://www.cert.org.cn/a.pdf.",
            "http://www.cert.org.cn/a.pdf",
            "A full version can be found on the website of CERT China",
        ),
        (
            # 000:29 — the same URL again, introduced by `is available at`.
            "See Qiao Liang and Wang Xiangsui, Unrestricted Warfare (Beijing: PLA Literature "
            "and Arts Publishing House, 1999) [in Chinese], http://www.c4i.org/u.pdf. The book "
            "was written through 1998. A translation more than 200pp of excerpts is available "
            "at http://www.c4i.org/u.pdf.",
            "http://www.c4i.org/u.pdf",
            "A translation more than 200pp of excerpts is available",
        ),
    ],
)
def test_extra_url_sentence_goes_to_note_without_its_dangling_preposition(
    note: str, url: str, kept: str
) -> None:
    document = NotedDocument(path="t.txt", markers=(1,), notes=(Note(1, 10, note),))
    work = cite_corpus([document])[0].notes[0].citations[0]
    assert work.fields["url"] == url
    assert kept in work.fields["note"].split("; ")


def test_csl_item_carries_the_access_date() -> None:
    work = parse_reference(
        "Ministry X, Report on Things, 2014, http://a.org/b (accessed 3 May 2017)"
    )
    citation = Citation("k", work.type, work.fields, Place("t.txt", 1, 1), "raw", work.urls)
    assert csl_item(citation)["accessed"] == {"date-parts": [[2017, 5, 3]]}
