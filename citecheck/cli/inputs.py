"""The texts a command reads: a folder's unreadable files are warned about and skipped.

Exit status 2 only where the run cannot go on: a named file that is missing or
unreadable, or folders in which not one file could be read.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from citecheck.read.corpus import ReadCorpus, read_corpus
from citecheck.read.model import DocumentError
from citecheck.util.quoting import one_line


def read_inputs(paths: Sequence[Path]) -> ReadCorpus:
    """Read the texts; one warning line on stderr per folder file that could not be read."""
    corpus = read_corpus(paths)
    warn_unreadable(corpus)
    if corpus.unreadable and not corpus.documents:
        raise DocumentError(f"none of the {len(corpus.unreadable)} file(s) found could be read")
    return corpus


def warn_unreadable(corpus: ReadCorpus) -> None:
    """One warning line on stderr per file that was found but could not be read."""
    for bad in corpus.unreadable:
        click.echo(f"citecheck: warning: {one_line(bad.message)} (skipped)", err=True)
