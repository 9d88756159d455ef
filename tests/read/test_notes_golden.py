"""The five bundled texts against their hand-checked golden extractions.

The golden files under tests/golden/extract/ were produced by `citecheck extract`
and then read note by note against the source text. After a deliberate change,
regenerate them with `python3 -m tests.read.test_notes_golden` and review the diff like code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from citecheck.cite.extraction import extract_paths, noted_document_json
from tests.support.paths import REPO_ROOT

ROOT = REPO_ROOT
GOLDEN = ROOT / "tests" / "golden" / "extract"
TEXTS = sorted(p.name for p in (ROOT / "references").glob("*.txt"))


def extracted(name: str) -> dict[str, Any]:
    (document,) = extract_paths([Path("references") / name])
    return noted_document_json(document)


def golden_path(name: str) -> Path:
    return GOLDEN / (Path(name).stem + ".json")


def render(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def test_every_text_has_a_golden_file() -> None:
    assert len(TEXTS) == 5
    assert sorted(p.name for p in GOLDEN.glob("*.json")) == [
        Path(name).stem + ".json" for name in TEXTS
    ]


@pytest.mark.parametrize("name", TEXTS)
def test_extraction_matches_golden(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert render(extracted(name)) == golden_path(name).read_text(encoding="utf-8")


# prefix: (notes, URLs in notes, markers, body URLs, problem kinds)
COUNTS = {
    "000_": (107, 74, 107, 0, []),
    "001_": (0, 0, 85, 0, ["markers-without-notes"]),
    "002_": (62, 60, 62, 4, []),
    "003_": (0, 0, 0, 0, []),
    "004_": (29, 24, 29, 0, []),
}


@pytest.mark.parametrize("prefix", sorted(COUNTS))
def test_golden_counts(prefix: str) -> None:
    """The headline figures, so a golden file cannot drift unnoticed."""
    notes, urls, markers, body_urls, problems = COUNTS[prefix]
    (path,) = [p for p in GOLDEN.glob("*.json") if p.name.startswith(prefix)]
    golden = json.loads(path.read_text(encoding="utf-8"))
    assert [n["number"] for n in golden["notes"]] == list(range(1, notes + 1))
    assert sum(len(n["urls"]) for n in golden["notes"]) == urls
    assert golden["markers"] == list(range(1, markers + 1))
    assert len(golden["body_urls"]) == body_urls
    assert [p["kind"] for p in golden["problems"]] == problems


if __name__ == "__main__":
    import os

    os.chdir(ROOT)
    for text in TEXTS:
        golden_path(text).write_text(render(extracted(text)), encoding="utf-8")
        print(f"wrote {golden_path(text).relative_to(ROOT)}")
