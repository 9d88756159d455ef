"""How fast is `citecheck extract`? Prints figures; asserts nothing.

1. Throughput (MB/s) of extracting a 50 MB corpus made of the five bundled texts
   repeated, each copy a separate document (as `extract` sees a folder), and the
   same text as one single document of 12.5, 25 and 50 MB: time that grows
   linearly shows as a steady MB/s.
2. Wall time of `python3 -m citecheck extract` over the five texts, in a subprocess,
   start-up included.

Targets (issue 2): at least 5 MB/s, and under one second for the five texts.
Run from the repository root: `python3 bench/extract_speed.py`.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from citecheck.read.document import read_document  # noqa: E402
from citecheck.read.model import Document  # noqa: E402
from citecheck.read.notes import extract_notes  # noqa: E402

CORPUS_BYTES = 50 * 1024 * 1024
MEGABYTE = 1_000_000
TARGET_MB_PER_S = 5.0
TARGET_CLI_SECONDS = 1.0


def texts() -> list[Document]:
    return [read_document(path) for path in sorted((ROOT / "references").glob("*.txt"))]


def repeated_corpus(documents: list[Document]) -> list[Document]:
    corpus: list[Document] = []
    size = 0
    while size < CORPUS_BYTES:
        for document in documents:
            corpus.append(Document(f"{len(corpus)}-{document.path}", document.text))
            size += len(document.text.encode("utf-8"))
    return corpus


def throughput(corpus: list[Document]) -> tuple[float, float]:
    size = sum(len(document.text.encode("utf-8")) for document in corpus)
    start = time.perf_counter()
    for document in corpus:
        extract_notes(document)
    seconds = time.perf_counter() - start
    return size / MEGABYTE / seconds, seconds


def cli_seconds(runs: int = 5) -> list[float]:
    paths = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "references").glob("*.txt"))]
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "citecheck", "extract", *paths],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        timings.append(time.perf_counter() - start)
    return timings


def main() -> None:
    documents = texts()
    corpus = repeated_corpus(documents)
    size = sum(len(d.text.encode("utf-8")) for d in corpus) / MEGABYTE
    rate, seconds = throughput(corpus)
    print(f"corpus: {len(corpus)} documents, {size:.1f} MB (five texts repeated)")
    print(f"throughput, one document per copy: {rate:.1f} MB/s ({seconds:.2f} s)")
    whole = "".join(d.text for d in corpus)
    rate_single = 0.0
    for fraction in (4, 2, 1):
        part = whole[: len(whole) // fraction]
        rate_single, seconds_single = throughput([Document("all-in-one.txt", part)])
        megabytes = len(part.encode("utf-8")) / MEGABYTE
        print(
            f"throughput, one {megabytes:4.1f} MB document: "
            f"{rate_single:.1f} MB/s ({seconds_single:.2f} s)"
        )
    timings = cli_seconds()
    print(
        "python3 -m citecheck extract (five texts, start-up included): "
        f"median {statistics.median(timings):.3f} s, best {min(timings):.3f} s "
        f"over {len(timings)} runs"
    )
    met = min(rate, rate_single) >= TARGET_MB_PER_S and statistics.median(timings) < (
        TARGET_CLI_SECONDS
    )
    print(
        f"targets: >= {TARGET_MB_PER_S:g} MB/s and < {TARGET_CLI_SECONDS:g} s: "
        f"{'met' if met else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
