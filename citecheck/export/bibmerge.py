"""Regenerating a .bib without losing hand edits: merge by key, report conflicts.

Three versions of each entry meet: `base` (what citecheck generated last time, kept beside
the file as `.NAME.bib.generated`), `current` (the file as it stands, perhaps fixed by hand)
and `fresh` (what citecheck generates now). Field by field (the entry type counts as one):

- untouched by hand (current = base): the fresh value, so parser improvements arrive;
- changed or added by hand, and citecheck's value unchanged: the hand edit stays;
- changed by hand and by citecheck, differently: the hand edit stays and a conflict is
  reported; without a base every such difference is a conflict;
- removed by hand (in base, not in current): it stays removed.

Entries added by hand are kept; entries new in `fresh` are added; comments, @string and
@preamble blocks of the file are kept (before the entries). A file with entries that
cannot be read is not touched (the reason is reported). `force` writes `fresh` as it is but
first copies the file to `NAME.bib.bak`. Every write is atomic.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bibtexparser import parse_string  # type: ignore[attr-defined]
from bibtexparser.library import Library
from bibtexparser.model import Block, Entry, Field

from citecheck.export.biblayout import write_library
from citecheck.read.model import DocumentError
from citecheck.util.atomic import write_text_atomic
from citecheck.util.quoting import quoted

TYPE = "@type"  # the entry type, merged like a field

Fields = dict[str, str]


@dataclass(frozen=True)
class MergeOutcome:
    """The merged text and what a person should know about it (one line each)."""

    text: str
    conflicts: tuple[str, ...] = ()
    kept_edits: int = 0


class UnreadableBib(Exception):
    """The current file has entries bibtexparser cannot read; merging would lose them."""

    def __init__(self, message: str, name: str) -> None:
        super().__init__(message)
        self.name = name


def base_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.generated")


def backup_path(target: Path) -> Path:
    return target.with_name(f"{target.name}.bak")


def _entries(text: str, name: str) -> dict[str, Fields]:
    return _read(text, name)[0]


def _read(text: str, name: str) -> tuple[dict[str, Fields], list[Block]]:
    """The entries by key, and every other block (comments, @string, @preamble) in order."""
    quiet = logging.getLogger("bibtexparser")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        library = parse_string(text)
    finally:
        quiet.setLevel(level)
    if library.failed_blocks:
        lines = ", ".join(str((b.start_line or 0) + 1) for b in library.failed_blocks)
        raise UnreadableBib(f"{name}: entries at line(s) {lines} cannot be read", name)
    entries = {
        entry.key: {TYPE: entry.entry_type, **{f.key: str(f.value) for f in entry.fields}}
        for entry in library.entries
    }
    others = [block for block in library.blocks if not isinstance(block, Entry)]
    return entries, others


def merge(
    current: str, fresh: str, base: str | None, name: str = "the .bib", base_name: str = "base"
) -> MergeOutcome:
    """Merge by key and field as the module docstring says; raises UnreadableBib."""
    mine, others = _read(current, name)
    theirs = _entries(fresh, "generated")
    before = _entries(base, base_name) if base is not None else None
    conflicts: list[str] = []
    kept = 0
    merged: dict[str, Fields] = {}
    for key, new in theirs.items():
        if key not in mine:
            if before is not None and key in before:
                continue  # removed by hand: stays removed
            merged[key] = new
            continue
        old = before.get(key) if before is not None else None
        fields: Fields = {}
        for field in [*new, *(f for f in mine[key] if f not in new)]:
            value, conflict, edited = _merge_field(
                mine[key].get(field), new.get(field), old.get(field) if old else None, old
            )
            kept += edited
            if conflict:
                conflicts.append(
                    f"{name}: {key}.{field.lstrip('@')}: kept your "
                    f"{_short(mine[key].get(field))}; citecheck now has {_short(new.get(field))}"
                )
            if value is not None:
                fields[field] = value
        merged[key] = fields
    for key, fields in mine.items():
        if key not in merged and key not in theirs:
            merged[key] = fields  # added by hand
    return MergeOutcome(write_entries(merged, others), tuple(conflicts), kept)


def _merge_field(
    mine: str | None, new: str | None, old: str | None, base_entry: Fields | None
) -> tuple[str | None, bool, bool]:
    """(value, conflict?, a hand edit kept?) for one field."""
    if mine == new:
        return mine, False, False
    if base_entry is not None and mine == old:
        return new, False, False  # untouched by hand: citecheck's value
    if mine is None:
        if base_entry is None:
            return new, False, False  # nothing to say it was removed: adding loses nothing
        return None, False, True  # removed by hand
    if base_entry is not None and new == old:
        return mine, False, True  # edited by hand, citecheck unchanged
    return mine, True, True


def _short(value: str | None) -> str:
    if value is None:
        return "(none)"
    return repr(value if len(value) <= 60 else value[:57] + "...")


def write_entries(entries: dict[str, Fields], others: Sequence[Block] = ()) -> str:
    """Entries (raw field values, as read) in citecheck's .bib layout, after the file's
    other blocks (comments, @string, @preamble), which a merge keeps."""
    library = Library()
    for block in others:
        library.add(block)
    for key, fields in entries.items():
        body = [Field(name, value) for name, value in fields.items() if name != TYPE]
        library.add(Entry(fields[TYPE], key, body))
    return write_library(library)


def write_regenerated(target: Path, fresh: str, force: bool = False) -> list[str]:
    """Write a regenerated .bib to `target` without losing hand edits; the warnings to show.

    A .bib or `.NAME.bib.generated` that cannot be read as UTF-8 text (a folder, Latin-1,
    random bytes), or a `.generated` file bibtexparser cannot parse, is a DocumentError
    naming that file: merging without it could lose or resurrect entries."""
    base = base_path(target)
    if not target.exists() and not target.is_symlink():
        write_text_atomic(target, fresh)
        write_text_atomic(base, fresh)
        return []
    current = _read_text(target, "the .bib")
    if force:
        if current != fresh:
            write_text_atomic(backup_path(target), current)
        write_text_atomic(target, fresh)
        write_text_atomic(base, fresh)
        return [f"{quoted(target)}: overwritten (--force); the previous file is "
                f"{quoted(backup_path(target))}"]  # fmt: skip
    previous = _read_text(base, "citecheck's record of the last .bib") if base.exists() else None
    try:
        outcome = merge(current, fresh, previous, quoted(target), quoted(base))
    except UnreadableBib as error:
        if error.name == quoted(base):
            raise DocumentError(f"{error}; delete it to merge without it") from None
        return [f"{error}; not regenerated (fix them, or --force keeps a backup)"]
    if outcome.text != current:
        write_text_atomic(target, outcome.text)
    write_text_atomic(base, fresh)
    return list(outcome.conflicts)


def _read_text(path: Path, what: str) -> str:
    """The UTF-8 text of `path`, or a DocumentError naming it and saying what is wrong."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise DocumentError(f"{quoted(path)}: {what} is a folder, not a file") from None
    except OSError as error:
        raise DocumentError(f"{quoted(path)}: cannot read: {error.strerror or error}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DocumentError(
            f"{quoted(path)}: {what} is not UTF-8 text (byte 0x{data[error.start]:02x} at offset "
            f"{error.start}); convert it to UTF-8 or move it away"
        ) from None
