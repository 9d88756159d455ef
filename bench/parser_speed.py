"""How fast is the learned reference parser? Prints figures; asserts nothing.

1. References per second of `parse_learned` on one core, model already loaded: the AnyStyle
   core set's strings when `../shared/training/anystyle-core.xml` exists, else the same
   synthetic references repeated. Model load time is printed separately.
2. Wall time of `citecheck extract --format json` over the five texts (footnotes, rule
   parser; the model is never loaded), in a fresh interpreter, start-up included.

Targets (issue 13): at least 1,000 references a second; under one second for the five texts.
Run from the repository root: `python3 bench/parser_speed.py`.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))  # run as a script: the repository's packages first

from citecheck.cite.learned import load_tagger, parse_learned  # noqa: E402
from citecheck.cite.training import read_training  # noqa: E402

TRAINING = REPO_ROOT.parent / "shared" / "training" / "anystyle-core.xml"
SYNTHETIC = [
    "Joyce, James. Finnegans Wake. New York: Penguin Books, 1976.",
    "Ungless, M.A. (2004). Dopamine: the salient issue. Trends Neurosci. 27, 702–706.",
    "S. E. Han, G. Chen, Nano Lett. 2010, 10, 1012.",
]


def strings() -> list[str]:
    """The references to parse: the training set's when it is there."""
    for candidate in (TRAINING, REPO_ROOT.parent.parent / "shared/training/anystyle-core.xml"):
        if candidate.exists():
            return [r.text for r in read_training(candidate)]
    return SYNTHETIC * 500


def main() -> None:
    started = time.perf_counter()
    load_tagger()
    print(f"model load: {time.perf_counter() - started:.3f} s")
    references = strings()
    rates, cpu_rates = [], []
    for _ in range(3):
        started, cpu = time.perf_counter(), time.process_time()
        for text in references:
            parse_learned(text)
        rates.append(len(references) / (time.perf_counter() - started))
        cpu_rates.append(len(references) / (time.process_time() - cpu))
    print(
        f"parse_learned: {statistics.median(cpu_rates):,.0f} references per CPU second, "
        f"{statistics.median(rates):,.0f} per wall second (median of 3 runs, "
        f"{len(references)} references; the machine is shared, so CPU time is the steadier)"
    )
    walls, cpus = [], []
    output = Path(tempfile.mkdtemp(prefix="citecheck-bench-")) / "extract.json"
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-c",
                "from citecheck.cli.main import main; main()",
                "extract",
                str(REPO_ROOT / "references"),
                "--format",
                "json",
                "-o",
                str(output),
            ],
            cwd=REPO_ROOT,
            check=True,
            capture_output=True,
        )
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    print(
        f"citecheck extract on the five texts: {statistics.median(cpus):.2f} s CPU, "
        f"{statistics.median(walls):.2f} s wall (median of 3, start-up included)"
    )


if __name__ == "__main__":
    main()
