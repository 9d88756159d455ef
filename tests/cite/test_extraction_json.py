"""The extract JSON written note by note is the same text `json.dumps` makes of the whole
shape (issue 14, item 14: the whole shape is never built)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citecheck.cite.citing import cite_corpus
from citecheck.cite.extraction import extract_json_chunks, extract_paths, noted_document_json
from tests.support.paths import REPO_ROOT

NOTES = (
    "A claim.1 Another “quoted” claim.2\n\n"
    "1 Daniel Ventre, ‘Cybersécurité’ (Paris: Hermès, 2015), http://www.example.fr/a.html.\n"
    '2 Ibid., p. 3; see also "x\\y" \u2028 at http://example.org/b.\n'
)


@pytest.mark.parametrize(
    "texts",
    [[], ["Only a body, no notes.\n"], [NOTES], [NOTES, "Only a body.\n", NOTES]],
    ids=["none", "no-notes", "notes", "several"],
)
def test_chunks_are_json_dumps_of_the_whole_shape(tmp_path: Path, texts: list[str]) -> None:
    paths = []
    for number, text in enumerate(texts):
        path = tmp_path / f't{number}\n"{number}".txt'
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    documents = extract_paths(paths) if paths else []
    cited = cite_corpus(documents)
    whole = {
        "documents": [noted_document_json(d, c) for d, c in zip(documents, cited, strict=True)]
    }
    assert "".join(extract_json_chunks(documents, cited)) == json.dumps(
        whole, ensure_ascii=False, indent=2
    )


def test_the_bundled_corpus_comes_out_the_same() -> None:
    documents = extract_paths([REPO_ROOT / "references"])
    cited = cite_corpus(documents)
    whole = {
        "documents": [noted_document_json(d, c) for d, c in zip(documents, cited, strict=True)]
    }
    assert "".join(extract_json_chunks(documents, cited)) == json.dumps(
        whole, ensure_ascii=False, indent=2
    )
