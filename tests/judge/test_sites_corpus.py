"""Every UN, foreign-ministry and APEC URL in the five texts is classified by a named rule.

The gold list (tests/fixtures/sites/corpus_urls.tsv) was written by hand with line breaks
undone; the first two tests prove it is exactly the set of such URLs in references/*.txt.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from citecheck.cite.extraction import extract_paths
from citecheck.judge.sites import rule_for, successor_candidates, url_form
from citecheck.judge.sites.un import RULE, symbol_in_url
from tests.support.paths import REPO_ROOT
from tests.support.sites_helpers import FIXTURES

REFERENCES = REPO_ROOT / "references"
SITE_HOST = re.compile(
    r"[A-Za-z0-9.\-]*(?:\bun\.org|undocs\.org|fmprc\.gov\.cn|mfa\.gov\.cn|apec\.org)",
    re.IGNORECASE,
)


def gold_rows() -> list[tuple[str, str, str, str]]:
    rows = []
    for line in (FIXTURES / "corpus_urls.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            document, url, form, symbol = line.split("\t")
            rows.append((document, url, form, symbol))
    return rows


def unwrapped(document: str) -> str:
    """The text of references/<document>_*.txt with all whitespace removed (undoes wraps)."""
    (path,) = REFERENCES.glob(f"{document}_*.txt")
    return re.sub(r"\s+", "", path.read_text(encoding="utf-8"))


GOLD = gold_rows()


@pytest.mark.parametrize(("document", "url"), [(d, u) for d, u, _, _ in GOLD])
def test_each_gold_url_stands_in_its_text(document: str, url: str) -> None:
    assert url in unwrapped(document)


@pytest.mark.parametrize("document", sorted({p.name[:3] for p in REFERENCES.glob("*.txt")}))
def test_every_site_url_in_a_text_is_in_the_gold_list(document: str) -> None:
    text = unwrapped(document)
    covered = [
        (start, start + len(url))
        for d, url, _, _ in GOLD
        if d == document
        for start in [m.start() for m in re.finditer(re.escape(url), text)]
    ]
    uncovered = [
        match.group(0)
        for match in SITE_HOST.finditer(text)
        if not any(start <= match.start() < end for start, end in covered)
    ]
    assert uncovered == []


@pytest.mark.parametrize(("url", "form"), [(u, f) for _, u, f, _ in GOLD])
def test_each_corpus_url_is_classified_by_a_named_rule(url: str, form: str) -> None:
    rule = rule_for(url)
    assert rule is not None
    assert url_form(url) == form
    assert form.startswith(rule.name + ".")


@pytest.mark.parametrize(("url", "symbol"), [(u, s) for _, u, f, s in GOLD if f.startswith("un.")])
def test_each_corpus_un_url_yields_its_symbol(url: str, symbol: str) -> None:
    assert symbol_in_url(url) == (None if symbol == "-" else symbol)


@pytest.mark.parametrize(
    "url",
    [u for _, u, f, _ in GOLD if f in ("un.view_doc", "un.daccess-dds", "un.daccess-ods")],
)
def test_every_retired_un_url_in_the_texts_has_a_current_access_url(url: str) -> None:
    rule = rule_for(url)
    assert rule is not None
    (successor,) = rule.successors(url)
    assert successor.startswith("https://documents.un.org/")


# The daccess-dds-ny links carry a job number, not a symbol: the symbol is the one the
# citation names just before the link (read by hand from the texts).
DDS_SYMBOLS = [
    (
        "http://daccess-dds-ny.un.org/doc/UNDOC/GEN/N04/407/04/PDF/N0440704.pdf?OpenElement",
        "A/59/116",
    ),
    (
        "http://daccess-dds-ny.un.org/doc/UNDOC/GEN/N05/453/63/PDF/N0545363.pdf?OpenElement",
        "A/60/202",
    ),
    (
        "http://daccess-dds-ny.un.org/doc/UNDOC/GEN/N11/496/56/PDF/N1149656.pdf?OpenElement",
        "A/66/359",
    ),
]


def test_the_dds_table_covers_every_dds_link_in_the_texts() -> None:
    assert sorted(u for u, _ in DDS_SYMBOLS) == sorted(
        u for _, u, f, _ in GOLD if f == "un.daccess-dds"
    )


@pytest.mark.parametrize(("url", "symbol"), DDS_SYMBOLS)
def test_each_dds_link_maps_to_its_cited_symbol_and_access_url(url: str, symbol: str) -> None:
    text = unwrapped("000")
    at = text.index(url)
    assert symbol in text[at - 40 : at]
    assert successor_candidates(url, (symbol,)) == (
        RULE.successors(url)[0],
        f"https://documents.un.org/api/symbol/access?s={symbol}&l=en&t=pdf",
    )


def test_the_notes_stage_finds_exactly_the_gold_site_urls() -> None:
    found = {
        (Path(document.path).name[:3], url)
        for document in extract_paths([REFERENCES])
        for note in document.notes
        for url in note.urls
        if rule_for(url) is not None
    } | {
        (Path(document.path).name[:3], body.url)
        for document in extract_paths([REFERENCES])
        for body in document.body_urls
        if rule_for(body.url) is not None
    }
    gold = {(d, u if "://" in u else "http://" + u) for d, u, _, _ in GOLD}
    assert found == gold
