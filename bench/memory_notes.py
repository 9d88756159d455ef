"""Peak memory of `citecheck extract` on note-heavy texts, as a multiple of the input size.

Generates a text of 999 dense notes (each a run of full citations with URLs, the shape
that multiplies memory: every note yields many citations and URLs) of 1, 5 and 21 MB in
a temporary folder, runs `python3 -m citecheck extract TEXT -o OUT.json` on each in a
fresh subprocess, and prints the peak resident memory (ru_maxrss of the child) and its
ratio to the input size. Target (issue 14, item 14): under 10x the input.

Run from the repository root: `python3 bench/memory_notes.py [MB ...]`. Asserts nothing.
`--trace MB` instead prints where the memory goes (tracemalloc, top allocation sites at
the peak) for one size, in this process.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NOTES = 999
SIZES_MB = (1, 5, 21)
CITATION = (
    "Daniel Ventre, ‘Cybersécurité et cyberdéfense chinoise {n}.{k}’, Revue Défense "
    "Nationale {k} (2015), pp. {k}–{k2}, http://www.example.org/papers/{n}/{k}/cyber.html, "
    "accessed 3 March 2016; "
)


def note_heavy_text(size: int, notes: int = NOTES) -> str:
    """A body citing `notes` notes, then the notes, each a run of citations (~`size` bytes)."""
    body = " ".join(f"A claim that needs a source.{n}" for n in range(1, notes + 1))
    per_note = max(1, (size - len(body.encode())) // notes)
    lines = [body, ""]
    for n in range(1, notes + 1):
        parts: list[str] = []
        length, k = 0, 1
        while length < per_note:
            part = CITATION.format(n=n, k=k, k2=k + 9)
            parts.append(part)
            length += len(part.encode())
            k += 1
        lines.append(f"{n} " + "".join(parts).rstrip("; ") + ".")
    return "\n".join(lines) + "\n"


def measure(path: Path) -> tuple[int, float]:
    """(peak RSS in bytes, seconds) of `citecheck extract path -o ...` in a subprocess."""
    started = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(
        [sys.executable, "-m", "citecheck", "extract", str(path), "-o", str(path) + ".json"],
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    peak = max(before, peak)  # ru_maxrss of children is the largest child so far
    return peak * 1024, time.monotonic() - started


def trace(size_mb: int) -> None:
    """Top allocation sites at the peak, for one size."""
    import tracemalloc  # noqa: PLC0415

    from citecheck.cite.citing import cite_corpus  # noqa: PLC0415
    from citecheck.cite.extraction import extract_json_chunks, extract_paths  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "notes.txt"
        path.write_text(note_heavy_text(size_mb * 1024 * 1024), encoding="utf-8")
        tracemalloc.start(1)
        documents = extract_paths([path])
        after_read = tracemalloc.get_traced_memory()
        cited = cite_corpus(documents)
        after_cite = tracemalloc.get_traced_memory()
        snapshot = tracemalloc.take_snapshot()
        written = sum(len(chunk) for chunk in extract_json_chunks(documents, cited))
        current, peak = tracemalloc.get_traced_memory()
        for stage, (now, top) in [("read", after_read), ("cite", after_cite),
                                  ("json", (current, peak))]:  # fmt: skip
            print(f"{stage:>6}: current {now / 2**20:5.0f} MB, peak so far {top / 2**20:5.0f} MB")
        print(f"output {written / 2**20:.0f} M characters; top sites after cite:")
        for stat in snapshot.statistics("lineno")[:15]:
            print(f"{stat.size / 2**20:8.1f} MB  {stat.count:9d}  {stat.traceback[0]}")
        del cited


def main(arguments: list[str]) -> None:
    if arguments[:1] == ["--trace"]:
        trace(int(arguments[1]) if len(arguments) > 1 else 5)
        return
    sizes = [int(a) for a in arguments] or list(SIZES_MB)
    print(f"{'input':>8} {'peak RSS':>10} {'ratio':>7} {'time':>7}")
    with tempfile.TemporaryDirectory() as folder:
        for size_mb in sizes:
            path = Path(folder) / f"notes-{size_mb}mb.txt"
            data = note_heavy_text(size_mb * 1024 * 1024).encode("utf-8")
            path.write_bytes(data)
            peak, seconds = measure(path)
            print(
                f"{len(data) / 2**20:6.1f}MB {peak / 2**20:8.0f}MB "
                f"{peak / len(data):6.1f}x {seconds:6.1f}s",
                flush=True,
            )
            path.unlink()


if __name__ == "__main__":
    main(sys.argv[1:])
