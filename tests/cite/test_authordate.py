"""Author–date reference entries rewritten in note order, and parsed as one work."""

from __future__ import annotations

import pytest

from citecheck.cite.authordate import as_note_form
from citecheck.cite.citing import cite_note
from citecheck.read.model import REFERENCE, Note


@pytest.mark.parametrize(
    ("entry", "note"),
    [
        ("Jones, A. 2004. A Book of Things. London: Example Press. https://example.org/a.pdf",
         "A. Jones, A Book of Things (London: Example Press, 2004), https://example.org/a.pdf."),
        ("Smith, J. (2010). Another Work. Oxford: Example Press.",
         "J. Smith, Another Work (Oxford: Example Press, 2010)."),
        ("Roe, J., and B. Doe. 1999. Joint Work. Example Press.",
         "Roe, J., and B. Doe, Joint Work (Example Press, 1999)."),
        ("A note that is not an entry at all", "A note that is not an entry at all"),
    ],
)  # fmt: skip
def test_as_note_form(entry: str, note: str) -> None:
    assert as_note_form(entry) == note


def test_a_reference_entry_is_one_work_whatever_its_full_stops() -> None:
    entry = "Jones, A. 2004. A Book of Things. London: Example Press. See also chapter 2."
    works = cite_note(Note(1, 1, entry, kind=REFERENCE))
    assert len(works) == 1
    parsed = works[0][1]
    assert parsed is not None
    assert parsed.fields["title"] == "A Book of Things"
