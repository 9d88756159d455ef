"""citecheck's .bib layout: how a bibtexparser library is written out, in one place.

Both the exporter (`bibtex`) and the hand-edit merge (`bibmerge`) write through it, so a
regenerated file and a merged one look the same.
"""

from __future__ import annotations

from bibtexparser import write_string  # type: ignore[attr-defined]
from bibtexparser.library import Library
from bibtexparser.middlewares import AddEnclosingMiddleware
from bibtexparser.writer import BibtexFormat


def write_library(library: Library) -> str:
    """A library in citecheck's .bib layout (field values already escaped)."""
    bib_format = BibtexFormat()  # type: ignore[no-untyped-call]
    bib_format.indent = "  "
    bib_format.block_separator = "\n"
    text: str = write_string(
        library,
        unparse_stack=[
            AddEnclosingMiddleware(
                reuse_previous_enclosing=False,
                enclose_integers=True,
                default_enclosing="{",
                allow_inplace_modification=False,
            )
        ],
        bibtex_format=bib_format,
    )
    return text
