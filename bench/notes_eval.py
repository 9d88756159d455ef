"""How well does the plain-text note finder generalise? Prints the scores of the corpus.

Reads every rendering under tests/read/textcorpus/texts/ (made by
`python3 -m tests.read.textcorpus.make`) and scores it with tests/read/textcorpus/score.py:
found/missed/spurious notes and exact URLs, per layout (the generator's style) and per
conversion mode, the held-out documents (never looked at while tuning) first.
Run from the repository root: `python3 bench/notes_eval.py` (`-v` lists every miss,
`--tuned` scores the tuned documents only, as while tuning).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script

from tests.read.textcorpus.score import MODES, Score, evaluate, total


def _line(name: str, score: Score) -> str:
    return (
        f"{name:<22} notes {score.expected:4}  found {score.found:4} ({score.recall:6.1%})  "
        f"missed {score.expected - score.found:3}  spurious {score.spurious:3} "
        f"({score.spurious_rate:5.1%})  URLs exact {score.exact_urls:3}/{score.urls:<3} "
        f"({score.url_rate:6.1%})  false problems {score.false_problems:3}"
        + (
            f"  citations linked {score.linked}/{score.citations}, {score.extra_links} extra"
            if score.citations
            else ""
        )
    )


def main(verbose: bool = False, tuned_only: bool = False) -> None:
    for held_out in (False,) if tuned_only else (True, False):
        scores = evaluate(held_out)
        print("held-out documents" if held_out else "tuned documents")
        for key in sorted(scores):
            print("  " + _line(f"{key[0]}/{key[1]}", scores[key]))
        for mode in MODES:
            print("  " + _line(f"all/{mode}", total(scores, mode)))
        print("  " + _line("all", total(scores)))
        if verbose:
            for miss in total(scores).misses:
                print("    " + miss)


if __name__ == "__main__":
    import sys

    main("-v" in sys.argv, "--tuned" in sys.argv)
