"""Test PDFs: LaTeX sources with known notes, compiled with pdflatex into a temp folder, and a
few PDFs written byte by byte (encrypted, broken, fonts without Unicode).

Also run as a script to write the LaTeX fixtures' PDFs into a folder for looking at them:
`python -m tests.read.pdf_fixtures OUT_DIR`. Nothing generated is committed: pdflatex
compiles each source in about a second.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

PDFLATEX = shutil.which("pdflatex")

FILLER = (
    "The committee met in the spring and reviewed the reports of the working groups on "
    "trade, investment and the digital economy, and it asked the secretariat to prepare a "
    "summary of the findings for the next session of the members. "
)


def filler(paragraphs: int) -> str:
    """Body paragraphs of plain text, long enough to fill pages."""
    return "\n\n".join(FILLER * 3 for _ in range(paragraphs))


# One page style for every fixture: a running head, a page number at the foot, and a rotated
# watermark behind the text, which the reader must ignore.
PREAMBLE = r"""\documentclass[%(options)s]{article}
\usepackage[T1]{fontenc}
\usepackage[hidelinks]{hyperref}
\usepackage{graphicx,eso-pic,fancyhdr}
\pagestyle{fancy}\fancyhead{}\fancyhead[C]{A Running Head of the Paper}
\fancyfoot{}\fancyfoot[C]{\thepage}
\AddToShipoutPictureBG{\AtPageCenter{\rotatebox{55}{\fontsize{50}{50}\selectfont DRAFT COPY}}}
\begin{document}
"""

SOURCES: dict[str, str] = {
    # Notes with `%` (escaped: a footnote's argument is read before `\url` could make `%`
    # a character) and `~` in a URL, a URL hidden behind link text, a long URL broken at
    # hyphens, a \footnotemark/\footnotetext pair, and a long note that runs onto page 2.
    "basic": PREAMBLE % {"options": ""}
    + r"""Body text with a first note.\footnote{See \url{http://a.org/x\%20y~z} for the report.}
Then a second one.\footnote{The \href{https://b.org/hidden/page}{annual report} of the board.}
A third note has a long address.\footnote{Available at
\url{https://example.org/some-very-long-path/with-many-hyphenated-segments/and-more-segments-here/final-document-name.pdf}.}
A marker set apart\footnotemark{} from its text.
\footnotetext{Text set apart by footnotetext.}

"""
    + filler(7)
    + r"""
Here the long note begins.\footnote{"""
    + "This note is long. " * 90
    + r"""It ends at \url{https://end.example.org/last}.}
"""
    + filler(4)
    + r"""
A note on the second page.\footnote{Second page note, \url{https://p2.example.org/x}.}
\end{document}
""",
    # Two columns, notes in each; the first column's note block is long.
    "twocolumn": PREAMBLE % {"options": "twocolumn"}
    + filler(2)
    + r"""Left column note.\footnote{Left note: \url{https://left.example.org/a}.}
"""
    + filler(2)
    + r"""Another left note.\footnote{Second left note.}
"""
    + filler(4)
    + r"""Right column note.\footnote{Right note: \url{https://right.example.org/b}.}
"""
    + filler(3)
    + r"""
\end{document}
""",
    # Two columns, and a note so long that LaTeX carries it on into the next column.
    "twocolumn-long": PREAMBLE % {"options": "twocolumn"}
    + filler(3)
    + r"""Short note first.\footnote{A short note.}
"""
    + filler(1)
    + r"""Then a long one.\footnote{"""
    + "Long note words. " * 120
    + r"""It ends at \url{https://long.example.org/end}.}
"""
    + filler(8)
    + r"""
\end{document}
""",
    # Notes two to three times longer than the text: the most common size is the notes'.
    "heavy-notes": PREAMBLE % {"options": ""}
    + FILLER
    + r"""Short body.\footnote{"""
    + "A long first note. " * 30
    + r"""}

\newpage
"""
    + FILLER
    + r"""More.\footnote{"""
    + "A long second note. " * 30
    + r"""See \url{https://heavy.example.org/b}.}
\end{document}
""",
    # Author affiliations marked with raised digits above the notes' own markers.
    "affiliations": PREAMBLE % {"options": ""}
    + r"""\begin{center}\Large A Title\\[1ex]
\normalsize Ann Author\textsuperscript{1}, Bob Writer\textsuperscript{2},
Cy Third\textsuperscript{3}\\[1ex]
\small \textsuperscript{1}University of A\quad \textsuperscript{2}University of B\quad
\textsuperscript{3}Institute C
\end{center}
"""
    + filler(1)
    + r"""Text with a note.\footnote{Affiliated note one, \url{https://aff.example.org/1}.}
"""
    + filler(1)
    + r"""More text.\footnote{Affiliated note two.}
\end{document}
""",
    # Endnotes at the body size after a heading: no note block in smaller type, so the
    # plain-text note finder reads the page text.
    "endnotes": PREAMBLE % {"options": ""}
    + r"""Body text with a first endnote.\textsuperscript{1} And a second.\textsuperscript{2}

"""
    + filler(1)
    + r"""
\section*{Notes}
\noindent 1 First endnote, see https://end1.example.org/a.\par
\noindent 2 Second endnote without a link.\par
\end{document}
""",
}


def compile_pdf(name: str, folder: Path) -> Path:
    """Compile fixture `name` with pdflatex in `folder`; the PDF's path."""
    if PDFLATEX is None:
        raise RuntimeError("pdflatex is not installed")
    source = folder / f"{name}.tex"
    source.write_text(SOURCES[name], encoding="utf-8")
    subprocess.run(
        [PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", source.name],
        cwd=folder,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return folder / f"{name}.pdf"


def _pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF file from numbered object bodies, with a correct cross-reference table."""
    out = b"%PDF-1.4\n"
    offsets: list[int] = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1) + trailer + b">>\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return out


_CATALOG = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"]


def encrypted_pdf() -> bytes:
    """A PDF encrypted with a user password (the standard handler; the empty one fails)."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"
    handler = b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <"
    handler += b"22" * 32 + b"> /P -4 >>"
    ids = b"<" + b"33" * 16 + b">"
    return _pdf([*_CATALOG, page, handler], b"/Encrypt 4 0 R /ID [" + ids + b" " + ids + b"] ")


def unmapped_font_pdf() -> bytes:
    """Text in a composite font addressed by glyph ids with no ToUnicode map: what pdfminer
    prints as `(cid:3)(cid:4)…` and pdftotext as control characters."""
    content = b"BT /F1 12 Tf 20 100 Td <00030004000500060007002A0031000300040005> Tj ET"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 200] "
    page += b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
    stream = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
    font = b"<< /Type /Font /Subtype /Type0 /BaseFont /AAAAAA+Foo /Encoding /Identity-H "
    font += b"/DescendantFonts [6 0 R] >>"
    cid = b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /AAAAAA+Foo /CIDSystemInfo "
    cid += b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R "
    cid += b"/CIDToGIDMap /Identity >>"
    descriptor = b"<< /Type /FontDescriptor /FontName /AAAAAA+Foo /Flags 4 "
    descriptor += b"/FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 800 /Descent -200 "
    descriptor += b"/CapHeight 700 /StemV 80 >>"
    return _pdf([*_CATALOG, page, stream, font, cid, descriptor])


BROKEN_PDF = b"%PDF-1.4\nthis is not a PDF body at all\n"


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    for fixture in SOURCES:
        print(compile_pdf(fixture, target))
