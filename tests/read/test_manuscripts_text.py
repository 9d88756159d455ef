"""Acceptance: the text finder on pdftotext renderings of real PDFs nobody here wrote.

Reads ../shared/manuscripts when it exists (skips otherwise, as in a clean clone without
it) and needs poppler's pdftotext.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from citecheck.read.model import REFERENCE, Document
from citecheck.read.notes import extract_notes
from tests.support.paths import REPO_ROOT

MANUSCRIPTS = REPO_ROOT.parent / "shared" / "manuscripts"

pytestmark = pytest.mark.skipif(
    not MANUSCRIPTS.is_dir() or shutil.which("pdftotext") is None,
    reason="needs ../shared/manuscripts and pdftotext",
)


def rendering(name: str, tmp_path: Path, *options: str) -> Document:
    out = tmp_path / (name + ".txt")
    subprocess.run(["pdftotext", *options, "-enc", "UTF-8", str(MANUSCRIPTS / name), str(out)],
                   check=True)  # fmt: skip
    return Document(str(out), out.read_text(encoding="utf-8"))


def test_gadr_footnotes_and_numbered_reference_list(tmp_path: Path) -> None:
    document = extract_notes(rendering("grobid-gadr.pdf", tmp_path, "-layout"))
    references = [n for n in document.notes if n.kind == REFERENCE]
    assert [n.label for n in references] == [f"[{i}]" for i in range(1, 7)]
    assert references[1].text.startswith("Kopp, O., Armbruster, A., Zimmermann, O.")
    urls = [url for note in document.notes if note.kind != REFERENCE for url in note.urls]
    assert (
        "https://github.com/JabRef/jabref/blob/master/docs/adr/0003-use-gradle-as-build-tool.md"
        in urls
    )
    assert (
        "https://github.com/eclipse/winery/blob/master/docs/adr/0023-use-maven-as-build-tool.md"
        in urls
    )


def test_federal_register_notes_start_in_order(tmp_path: Path) -> None:
    document = extract_notes(rendering("federal-register-2020-17221.pdf", tmp_path))
    starts = {n.number: n.text[:40] for n in document.notes}
    assert starts[1].startswith("Preliminary KNKT.18.10.35.04 Aircraft")
    assert starts[4].startswith("The angle of attack (or AOA)")
