"""Citations: splitting notes into works, parsing one reference, linking back references, keys."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.cite.citation import CitedDocument
from citecheck.cite.citing import cite_corpus, cite_document
from citecheck.cite.keys import make_key_base
from citecheck.cite.parse import parse_reference
from citecheck.cite.split import find_works
from citecheck.read.model import Note, NotedDocument

NOTE_5 = (
    "Michael Portnoy and Seymour Goodman, eds., Global Initiatives to Secure Cyberspace: An "
    "Emerging Landscape, Vol. 42 (New York: Springer US, 2009); Markus Maybaum, Anna-Maria Osula "
    "and Lauri Lindström, eds., 2015 7th International Conference on Cyber Conflict: Architectures "
    "in Cyberspace (Tallinn: NATO CCD COE Publications, 2015); Michael N. Schmitt, ed., Tallinn "
    "Manual on the International Law Applicable to Cyber Warfare (Cambridge: Cambridge University "
    "Press, 2013); Michael N. Schmitt and Liis Vihul, ‘The Nature of International Law Cyber "
    "Norms,’ The Tallinn Papers 5 (2014), Special Expanded Issue; Roger Hurwitz, ‘The Play of "
    "States: Norms and Security in Cyberspace,’ American Foreign Policy Interests 36 (2014): "
    "322-331; Ludovica Glorioso and Anna-Maria Osula, eds., 1st Workshop on Ethics of Cyber "
    "Conflict: Proceedings (Tallinn: NATO CCD COE Publications, 2014); American Bar Association, "
    "‘A Call to Cyber Norms: Discussions at the Harvard-MIT-University of Toronto Cyber Norms "
    "Workshops, 2011 and 2012’ (2015), https://www.americanbar.org/content/dam/aba/uncategorized/"
    "GAO/2015apr14_acalltocybernorms.authcheckdam.pdf; Tim Maurer, ‘Cyber Norm Emergence at the "
    "United Nations – An Analysis of the UN’s Activities Regarding Cyber-security,’ Discussion "
    "Paper 2011-11, Science, Technology, and Public Policy Program, Belfer Center for Science and "
    "International Affairs, Harvard Kennedy School (2011); Eneken Tikk-Ringas, Developments in the "
    "Field of Information and Telecommunications in the Context of International Security: Work of "
    "UN First Committee 1998-2012 (Geneva: ICT4Peace, 2012); Camino Kavanagh, Tim Maurer and "
    "Eneken Tikk-Ringas, Baseline Review: ICT-Related Processes & Events: Implications for "
    "International and Regional Security (2011-2013) (Geneva: ICT4Peace, 2014); Abdul Paliwala, "
    "‘Netizenship, Security and Freedom,’ International Review of Law, Computers and Technology 27 "
    "(2013): 104-123."
)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        (NOTE_5, ["work"] * 11),
        (
            "The author would like to acknowledge the useful comments by Professor Shen Yi of "
            "Fudan University, Jamie Collier of Oxford University and several anonymous reviewers.",
            ["commentary"],
        ),
        ("Ibid, 4.", ["ibid"]),
        ("Ibid.", ["ibid"]),
        ("See Austin, Cyber Policy in China, chapter 3.", ["short"]),
        ("Schmitt, Tallinn Manual.", ["short"]),
        (
            "There are many iterations of this principle by the US. See for example, Office of "
            "the General Counsel, ‘Law of the Sea Convention,’ http://www.gc.noaa.gov/x.html: "
            "‘Although not yet a party’; see also Hillary Rodham Clinton, US Department of State, "
            "Testimony before the Senate Committee on Foreign Relations (Washington DC: 2012), "
            "http://www.state.gov/x.htm: ‘As a non-party to the convention, we rely’.",
            ["commentary", "work", "work"],
        ),
        (
            "Center for Strategic and International Studies (CSIS), Bilateral Discussions on "
            "Cooperation in Cybersecurity (June 2012), http://csis.org/a.pdf; and Karl Frederick "
            "Rauscher and Zhou Yonglin, ‘Frank Communication & Sensible Cooperation to Stem "
            "Harmful Hacking,’ EastWest Institute (2013). A full version can be found on the "
            "website of CERT China at http://www.cert.org.cn/b.pdf.",
            ["work", "work", "extra-url"],
        ),
        (
            "See Qiao Liang and Wang Xiangsui, Unrestricted Warfare (Beijing: PLA Literature and "
            "Arts Publishing House, 1999) [in Chinese], http://www.c4i.org/unrestricted.pdf. The "
            "book was written through 1998. A translation more than 200pp of excerpts is "
            "available at http://www.c4i.org/unrestricted.pdf.",
            ["work", "commentary", "extra-url"],
        ),
        (
            "See Asia-Pacific Economic Cooperation, 2002 APEC Ministerial Meeting. Joint "
            "Statement - Expanding the Benefits (23-24 October 2002), http://www.apec.org/a.aspx.",
            ["work"],
        ),
        (
            "Chen Yiming, “US Covertly Building ‘Shadow Internet,’” People’s Daily, June 15, "
            "2011; Yang Ziyan, “‘Cut Off the Internet’ to Challenge Internet Control Power,” "
            "People’s Daily (overseas edition), August 9, 2012. Both quoted in Michael Swaine, "
            "“Chinese Views on Cybersecurity in Foreign Relations,” China Leadership Monitor no. "
            "42 (Fall 2013), www.hoover.org/CLM42MS.pdf.",
            ["work", "work", "work"],
        ),
        (
            "State Council Information Office, White Paper on the Status of China's Internet, 8 "
            "June 2010; 国务院新闻办公室:《中国互联网状况》白皮书, 2010年6月8日。"
            "http://www.scio.gov.cn/a.htm.",
            ["work"],
        ),
        ("http://ciirc.china.cn/.", ["work"]),
        ("About Internet Society of China, see http://www.isc.org.cn/english/.", ["work"]),
        (
            "On 4 December 2000, China supported a UN General Assembly Resolution ‘Combating "
            "the criminal misuse of information technologies’. See United Nations, General "
            "Assembly resolution 55/63, Combating the criminal misuse of information "
            "technologies, A/RES/55/63 (22 January 2001), http://www.itu.int/a.pdf.",
            ["commentary", "work"],
        ),
        (
            "Bangladesh, Canada, European Union, India, Mongolia, New Zealand, Pakistan, Sri "
            "Lanka, and Timor-Leste.",
            ["short"],
        ),
        (
            "Michael Swaine, “Title; with a semicolon inside,” Journal 3 (2013): 1-2.",
            ["work"],
        ),
        (
            "The best locations include the website of the 2015 conference in The Hague "
            "(GCCS2015, https://www.gccs2015.com/), and the INCYDER database of the centre "
            "(NATO Cooperative Cyber Defence Centre of Excellence, ‘INCYDER,’ "
            "https://ccdcoe.org/incyder.html).",
            ["work", "work"],
        ),
        (
            "National Computer Network Emergency Response Technical Team, China Cybersecurity "
            "Posture in 2012, 19 March 2013; 国家互联网应急中心: 《2012年态势综述》, 2013年3月。 "
            "http://www.cert.org.cn/a.html. 《2013年我国互联网网络安全态势综述: CNCERT观点》。",
            ["work", "work"],
        ),
        (
            "Michael N. Schmitt, (ed.), Tallinn Manual on the International Law Applicable to "
            "Cyber Warfare, Cambridge University Press, 2013.",
            ["work"],
        ),
        (
            "Joseph S. Nye Jr, The Regime, U.S. Department of State (Harvard: Belfer, 2014).",
            ["work"],
        ),
    ],
)
def test_find_works(text: str, kinds: list[str]) -> None:
    assert [clause.kind for clause in find_works(text)] == kinds


@pytest.mark.parametrize(
    ("text", "entry_type", "expected"),
    [
        (
            "Roger Hurwitz, ‘The Play of States: Norms and Security in Cyberspace,’ American "
            "Foreign Policy Interests 36 (2014): 322-331",
            "article",
            {
                "author": "Hurwitz, Roger",
                "title": "The Play of States: Norms and Security in Cyberspace",
                "journaltitle": "American Foreign Policy Interests",
                "volume": "36",
                "date": "2014",
                "pages": "322--331",
            },
        ),
        (
            "Paul Krugman and Robin Wells, Economics, third edition (New York: Palgrave "
            "Macmillan, 2012), 16, https://books.google.com.au/books?id=_2YdBQAAQBAJ",
            "book",
            {
                "author": "Krugman, Paul and Wells, Robin",
                "title": "Economics",
                "edition": "3",
                "location": "New York",
                "publisher": "Palgrave Macmillan",
                "date": "2012",
                "pages": "16",
                "url": "https://books.google.com.au/books?id=_2YdBQAAQBAJ",
            },
        ),
        (
            "Michael Portnoy and Seymour Goodman, eds., Global Initiatives to Secure Cyberspace: "
            "An Emerging Landscape, Vol. 42 (New York: Springer US, 2009)",
            "collection",
            {
                "editor": "Portnoy, Michael and Goodman, Seymour",
                "title": "Global Initiatives to Secure Cyberspace: An Emerging Landscape",
                "volume": "42",
                "publisher": "Springer US",
            },
        ),
        (
            "Chunmei Kang, ‘Establishing Norms of Behaviour in Cyberspace: The Chinese "
            "Viewpoint,’ in Security in Cyberspace: Targeting Nations, Infrastructures, "
            "Individuals, Revised edition, ed. Giampiero Giacomello (London: Bloomsbury "
            "Publishing, 2014), 113-124",
            "incollection",
            {
                "author": "Kang, Chunmei",
                "editor": "Giacomello, Giampiero",
                "booktitle": "Security in Cyberspace: Targeting Nations, Infrastructures, "
                "Individuals",
                "edition": "Revised",
                "pages": "113--124",
                "location": "London",
            },
        ),
        (
            "Greg Austin, ‘US-China Internet Cooperation,’ The Diplomat, January 19, 2015, "
            "http://thediplomat.com/2015/01/us-china-internet-cooperation/",
            "article",
            {
                "author": "Austin, Greg",
                "journaltitle": "The Diplomat",
                "date": "2015-01-19",
                "date_written": "January 19, 2015",
            },
        ),
        (
            "United Nations, General Assembly resolution 53/70, Developments in the Field of "
            "Information and Telecommunications in the Context of International Security, "
            "A/RES/53/70 (4 January 1999), "
            "http://www.un.org/ga/search/view_doc.asp?symbol=A/RES/53/70",
            "report",
            {
                "author": "{United Nations, General Assembly}",
                "institution": "United Nations, General Assembly",
                "number": "A/RES/53/70",
                "type": "Resolution 53/70",
                "date": "1999-01-04",
            },
        ),
        (
            "Aleksandr Berditskii, ‘An International Agreement on Cyber Security: Is Consensus "
            "Possible?’ Perspektivy, October 24, 2014, http://www.perspektivy.info/a.htm "
            "[in Russian]",
            "article",
            {
                "title": "An International Agreement on Cyber Security: Is Consensus Possible?",
                "langid": "russian",
                "journaltitle": "Perspektivy",
            },
        ),
        (
            "Andrew Keane Woods, “The Tallinn Manual 2.0, Sovereignty 1.0,” Lawfare (blog), "
            "February 8, 2017, https://www.lawfareblog.com/tallinn-manual-20-sovereignty-10",
            "online",
            {
                "author": "Woods, Andrew Keane",
                "title": "The Tallinn Manual 2.0, Sovereignty 1.0",
                "organization": "Lawfare",
                "date": "2017-02-08",
            },
        ),
        (
            "Nigel Inkster, “China’s Cyber Power,” Adelphi Series, no. 456, May 23, 2016",
            "article",
            {"journaltitle": "Adelphi Series", "number": "456", "date": "2016-05-23"},
        ),
        (
            "Peter Wood, “China Conducts Anti-Terror Cyber Operations with SCO Partners,” China "
            "Brief 15, no. 20, Jamestown Foundation, October 19, 2015, https://jamestown.org/a/",
            "article",
            {"journaltitle": "China Brief", "volume": "15", "number": "20"},
        ),
        (
            "“National Cyberspace Security Strategy,” China Copyright and Media, December 27, "
            "2016, https://chinacopyrightandmedia.wordpress.com/a/",
            "online",
            {"title": "National Cyberspace Security Strategy", "date": "2016-12-27"},
        ),
        (
            "State Council Information Office, White Paper on the Status of China's Internet, 8 "
            "June 2010; 国务院新闻办公室:《中国互联网状况》白皮书, 2010年6月8日。"
            "http://www.scio.gov.cn/zfbps/ndhf/2010/201006/t662572.htm",
            "report",
            {
                "author": "{State Council Information Office}",
                "title": "White Paper on the Status of China's Internet",
                "origtitle": "中国互联网状况白皮书",
                "origpublisher": "国务院新闻办公室",
                "origdate": "2010年6月8日",
                "date": "2010-06-08",
            },
        ),
        (
            "Ministry of National Defense the People’s Republic of China, The State Council "
            "Information Office of the People’s Republic of China, China’s Military Strategy "
            "(May 2015), http://eng.mod.gov.cn/Database/WhitePapers/",
            "report",
            {
                "author": "{Ministry of National Defense the People’s Republic of China} and "
                "{The State Council Information Office of the People’s Republic of China}",
                "title": "China’s Military Strategy",
                "date": "2015-05",
            },
        ),
        (
            "Scott Warren Harold, Martin C. Libicki, and Astrid Stuth Cevallos, “Getting to Yes "
            "with China in Cyberspace,” Rand Corporation, 2016, https://www.rand.org/a.html",
            "report",
            {
                "author": "Harold, Scott Warren and Libicki, Martin C. and Cevallos, Astrid Stuth",
                "institution": "Rand Corporation",
                "date": "2016",
            },
        ),
        (
            "Karl Frederick Rauscher and Zhou Yonglin, Frank Communication & Sensible "
            "Cooperation to Stem Harmful Hacking, November 2013, http://www.isc.org.cn/a.pdf",
            "online",
            {
                "author": "Rauscher, Karl Frederick and Zhou, Yonglin",
                "title": "Frank Communication & Sensible Cooperation to Stem Harmful Hacking",
                "date": "2013-11",
            },
        ),
        (
            "Milton Mueller, Network and States: The Global Politics of Internet Governance "
            "(Cambridge, MA: MIT Press, 2010)",
            "book",
            {"location": "Cambridge, MA", "publisher": "MIT Press", "date": "2010"},
        ),
        (
            "Shanghai Cooperation Organization, Agreement on Cooperation in the Field of "
            "International Information Security (16 June 2009), https://ccdcoe.org/a.pdf "
            "[Unofficial translation]",
            "misc",
            {"note": "[Unofficial translation]", "date": "2009-06-16"},
        ),
        ("http://ciirc.china.cn/", "online", {"url": "http://ciirc.china.cn/"}),
        (
            "Hillary Clinton, “Remarks on Internet Freedom” (speech), The Newseum, Washington, "
            "DC, January 21, 2010, https://2009-2017.state.gov/a.htm",
            "online",
            {"location": "Washington, DC", "note": "The Newseum", "author": "Clinton, Hillary"},
        ),
        (
            "Wang Yi, “Working Together to Address the New Threat of Terrorism” (speech), "
            "Ministry of Foreign Affairs, People’s Republic of China, September 24, 2014, "
            "www.fmprc.gov.cn/mfa_eng/zxxx_662805/t1195235.shtml",
            "online",
            {"organization": "Ministry of Foreign Affairs, People’s Republic of China"},
        ),
        (
            "Office of the Press Secretary, White House, “Presidential Executive Order,” May 11, "
            "2017, https://www.whitehouse.gov/a",
            "online",
            {"author": "{Office of the Press Secretary, White House}"},
        ),
        (
            "Tim Maurer, ‘Cyber Norm Emergence at the United Nations,’ Discussion Paper 2011-11, "
            "Belfer Center for Science and International Affairs, Harvard Kennedy School (2011)",
            "report",
            {
                "type": "Discussion Paper",
                "number": "2011-11",
                "institution": "Belfer Center for Science and International Affairs, Harvard "
                "Kennedy School",
            },
        ),
        (
            "Abdul Paliwala, ‘Netizenship, Security and Freedom,’ International Review of Law, "
            "Computers and Technology 27 (2013): 104-123",
            "article",
            {
                "journaltitle": "International Review of Law, Computers and Technology",
                "volume": "27",
            },
        ),
        (
            "Asia-Pacific Economic Cooperation, APEC Leaders Statement on Counter Terrorism (21 "
            "October 2011), http://www.apec.org/a.aspx",
            "misc",
            {"author": "{Asia-Pacific Economic Cooperation}", "date": "2011-10-21"},
        ),
        (
            "Greg Austin and Franz-Stefan Gady, ‘Cyber Detente between the United States and "
            "China,’ EastWest Institute (2012), http://www.ewi.info/a.pdf",
            "report",
            {"institution": "EastWest Institute", "author": "Austin, Greg and Gady, Franz-Stefan"},
        ),
        (
            "Wendy Tang, ‘Cui: Toward ‘Common Security’ and Cooperation in the Asia Pacific,’ "
            "Asia Society, July 5, 2012, http://asiasociety.org/a/",
            "online",
            {
                "title": "Cui: Toward ‘Common Security’ and Cooperation in the Asia Pacific",
                "organization": "Asia Society",
                "author": "Tang, Wendy",
            },
        ),
        (
            "《2013年我国互联网网络安全态势综述: CNCERT观点》。",
            "misc",
            {"title": "2013年我国互联网网络安全态势综述: CNCERT观点"},
        ),
        (
            "“Fighting Spam to Build Trust”, EastWest Institute and Internet Society of China, "
            "June 2011",
            "report",
            {"author": "{EastWest Institute} and {Internet Society of China}", "date": "2011-06"},
        ),
        (
            "Zhu Ningzhu, ed., ‘Xi Jinping Leads Internet Security Group,’ English.news.cn, "
            "February 27, 2014, http://news.xinhuanet.com/a.htm",
            "online",
            {"editor": "Zhu, Ningzhu", "organization": "English.news.cn"},
        ),
        (
            "United Nations, “Developments in the Field of Information and Telecommunications "
            "in the Context of International Security,” July 22, 2015, "
            "http://undocs.org/A/70/172",
            "report",
            {"number": "A/70/172", "institution": "United Nations"},
        ),
    ],
)
def test_parse_reference(text: str, entry_type: str, expected: dict[str, str]) -> None:
    parsed = parse_reference(text)
    assert parsed.type == entry_type
    for name, value in expected.items():
        assert parsed.fields.get(name) == value, name


def test_trailing_quotation_is_kept_in_note() -> None:
    parsed = parse_reference(
        "Office of the General Counsel, ‘Law of the Sea Convention,’ "
        "http://www.gc.noaa.gov/gcil_los.html: ‘Although not yet a party to the treaty’"
    )
    assert parsed.fields["note"] == "‘Although not yet a party to the treaty’"
    assert parsed.urls == ("http://www.gc.noaa.gov/gcil_los.html",)


def test_note_urls_from_the_notes_stage_win_over_the_written_form() -> None:
    parsed = parse_reference(
        "“China’s ZTE Takes Over Netas,” South China Morning Post, December 6, 2016, "
        "www.scmp.com/tech/a",
        known_urls=["http://www.scmp.com/tech/a"],
    )
    assert parsed.urls == ("http://www.scmp.com/tech/a",)


def test_unparseable_reference_is_misc_with_raw_text_and_problem() -> None:
    parsed = parse_reference("((( ;;; )))")
    assert parsed.type == "misc"
    assert parsed.fields["note"] == "((( ;;; )))"
    assert parsed.problems


def _document(*texts: str) -> NotedDocument:
    notes = tuple(Note(number=i, line=10 * i, text=t) for i, t in enumerate(texts, start=1))
    return NotedDocument(path="t.txt", markers=tuple(range(1, len(texts) + 1)), notes=notes)


def _cited(*texts: str) -> CitedDocument:
    return cite_corpus([_document(*texts)])[0]


def test_ibid_refers_to_previous_note_and_keeps_its_own_page() -> None:
    cited = _cited(
        "Kimberly Hsu and Craig Murray, China and International Law in Cyber Space "
        "(U.S.-China Economic and Security Review Commission, 2014), 1.",
        "Ibid, 4.",
    )
    first, second = cited.notes[0].citations[0], cited.notes[1].citations[0]
    assert first.refers_to is None
    assert second.key == first.key == "hsu2014china"
    assert second.refers_to == first.key
    assert first.fields["pages"] == "1"
    assert second.fields["pages"] == "4"
    assert second.place.note == 2


def test_short_forms_link_to_the_earlier_full_citation() -> None:
    cited = _cited(
        "See Greg Austin, Cyber Policy in China, 1st edn (Cambridge UK: Polity Press, 2014), "
        "chapter 5.",
        "See Austin, Cyber Policy in China, chapter 3.",
        "An overview can be found in Austin, Cyber Policy on China.",
        "Nigel Inkster, “China’s Cyber Power,” Adelphi Series, no. 456, May 23, 2016.",
        "Inkster, “China’s Cyber Power.”",
        "Statement by Ambassador Sha Zukang.",
    )
    key = cited.notes[0].citations[0].key
    assert cited.notes[1].citations[0].refers_to == key
    assert cited.notes[1].citations[0].fields["chapter"] == "3"
    assert cited.notes[2].citations[0].refers_to == key
    assert cited.notes[4].citations[0].refers_to == cited.notes[3].citations[0].key
    assert cited.notes[5].citations == ()  # names no earlier work: not a work of its own
    assert len(cited.works) == 2


def test_short_form_with_a_quoted_title_keeps_its_page() -> None:
    cited = _cited(
        "John Smith, “A Title on Things,” Foreign Affairs 95, no. 3 (2016): 44–52.",
        "Smith, “A Title on Things,” 50.",
    )
    back = cited.notes[1].citations[0]
    assert back.refers_to == "smith2016title"
    assert back.fields["pages"] == "50"


def test_security_council_resolution() -> None:
    parsed = parse_reference(
        "Security Council resolution 1373 (2001), S/RES/1373 (2001), 28 September 2001"
    )
    assert parsed.type == "report"
    assert parsed.symbols == ("S/RES/1373 (2001)",)
    assert parsed.fields["institution"] == "United Nations, Security Council"
    assert parsed.fields["number"] == "S/RES/1373 (2001)"
    assert parsed.fields["date"] == "2001-09-28"


def test_short_form_by_un_symbol() -> None:
    cited = _cited(
        "United Nations, General Assembly, Developments: report of the Secretary-General, "
        "A/61/161 (18 July 2006), 4, https://example.org/sg61.161.pdf.",
        "United Nations, General Assembly, Developments in the Field, A/61/161.",
    )
    assert cited.notes[1].citations[0].refers_to == cited.notes[0].citations[0].key


def test_the_same_work_in_two_notes_is_one_entry() -> None:
    text = (
        "State Council Information Office, “International Strategy of Cooperation on "
        "Cyberspace,” March 2, 2017, www.scio.gov.cn/32618/Document/1543874/1543874.htm."
    )
    cited = _cited(text, "Something else entirely, “Other,” Journal 3 (2001): 4.", text)
    assert len(cited.works) == 2
    assert cited.notes[2].citations[0].key == cited.notes[0].citations[0].key


def test_keys_are_unique_across_the_corpus_with_letters() -> None:
    one = _document("Greg Austin, ‘China Rising,’ The Diplomat, May 1, 2015, http://a/1.")
    two = _document("Greg Austin, ‘China Falling,’ The Diplomat, May 2, 2015, http://a/2.")
    cited = cite_corpus([one, two])
    keys = [cited[0].notes[0].citations[0].key, cited[1].notes[0].citations[0].key]
    assert keys == ["austin2015chinaa", "austin2015chinab"]


def test_keys_are_stable_across_runs() -> None:
    document = _document(NOTE_5)
    first = [c.key for c in cite_corpus([document])[0].works]
    second = [c.key for c in cite_corpus([document])[0].works]
    assert first == second
    assert len(set(first)) == 11


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        (
            {"author": "Krugman, Paul and Wells, Robin", "year": "2012", "title": "Economics"},
            "krugman2012economics",
        ),
        (
            {
                "author": "{State Council Information Office}",
                "year": "2017",
                "title": "International Strategy of Cooperation",
            },
            "scio2017international",
        ),
        (
            {
                "author": "{Center for Strategic and International Studies (CSIS)}",
                "title": "Bilateral Discussions",
            },
            "csisndbilateral",
        ),
        (
            {
                "author": "{United Nations, General Assembly}",
                "year": "1999",
                "title": "The Developments",
            },
            "unga1999developments",
        ),
        ({"title": "Big Points Buried", "year": "2015"}, "big2015"),
        ({"url": "http://www.12321.cn/"}, "site12321nd"),
        (
            {"author": "Berditskii, Aleksandr", "year": "2014", "title": "Ánother Tést"},
            "berditskii2014another",
        ),
    ],
)
def test_make_key_base(fields: dict[str, str], key: str) -> None:
    assert make_key_base(fields) == key


def test_commentary_only_note_cites_nothing_and_bad_notes_do_not_stop_the_run() -> None:
    cited = cite_document(
        _document(
            "The author would like to acknowledge the useful comments of several reviewers.",
            "((((( ;;;;; ‘‘‘‘ “““ )))))",
            "Ibid.",
            "Roger Hurwitz, ‘The Play of States,’ American Foreign Policy Interests 36 (2014).",
        )
    )
    assert cited.notes[0].citations == ()
    assert len(cited.notes[3].citations) == 1


def test_a_clause_without_a_title_is_misc_with_a_problem_naming_the_note() -> None:
    cited = cite_document(_document("Fine.", "(2014): 1-2."))
    (citation,) = cited.notes[1].citations
    assert citation.type == "misc"
    assert citation.fields == {"note": "(2014): 1-2"}
    assert citation.problems and citation.problems[0].startswith("note 2:")


def test_a_parser_failure_becomes_a_misc_citation(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(text: str, known_urls: object = ()) -> object:
        raise IndexError("boom")

    monkeypatch.setattr("citecheck.cite.citing.parse_reference", broken)
    cited = cite_document(_document("Roger Hurwitz, ‘The Play,’ Interests 36 (2014)."))
    (citation,) = cited.notes[0].citations
    assert citation.type == "misc"
    assert citation.fields["note"].startswith("Roger Hurwitz")
    assert "IndexError: boom" in citation.problems[0]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('Ab1 ,.;:()[]‘’“”"/-《》httpsw国')), max_size=200))
def test_citing_never_raises_on_any_note(text: str) -> None:
    cited = cite_corpus([_document(text, "Ibid.", text)])
    for note in cited[0].notes:
        for citation in note.citations:
            assert citation.key


def test_splitting_is_fast_on_long_adversarial_notes() -> None:
    # Long runs of the characters the scanners look at must not make them backtrack.
    for text in (
        "‘" * 5000,
        "“" * 5000,
        '"' * 5000,
        "‘a’ " * 3000,
        "(" * 5000 + ")" * 5000,
        "A. " * 5000,
        "; " * 5000,
        "www." * 2000,
    ):
        find_works(text)
        parse_reference(text)
