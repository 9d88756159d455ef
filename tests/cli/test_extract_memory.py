"""Writing the extract JSON takes memory in proportion to one note, not to the whole text
(issue 14, item 14: a 21 MB note-heavy text used to peak at 60 times its size, most of it
the JSON text and shape built whole). bench/memory_notes.py measures the full run."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from citecheck.cite.citing import cite_corpus
from citecheck.cite.extraction import extract_json_chunks, extract_paths
from citecheck.cli.main import emit_chunks

CITATION = (
    "Daniel Ventre, ‘Cybersécurité {n}.{k}’, Revue Défense Nationale {k} (2015), "
    "pp. {k}–{k}, http://www.example.org/papers/{n}/{k}/cyber.html, accessed 3 March 2016; "
)


def test_writing_the_json_of_a_note_heavy_text_holds_little_memory(tmp_path: Path) -> None:
    notes = 200
    body = " ".join(f"A claim.{n}" for n in range(1, notes + 1))
    lines = [body, ""] + [
        f"{n} " + "".join(CITATION.format(n=n, k=k) for k in range(1, 7)).rstrip("; ") + "."
        for n in range(1, notes + 1)
    ]
    text = tmp_path / "notes.txt"
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    size = text.stat().st_size
    documents = extract_paths([text])
    cited = cite_corpus(documents)
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        emit_chunks(extract_json_chunks(documents, cited), tmp_path / "out.json")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    written = (tmp_path / "out.json").stat().st_size
    assert written > 4 * size  # the JSON is several times the text ...
    assert peak - before < size  # ... but is never held whole, nor is its shape
