"""How well does the analysis find what a careful editor finds in the five texts?

Runs extraction, citation parsing and the analysis (no network: links play no
part in dates and duplicates) over references/, then prints precision and
recall of the date-mismatch and duplicate-source findings against the
hand-checked list in tests/expected/corpus_findings.toml, with every false
alarm and every miss by name. Prints figures; asserts nothing.
Run from the repository root: `python3 bench/corpus_accuracy.py`.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from citecheck.cite.citing import cite_corpus  # noqa: E402
from citecheck.cite.extraction import extract_paths  # noqa: E402
from citecheck.findings.accuracy import load_expected, score_dates, score_duplicates  # noqa: E402
from citecheck.findings.analysis import analyse  # noqa: E402

EXPECTED = ROOT / "tests" / "expected" / "corpus_findings.toml"


def main() -> None:
    os.chdir(ROOT)  # the expected list names texts as references/…, as the report does
    started = time.perf_counter()
    documents = extract_paths([Path("references")])
    citations = [c for d in cite_corpus(documents) for n in d.notes for c in n.citations]
    findings, clusters = analyse(documents, citations, (), today=date.today())
    elapsed = time.perf_counter() - started
    expected = load_expected(EXPECTED)
    print(
        f"{len(documents)} texts, {len(citations)} citations, {len(clusters)} clusters "
        f"in {elapsed:.2f} s"
    )
    for score in (score_dates(findings, expected), score_duplicates(findings, expected)):
        unit = "pairs" if score.kind == "duplicate-source" else "citations"
        print(
            f"{score.kind:<17} precision {score.precision:6.1%}  recall {score.recall:6.1%}  "
            f"({score.true_positives} {unit} right, {len(score.false_positives)} false, "
            f"{len(score.misses)} missed)"
        )
        for label in score.false_positives:
            print(f"  false alarm: {label}")
        for label in score.misses:
            print(f"  missed:      {label}")


if __name__ == "__main__":
    main()
