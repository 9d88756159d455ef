"""The bundled corpus end to end: golden .bib files, round trip, and the extract formats.

`references/<text>.bib` are generated (`citecheck extract --bib-dir references`) and reviewed
like code: this test regenerates them and fails on any difference, so every parser change
shows up as a diff. Texts whose notes cite nothing (001, 003) get no .bib file.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from click.testing import CliRunner

from citecheck.cite.citation import CitedDocument
from citecheck.cite.citing import cite_corpus
from citecheck.cite.extraction import extract_paths
from citecheck.cli.main import main
from citecheck.export.bibtex import (
    Style,
    bib_path,
    entry_fields,
    escaped,
    read_bibtex,
    unescape_tex,
    write_bibtex,
)
from citecheck.export.csl import CSL_TYPES, write_csl_json
from tests.support.paths import REPO_ROOT

ROOT = REPO_ROOT
REFERENCES = ROOT / "references"


@cache
def corpus() -> tuple[CitedDocument, ...]:
    return cite_corpus(extract_paths([REFERENCES]))


def test_golden_bib_files_match_a_fresh_run() -> None:
    expected = {
        bib_path(REFERENCES, d.path).name: write_bibtex(d.works) for d in corpus() if d.works
    }
    present = {p.name: p.read_text(encoding="utf-8") for p in REFERENCES.glob("*.bib")}
    assert sorted(present) == sorted(expected), "regenerate: citecheck extract --bib-dir references"
    for name, text in expected.items():
        assert present[name] == text, f"{name} differs; regenerate and review the diff"


def test_texts_without_notes_get_no_bib_file() -> None:
    without = [d for d in corpus() if not d.works]
    assert without, "001 and 003 cite nothing"
    for document in without:
        assert not bib_path(REFERENCES, document.path).exists()


def test_golden_files_read_back_to_the_same_fields() -> None:
    for document in corpus():
        if not document.works:
            continue
        library = read_bibtex(bib_path(REFERENCES, document.path).read_text(encoding="utf-8"))
        assert not library.failed_blocks
        by_key = {entry.key: entry for entry in library.entries}
        assert list(by_key) == [w.key for w in document.works]
        for work in document.works:
            entry = by_key[work.key]
            assert entry.entry_type == work.type
            written = entry_fields(work, Style.BIBLATEX)
            read_back = {f.key: f.value for f in entry.fields}
            assert read_back == {name: escaped(name, value) for name, value in written.items()}
            if work.urls:
                assert read_back["url"] == work.urls[0]  # verbatim, `%20` and all
            if "title" in work.fields:
                assert unescape_tex(read_back["title"]) == work.fields["title"]


def test_csl_json_of_the_corpus_is_complete() -> None:
    items = json.loads(write_csl_json(corpus()))
    keys = [w.key for d in corpus() for w in d.works]
    assert [item["id"] for item in items] == keys
    for item in items:
        assert item["type"] in CSL_TYPES.values()
        assert item.get("title") or item.get("URL") or item.get("note")


def test_keys_are_unique_across_the_corpus() -> None:
    owner: dict[str, str] = {}
    for document in corpus():
        for work in document.works:
            assert owner.setdefault(work.key, document.path) == document.path, work.key
            assert re.fullmatch(r"[a-z][a-z0-9]*", work.key), work.key


def test_corpus_counts_the_issue_names() -> None:
    by_name = {Path(d.path).name[:3]: d for d in corpus()}
    notes_000 = {n.number: n for n in by_name["000"].notes}
    assert len(notes_000[5].citations) == 11
    assert notes_000[1].citations == ()
    ibid = notes_000[17].citations[0]
    assert ibid.refers_to == notes_000[16].citations[0].key
    assert ibid.fields["pages"] == "4"
    short = notes_000[53].citations[0]
    assert short.refers_to == notes_000[9].citations[0].key
    notes_002 = {n.number: n for n in by_name["002"].notes}
    assert notes_002[45].citations[0].refers_to == notes_002[1].citations[0].key
    notes_004 = {n.number: n for n in by_name["004"].notes}
    assert notes_004[1].citations[0].fields["origtitle"] == "中国互联网状况白皮书"


def test_extract_json_gains_citations() -> None:
    result = CliRunner().invoke(main, ["extract", str(REFERENCES / "000_78bce5da08b31058.txt")])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)["documents"][0]
    note = next(n for n in document["notes"] if n["number"] == 31)
    assert {"number", "line", "text", "urls", "citations"} <= set(note)
    citation = note["citations"][0]
    assert set(citation) >= {"key", "type", "fields", "urls", "un_symbols", "refers_to"}
    assert citation["un_symbols"] == ["A/RES/53/70"]
    assert citation["type"] == "report"
    assert citation["refers_to"] is None


def test_extract_bibtex_styles_and_csl_json(tmp_path: Path) -> None:
    path = str(REFERENCES / "002_43e623d618e2a5b1.txt")
    runner = CliRunner()
    biblatex = runner.invoke(main, ["extract", path, "--format", "bibtex"])
    classic = runner.invoke(main, ["extract", path, "--format", "bibtex", "--style", "bibtex"])
    csl = runner.invoke(main, ["extract", path, "--format", "csl-json"])
    assert biblatex.exit_code == classic.exit_code == csl.exit_code == 0
    assert "date = {2016-05-23}" in biblatex.output
    assert "year = {2016}" in classic.output and "date = {" not in classic.output
    items = json.loads(csl.output)
    assert items[0]["id"] == "inkster2016chinas"
    assert items[0]["issued"] == {"date-parts": [[2016, 5, 23]]}
    out = tmp_path / "bibs"
    out.mkdir()
    written = runner.invoke(
        main, ["extract", path, "--bib-dir", str(out), "-o", str(tmp_path / "x.json")]
    )
    assert written.exit_code == 0
    bibs = [p.name for p in out.iterdir() if not p.name.startswith(".")]  # not the merge base
    assert bibs == ["002_43e623d618e2a5b1.bib"]
    assert Style.BIBLATEX.value == "biblatex"
