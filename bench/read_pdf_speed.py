"""How fast are the PDF and LaTeX readers? Prints figures; asserts nothing.

1. Pages/s of `read_noted` on a generated 300-page PDF (pdflatex: one column of 10 pt text,
   about eight footnotes a page, half with a URL, running heads, page numbers and a rotated
   watermark, as in tests/read/pdf_fixtures.py), min and median of repeats.
2. MB/s of the LaTeX reader on a generated 2 MB source with a footnote (with `\\url`) per
   paragraph, min and median of repeats.

Target (issue 11): a 300-page PDF in under 30 s on the team's 2-core machines.
Run from the repository root: `python3 bench/read_pdf_speed.py [REPEATS]`.
The PDF is compiled once into a temporary folder (about 15 s).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))  # run as a script: the repository's packages first

from citecheck.read.formats import read_noted  # noqa: E402
from tests.read import pdf_fixtures  # noqa: E402

PAGES = 300
LATEX_BYTES = 2_000_000
MEGABYTE = 1_000_000
TARGET_SECONDS = 30.0


PARAGRAPHS_PER_PAGE = 3.9  # measured: 1170 paragraphs fill 300 pages


def long_source(pages: int) -> str:
    """A LaTeX source of about `pages` pages, two footnotes per paragraph."""
    body: list[str] = []
    for n in range(int(pages * PARAGRAPHS_PER_PAGE)):
        body.append(
            pdf_fixtures.FILLER * 2
            + f"Point {n}.\\footnote{{Note {n}: see "
            + f"\\url{{https://example.org/doc-{n}/x\\%20y}}.}} "
            + pdf_fixtures.FILLER
            + f"Another point.\\footnote{{Plain note after {n}.}}\n\n"
        )
    return pdf_fixtures.PREAMBLE % {"options": ""} + "\n".join(body) + "\\end{document}\n"


def compile_long_pdf(folder: Path) -> Path:
    pdf_fixtures.SOURCES["long"] = long_source(PAGES)
    return pdf_fixtures.compile_pdf("long", folder)


def latex_source() -> str:
    paragraph = (
        pdf_fixtures.FILLER
        + "Claim.\\footnote{See \\url{http://a.org/x%20y~z} and \\href{https://b.org/~me}"
        "{the page}, \\emph{p.}~3.} " + pdf_fixtures.FILLER + "% a comment with {braces\n\n"
    )
    return paragraph * (LATEX_BYTES // len(paragraph) + 1)


def timed(path: Path, repeats: int) -> tuple[list[float], int, int]:
    """Wall seconds of each repeat (CPU seconds printed too: the machine may be shared)."""
    seconds: list[float] = []
    notes = pages = 0
    for _ in range(repeats):
        start = time.perf_counter()
        cpu = time.process_time()
        document = read_noted(path)
        seconds.append(time.perf_counter() - start)
        print(f"  {path.name}: {seconds[-1]:.2f} s wall, {time.process_time() - cpu:.2f} s CPU")
        notes = len(document.notes)
        pages = max((n.page or 0 for n in document.notes), default=0)
    return seconds, notes, pages


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if pdf_fixtures.PDFLATEX is None:
            print("pdflatex not installed: PDF figures skipped")
        else:
            pdf = compile_long_pdf(folder)
            seconds, notes, last_page = timed(pdf, repeats)
            import pypdfium2  # noqa: PLC0415 - only to count the pages

            pages = len(pypdfium2.PdfDocument(str(pdf)))
            print(
                f"PDF {pages} pages, {notes} notes (last on p. {last_page}): "
                f"{pages / max(seconds):.1f} pages/s min, "
                f"{pages / statistics.median(seconds):.1f} pages/s median; "
                f"{statistics.median(seconds):.2f} s median "
                f"(target < {TARGET_SECONDS:.0f} s for 300 pages)"
            )
        source = folder / "big.tex"
        source.write_text(latex_source(), encoding="utf-8")
        size = source.stat().st_size
        seconds, notes, _ = timed(source, repeats)
        print(
            f"LaTeX {size / MEGABYTE:.1f} MB, {notes} notes: "
            f"{size / MEGABYTE / max(seconds):.2f} MB/s min, "
            f"{size / MEGABYTE / statistics.median(seconds):.2f} MB/s median"
        )


if __name__ == "__main__":
    main()
