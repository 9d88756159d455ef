"""Acceptance: the PDF and LaTeX files of ../shared/manuscripts (other projects' test data).

The truth was established by hand from `pdftotext -layout` renderings and the sources (see
docs/pdf-and-latex.md). Skipped when the shared folder is absent (a clean clone).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from citecheck.read.formats import read_noted
from tests.support.paths import REPO_ROOT

MANUSCRIPTS = REPO_ROOT.parent / "shared" / "manuscripts"

pytestmark = pytest.mark.skipif(
    not MANUSCRIPTS.is_dir(), reason=f"{MANUSCRIPTS} not present (shared test manuscripts)"
)

FR_12 = (
    "The magnitude of the command varies according to parameters such as the airplane’s "
    "altitude and airspeed, and would be limited such that after the command is made, the "
    "pilot would be able to maintain level flight, climb, and descend, using control column "
    "inputs only."
)
GADR_1 = "https://github.com/JabRef/jabref/blob/master/docs/adr/0003-use-gradle-as-build-tool.md"
GADR_2 = "https://github.com/eclipse/winery/blob/master/docs/adr/0023-use-maven-as-build-tool.md"

Row = tuple[int, int, tuple[str, ...]]  # number, page (PDF) or line (LaTeX), URLs
NO_URLS: tuple[str, ...] = ()
FEDERAL_REGISTER: list[Row] = [(n, 2 if n < 10 else 3, NO_URLS) for n in range(1, 16)]

EXPECTED: dict[str, list[Row]] = {
    "grobid-footnotes-test.pdf": [(1, 1, ("http://wikipedia.org",))],
    "grobid-gadr.pdf": [(1, 2, (GADR_1,)), (2, 2, (GADR_2,))],
    "federal-register-2020-17221.pdf": FEDERAL_REGISTER,
    "pandoc-latex-reader.latex": [
        (1, 803, ()),
        (2, 807, ()),
        (3, 820, ("http://google.com",)),
        (4, 826, ()),
        (5, 832, ()),
    ],
    "tex-url-percent.tex": [(1, 2, ("http://a.b/c_d%20e~f#x",))],
    "tex-two-notes-percent.tex": [(1, 1, ("http://a.org/a%20b",)), (2, 2, ("http://b.org/~me#f",))],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notes_numbers_and_urls(name: str) -> None:
    document = read_noted(MANUSCRIPTS / name)
    paged = Path(name).suffix == ".pdf"
    found = [(n.number, n.page if paged else n.line, n.urls) for n in document.notes]
    assert found == EXPECTED[name]
    assert list(document.markers) == [number for number, _, _ in EXPECTED[name]]
    assert document.problems == ()


def test_federal_register_note_12_continues_in_the_next_column() -> None:
    document = read_noted(MANUSCRIPTS / "federal-register-2020-17221.pdf")
    assert document.notes[11].text == FR_12


def test_affiliation_superscripts_are_not_the_note_marker() -> None:
    """The authors carry raised 1-12; the note's marker is the `1` after `Wikipedia`."""
    document = read_noted(MANUSCRIPTS / "grobid-footnotes-test.pdf")
    (marker,) = document.marker_places
    assert (marker.number, marker.page) == (1, 1)
    assert document.notes[0].text == "http://wikipedia.org"


def test_latex_note_text_keeps_percent_url_and_verbatim() -> None:
    url_percent = read_noted(MANUSCRIPTS / "tex-url-percent.tex").notes[0]
    assert url_percent.text == "See http://a.b/c_d%20e~f#x and expr.func, [knuth84, p. 3]."
    pandoc = read_noted(MANUSCRIPTS / "pandoc-latex-reader.latex").notes
    assert "{ <code> } If you want" in pandoc[1].text
    assert "and ] verbatim characters" in pandoc[2].text


def test_federal_register_body_urls_are_whole() -> None:
    """A URL broken over column lines is joined; one that ends a sentence before the next
    heading `(j)` stops at its full stop; the link annotations add the mailto: links."""
    document = read_noted(MANUSCRIPTS / "federal-register-2020-17221.pdf")
    urls = {u.url for u in document.body_urls}
    assert "https://fsims.faa.gov/PICResults.aspx?mode=Publication&doctype=MMELByModel" in urls
    assert "https://www.faa.gov/aircraft/draft_docs/fsb/" in urls
    assert "mailto:doug.rudolph@faa.gov" in urls
    assert all(")" not in url and not url.endswith(".") for url in urls)
