"""Fuzz the extractor with atheris: bytes in, never a crash, only well-formed results out.

Each input is decoded as a document would be (`decode_text`, which may refuse it with a
`DocumentError`, the one allowed failure), line endings normalised, and run through
`extract_notes`, the citation parser (`cite_document`) and the URL helpers. Any other
exception, or a result that breaks an invariant (a URL that is not `http(s)://…` without
spaces, a line number outside the text), is a crash: atheris stops and writes the input to
`crash-…`. Keep such an input as a row in tests/cite/test_fuzz_regressions.py once it is fixed.

Run for ten minutes (from the repository root; needs `pip install atheris`):
    python3 bench/fuzz_extract.py -max_total_time=600
A corpus folder may be given as usual with libFuzzer (`python3 bench/fuzz_extract.py corpus/`);
the bundled texts in references/ make good seeds: `-seed_inputs` does not take folders,
so copy them into the corpus folder first.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import atheris  # noqa: E402

with atheris.instrument_imports():
    from citecheck.cite.citing import cite_document
    from citecheck.read.document import decode_text, normalise_newlines
    from citecheck.read.model import Document, DocumentError
    from citecheck.read.notes import extract_notes
    from citecheck.read.urltext import clean_url, find_urls, readable_text, unwrap_with_offsets

A_URL = re.compile(r"https?://\S+", re.IGNORECASE)


def check_text(text: str) -> None:
    """Run every extraction entry point over `text`; raise AssertionError on a broken promise."""
    document = extract_notes(Document(path="fuzz.txt", text=text))
    cited = cite_document(document)
    assert len(cited.notes) == len(document.notes)
    line_count = text.count("\n") + 1
    for note in document.notes:
        assert 1 <= note.line <= line_count, note
        assert all(A_URL.fullmatch(url) for url in note.urls), note.urls
    for body_url in document.body_urls:
        assert A_URL.fullmatch(body_url.url), body_url
        assert 1 <= body_url.line <= line_count, body_url
    for found in find_urls(text):
        assert A_URL.fullmatch(found.url), found
        assert clean_url(found.url) == found.url, found
    readable_text(text)
    lines = text.split("\n")
    joined, offsets = unwrap_with_offsets(lines)
    assert len(offsets) == len(lines)
    assert all(0 <= offset <= len(joined) for offset in offsets)


def test_one_input(data: bytes) -> None:
    try:
        text, _encoding = decode_text(data, name="fuzz.txt")
    except DocumentError:
        # Refused as a document; the URL helpers still see it as Latin-1 text.
        check_text(data.decode("latin-1"))
        return
    check_text(normalise_newlines(text))


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
