"""How fast is each reader? Prints MB/s per format (min and median of repeats); asserts nothing.

Inputs are generated in a temporary folder by tests/read/makefixtures.py (notes with a URL
each, a hyperlink per DOCX note), about `--megabytes` MB per format on disk. MB/s counts
the file's bytes on disk (for DOCX/ODT the zip, the harder measure; the inflated XML is
printed too). Target (issue 11): at least 2 MB/s for every format but PDF.
Run from the repository root: `python3 bench/read_speed.py [--megabytes 4] [--repeats 5]`.

The table leaves a row for "pdf" and "latex": add a maker to MAKERS to measure them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))  # run as a script: the repository's packages first

from citecheck.read.formats import read_noted  # noqa: E402
from tests.read.makefixtures import big_docx, big_html, big_markdown, big_odt  # noqa: E402

MEGABYTE = 1_000_000
TARGET_MB_PER_S = 2.0
NOTES_PER_MB = {"docx": 6_600, "odt": 6_600, "html": 1_280, "markdown": 1_070}


def _write(text: str, path: Path) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


MAKERS: dict[str, Callable[[Path, int], Path] | None] = {
    "docx": lambda folder, n: big_docx(folder / "big.docx", n),
    "odt": lambda folder, n: big_odt(folder / "big.odt", n),
    "html": lambda folder, n: _write(big_html(n), folder / "big.html"),
    "markdown": lambda folder, n: _write(big_markdown(n), folder / "big.md"),
    "pdf": None,  # the PDF reader's bench goes here (pages/s as well)
    "latex": None,
}


def inflated_bytes(path: Path) -> int:
    if not zipfile.is_zipfile(path):
        return path.stat().st_size
    with zipfile.ZipFile(path) as archive:
        return sum(info.file_size for info in archive.infolist())


def measure(path: Path, repeats: int) -> tuple[list[float], int]:
    seconds = []
    notes = 0
    for _ in range(repeats):
        started = time.process_time()
        notes = len(read_noted(path).notes)
        seconds.append(time.process_time() - started)
    return seconds, notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=4.0)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(
        f"{'format':<9} {'file MB':>8} {'inflated':>9} {'notes':>7} "
        f"{'best MB/s':>10} {'median MB/s':>12}  target {TARGET_MB_PER_S} MB/s"
    )
    with tempfile.TemporaryDirectory() as folder:
        for name, make in MAKERS.items():
            if make is None:
                print(f"{name:<9} {'(no bench yet)':>8}")
                continue
            path = make(Path(folder), int(NOTES_PER_MB[name] * args.megabytes))
            size = path.stat().st_size / MEGABYTE
            seconds, notes = measure(path, args.repeats)
            best, median = size / min(seconds), size / statistics.median(seconds)
            verdict = "ok" if median >= TARGET_MB_PER_S else "SLOW"
            print(
                f"{name:<9} {size:>8.2f} {inflated_bytes(path) / MEGABYTE:>8.1f}M {notes:>7} "
                f"{best:>10.2f} {median:>12.2f}  {verdict}"
            )


if __name__ == "__main__":
    main()
