"""URLs that exist only as link targets (Word hyperlinks, HTML and PDF links over words)
reach the work the note cites; text documents, whose URLs are all in their text, are untouched."""

from __future__ import annotations

import pytest

from citecheck.cite.citing import cite_document
from citecheck.read.model import Note, NotedDocument

URL = "https://example.org/report.pdf"


def cited(text: str, fmt: str, urls: tuple[str, ...] = (URL,)) -> list[tuple[str, tuple[str, ...]]]:
    document = NotedDocument("a", (1,), (Note(1, 1, text, urls),), format=fmt)
    notes = cite_document(document).notes
    return [(c.fields.get("url", ""), c.urls) for c in notes[0].citations]


@pytest.mark.parametrize("fmt", ["docx", "odt", "html", "pdf", "markdown"])
def test_a_note_of_words_and_a_link_cites_the_link(fmt: str) -> None:
    assert cited("Roe, the report", fmt) == [(URL, (URL,))]


def test_the_link_goes_to_the_one_work_the_note_cites() -> None:
    text = "Jane Roe, “The Gone Report,” Example Press, June 8, 2010."
    assert cited(text, "docx") == [(URL, (URL,))]


def test_a_url_written_in_the_text_is_not_given_twice() -> None:
    text = f"Jane Roe, “The Gone Report,” Example Press, June 8, 2010, {URL}."
    assert cited(text, "html") == [(URL, (URL,))]


def test_plain_text_is_left_as_the_parser_reads_it() -> None:
    assert cited("Roe, the report", "text") == []


def test_two_works_and_one_link_target_stay_apart() -> None:
    """Which of two works a link belongs to is not known: it is probed, not guessed."""
    text = (
        "Jane Roe, “The Gone Report,” Example Press, June 8, 2010; "
        "John Doe, “Another Report,” Example News, March 3, 2014."
    )
    assert all(url == "" for url, _ in cited(text, "docx"))
