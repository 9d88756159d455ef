"""Reading every input of a run: one bad file in a folder must not stop the others.

A file the user named and cannot be read ends the run (DocumentError: the run cannot go
on without it). A file found in a folder that cannot be read becomes an `Unreadable`
value, one line naming it and the problem, and the folder's other files are read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from citecheck.read.document import DEFAULT_CORPUS, collect_paths
from citecheck.read.formats import read_noted
from citecheck.read.model import DocumentError, NotedDocument


@dataclass(frozen=True)
class Unreadable:
    """A file found in a folder that could not be read; `message` names it and says why."""

    path: str
    message: str


@dataclass(frozen=True)
class ReadCorpus:
    """The documents read, in input order, and the folder files that could not be."""

    documents: tuple[NotedDocument, ...]
    unreadable: tuple[Unreadable, ...] = ()


def read_corpus(paths: Iterable[str | Path]) -> ReadCorpus:
    """Read every file under `paths` (the bundled corpus when empty).

    Raises DocumentError for a named file that is missing or unreadable; a folder's
    unreadable files are returned as `Unreadable` values instead.
    """
    given = [Path(p) for p in paths] or [DEFAULT_CORPUS]
    documents: list[NotedDocument] = []
    unreadable: list[Unreadable] = []
    for path in given:
        in_folder = path.is_dir()
        for found in collect_paths([path]):
            try:
                documents.append(read_noted(found))
            except DocumentError as error:
                if not in_folder:
                    raise
                unreadable.append(Unreadable(str(found), str(error)))
    return ReadCorpus(tuple(documents), tuple(unreadable))
