"""BibTeX output: escaping, data-model-clean fields, classic style, round trip, CSL-JSON."""

from __future__ import annotations

import json

import pytest

from citecheck.cite.citation import Citation
from citecheck.export.bibtex import (
    Style,
    entry_fields,
    escape_names,
    escape_tex,
    read_bibtex,
    unescape_tex,
    write_bibtex,
)
from citecheck.export.csl import csl_item
from citecheck.read.model import Place

PLACE = Place("t.txt", 1, 1)


def _citation(entry_type: str, **fields: str) -> Citation:
    urls = (fields["url"],) if "url" in fields else ()
    return Citation(key="k2015t", type=entry_type, fields=fields, place=PLACE, raw="raw", urls=urls)


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Events & Processes", r"Events \& Processes"),
        ("50% of $101m", r"50\% of \$101m"),
        ("#1 in_depth", r"\#1 in\_depth"),
        # never `\{`: BibTeX and biber count braces regardless of backslashes
        ("{braces}", r"\textbraceleft{}braces\textbraceright{}"),
        ("a lone { brace", r"a lone \textbraceleft{} brace"),
        ("a~b^c", r"a\textasciitilde{}b\textasciicircum{}c"),
        ("back\\slash", r"back\textbackslash{}slash"),
        ("“Curly” é 国务院新闻办公室", "“Curly” é 国务院新闻办公室"),
        ("plain text", "plain text"),
    ],
)
def test_escape_tex_round_trips(text: str, escaped: str) -> None:
    assert escape_tex(text) == escaped
    assert unescape_tex(escaped) == text


def test_institution_braces_survive_escaping() -> None:
    names = "{Office of Science & Technology} and Krugman, Paul"
    assert escape_names(names) == r"{Office of Science \& Technology} and Krugman, Paul"


def test_url_is_verbatim_and_survives_a_round_trip() -> None:
    url = "http://www.isc.org.cn/download/China-U.S.%20Anti-Hacking%20Report.pdf?a=1&b=_x#frag"
    text = write_bibtex([_citation("online", title="Report & more", url=url, date="2013-11")])
    assert f"url = {{{url}}}" in text
    entry = read_bibtex(text).entries[0]
    assert entry.fields_dict["url"].value == url
    assert entry.fields_dict["title"].value == r"Report \& more"


def test_fields_the_data_model_does_not_allow_go_into_note() -> None:
    citation = _citation(
        "online",
        title="T",
        url="http://a",
        date="2015",
        year="2015",
        date_written="2015",
        pages="4",
        chapter="3",
        publisher="P",
    )
    fields = entry_fields(citation, Style.BIBLATEX)
    assert fields == {
        "title": "T",
        "url": "http://a",
        "date": "2015",
        "note": "p. 4; chapter 3; P",
    }


def test_mandatory_fields_are_filled_without_inventing_facts() -> None:
    fields = entry_fields(_citation("online", url="http://www.12321.cn/"), Style.BIBLATEX)
    assert fields["title"] == "www.12321.cn"
    assert fields["date"] == "XXXX"  # EDTF: year unknown
    report = entry_fields(
        _citation("report", title="T", author="{United Nations, General Assembly}"),
        Style.BIBLATEX,
    )
    assert report["institution"] == "United Nations, General Assembly"
    assert report["type"] == "Report"


def test_undated_date_written_is_kept_in_note() -> None:
    fields = entry_fields(_citation("misc", title="T", date_written="sometime"), Style.BIBLATEX)
    assert fields["note"] == "sometime"


def test_classic_style_uses_year_month_journal_and_key() -> None:
    citation = _citation(
        "article",
        title="T",
        journaltitle="J",
        date="2015-01-19",
        year="2015",
        month="01",
        day="19",
        location="Geneva",
        langid="russian",
        number="456",
    )
    fields = entry_fields(citation, Style.BIBTEX)
    assert fields["journal"] == "J"
    assert fields["year"] == "2015"
    assert fields["month"] == "jan"
    assert "date" not in fields and "langid" not in fields
    assert fields["key"] == "T"  # no author: plainnat sorts by key
    assert fields["note"].endswith("no. 456")


def test_classic_month_is_written_as_the_unbraced_macro() -> None:
    citation = _citation("misc", title="T", date="2015-06", year="2015", month="06")
    assert "month = jun," in write_bibtex([citation], Style.BIBTEX)
    assert "month" not in write_bibtex([citation], Style.BIBLATEX)


def test_classic_titles_keep_their_case_and_biblatex_titles_are_single_braced() -> None:
    citation = _citation("misc", title="China's Internet & S&ED", booktitle="In China")
    assert "title = {{China's Internet \\& S\\&ED}}," in write_bibtex([citation], Style.BIBTEX)
    assert "title = {China's Internet \\& S\\&ED}," in write_bibtex([citation], Style.BIBLATEX)


@pytest.mark.parametrize(
    ("title", "langid", "expected"),
    [
        # `[in Russian]` after an English title: the work's language, not the entry's.
        ("Towards a Politico-Legal Foundation", "russian", {"language": "russian"}),
        ("How to Build the Network Border Defense", "chinese", {"language": "Chinese"}),
        # A title in the language's own script is written in it.
        ("Международная информационная безопасность", "russian", {"langid": "russian"}),
        ("中国互联网状况", "chinese", {"langid": "chinese"}),
        # Latin-script languages: we cannot tell, so the note's word stands as langid.
        ("Cybersécurité et cyberdéfense chinoise", "french", {"langid": "french"}),
    ],
)
def test_language_of_a_translated_title_is_language_not_langid(
    title: str, langid: str, expected: dict[str, str]
) -> None:
    fields = entry_fields(_citation("misc", title=title, langid=langid), Style.BIBLATEX)
    assert {k: v for k, v in fields.items() if k in {"langid", "language"}} == expected


def test_urldate_is_biblatex_urldate_and_a_classic_note() -> None:
    citation = _citation("online", title="T", url="http://a", urldate="2016-03-12")
    assert "urldate = {2016-03-12}" in write_bibtex([citation], Style.BIBLATEX)
    classic = write_bibtex([citation], Style.BIBTEX)
    assert "urldate" not in classic and "note = {accessed 2016-03-12}" in classic


def test_classic_types() -> None:
    online = write_bibtex([_citation("online", title="T", url="http://a")], Style.BIBTEX)
    assert online.startswith("@misc{k2015t,")
    assert "year = {n.d.}" in online
    report = write_bibtex(
        [_citation("report", title="T", author="{UN}", institution="UN")], Style.BIBTEX
    )
    assert report.startswith("@techreport{k2015t,")


def test_each_key_is_written_once() -> None:
    one = _citation("misc", title="T", date="2015")
    text = write_bibtex([one, one])
    assert text.count("@misc{k2015t,") == 1


def test_round_trip_reads_back_the_same_fields() -> None:
    citation = _citation(
        "article",
        author="Zhang, Xinbao and {State Council Information Office}",
        title="Establishing Common Rules: 50% & more_{x}",
        journaltitle="China Legal Sciences",
        volume="121",
        date="2013",
        langid="chinese",
        origtitle="中国互联网状况白皮书",
    )
    text = write_bibtex([citation])
    written = entry_fields(citation, Style.BIBLATEX)
    entry = read_bibtex(text).entries[0]
    assert entry.entry_type == "article"
    back = {f.key: unescape_tex(f.value) for f in entry.fields if f.key != "author"}
    assert back == {k: v for k, v in written.items() if k != "author"}
    assert entry.fields_dict["author"].value == escape_names(written["author"])


def test_csl_item_names_dates_and_types() -> None:
    citation = _citation(
        "article",
        author="Krugman, Paul and {State Council Information Office}",
        title="T",
        journaltitle="J",
        year="2015",
        month="01",
        day="19",
        pages="322--331",
        langid="chinese",
        url="http://a",
    )
    item = csl_item(citation)
    assert item["type"] == "article-journal"
    assert item["author"] == [
        {"family": "Krugman", "given": "Paul"},
        {"literal": "State Council Information Office"},
    ]
    assert item["issued"] == {"date-parts": [[2015, 1, 19]]}
    assert item["container-title"] == "J"
    assert item["page"] == "322-331"
    assert item["language"] == "zh"
    assert item["URL"] == "http://a"
    json.dumps(item)  # serialisable as is


def test_doi_isbn_translator_and_series_reach_both_bibtex_styles_and_csl() -> None:
    citation = _citation(
        "book",
        author="Eco, Umberto",
        translator="Weaver, William",
        title="The Name of the Rose",
        publisher="Harcourt",
        series="Helen and Kurt Wolff Books",
        doi="10.1000/a_b<1>",
        isbn="978-0-15-144647-6",
        year="1983",
    )
    biblatex = write_bibtex([citation])
    assert "doi = {10.1000/a_b<1>}" in biblatex
    assert "translator = {Weaver, William}" in biblatex
    assert "isbn = {978-0-15-144647-6}" in biblatex
    assert "series = {Helen and Kurt Wolff Books}" in biblatex
    classic = write_bibtex([citation], Style.BIBTEX)
    assert "doi = {10.1000/a_b<1>}" in classic and "isbn = {978-0-15-144647-6}" in classic
    item = csl_item(citation)
    assert item["DOI"] == "10.1000/a_b<1>" and item["ISBN"] == "978-0-15-144647-6"
    assert item["translator"] == [{"family": "Weaver", "given": "William"}]
    assert item["collection-title"] == "Helen and Kurt Wolff Books"
