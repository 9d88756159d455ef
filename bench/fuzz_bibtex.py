"""Fuzz the BibTeX writer with atheris: any field values in, a .bib that reads back out.

Each input becomes one work (an entry type, up to eight fields with arbitrary Unicode
values, maybe a URL), written in biblatex or classic style. The promise checked on every
input: braces balance as BibTeX counts them (backslash or not), and bibtexparser reads it
back as exactly one entry with the same key and the same fields (`entry_fields`), each
value exactly as the writer built it (`build_library`; `escaped` inside: TeX specials
escaped, one line; the URL verbatim but for characters no URL may hold raw). Anything
else, or any exception, is a crash: atheris writes the input to `crash-…`; keep it as a
row in tests/export/test_bibtex_hostile.py once fixed.

Run for ten minutes (from the repository root; needs `pip install atheris`):
    python3 bench/fuzz_bibtex.py -max_total_time=600
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import atheris  # noqa: E402

with atheris.instrument_imports():
    from citecheck.cite.citation import Citation
    from citecheck.export.bibtex import (
        Style,
        build_library,
        entry_fields,
        escaped,
        read_bibtex,
        write_bibtex,
    )
    from citecheck.read.model import Place

TYPES = ["article", "book", "collection", "incollection", "inbook", "report", "online", "misc"]
FIELD_NAMES = [
    "author", "editor", "title", "journaltitle", "booktitle", "volume", "number", "pages",
    "publisher", "location", "institution", "date", "urldate", "langid", "note", "origtitle",
    "origpublisher", "origdate", "edition", "chapter", "organization", "howpublished",
    "date_written", "year", "month", "series", "language", "whatever",
]  # fmt: skip
PLACE = Place("fuzz.txt", 1, 1)


def braces_balance(text: str) -> bool:
    """BibTeX's rule: every `{`, escaped or not, closes; none closes before it opens."""
    depth = 0
    for char in text:
        depth += (char == "{") - (char == "}")
        if depth < 0:
            return False
    return depth == 0


def citation_from(data: atheris.FuzzedDataProvider) -> tuple[Citation, Style]:
    entry_type = TYPES[data.ConsumeIntInRange(0, len(TYPES) - 1)]
    style = Style.BIBTEX if data.ConsumeBool() else Style.BIBLATEX
    fields: dict[str, str] = {}
    for _ in range(data.ConsumeIntInRange(0, 8)):
        name = FIELD_NAMES[data.ConsumeIntInRange(0, len(FIELD_NAMES) - 1)]
        fields[name] = data.ConsumeUnicodeNoSurrogates(data.ConsumeIntInRange(0, 80))
    urls: tuple[str, ...] = ()
    if data.ConsumeBool():
        url = "http://x.org/" + data.ConsumeUnicodeNoSurrogates(data.ConsumeIntInRange(0, 60))
        fields["url"] = url
        urls = (url,)
    raw = data.ConsumeUnicodeNoSurrogates(40)
    citation = Citation(
        key="fuzz2026key", type=entry_type, fields=fields, place=PLACE, raw=raw, urls=urls
    )
    return citation, style


def check_citation(citation: Citation, style: Style) -> None:
    text = write_bibtex([citation], style)
    assert braces_balance(text), text
    library = read_bibtex(text)
    assert not library.failed_blocks, (text, library.failed_blocks)
    assert len(library.entries) == 1, text
    entry = library.entries[0]
    assert entry.key == citation.key, text
    meant = entry_fields(citation, style)
    read_back = {field.key: field.value for field in entry.fields}
    assert set(read_back) == set(meant), (text, meant)
    written = {f.key: f.value for f in build_library([citation], style).entries[0].fields}
    assert read_back == written, (text, written)
    for name, value in read_back.items():
        assert escaped(name, meant[name]) in value, (name, value, meant[name])


def test_one_input(data_bytes: bytes) -> None:
    citation, style = citation_from(atheris.FuzzedDataProvider(data_bytes))
    check_citation(citation, style)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
