"""Works cited by key: a note's `CitedEntry` values (LaTeX `\\cite` + .bib) as works of the note.

A .bib entry already says what the work is, so nothing is parsed from the note's text: the
entry's fields are renamed to the biblatex names the cite stage uses (`journal` →
`journaltitle`, `address` → `location`, `school` → `institution`, `year`/`month` → `date`),
their TeX markup is undone (`{TeX}` → `TeX`, `\\&` → `&`; a `url` is kept verbatim), and the
entry type is mapped to the types the export knows. A work cited again in a later note is a
back reference to its first citation, as `Ibid.` and short forms are.

This module does not import `citations` (which calls it), so it returns plain `EntryWork`
values and `cite_document` wraps them into `Citation`s.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from citecheck.cite.fields import normalize_date
from citecheck.read.model import CitedEntry, Note

# .bib entry types → the types the cite stage and the export use (biblatex names).
TYPES: Mapping[str, str] = {
    "article": "article",
    "book": "book",
    "booklet": "book",
    "collection": "collection",
    "proceedings": "collection",
    "incollection": "incollection",
    "inproceedings": "incollection",
    "conference": "incollection",
    "inbook": "inbook",
    "report": "report",
    "techreport": "report",
    "thesis": "report",
    "phdthesis": "report",
    "mastersthesis": "report",
    "online": "online",
    "electronic": "online",
    "www": "online",
    "webpage": "online",
    "misc": "misc",
    "unpublished": "misc",
    "manual": "misc",
}
# classic BibTeX field names → biblatex names
RENAMES: Mapping[str, str] = {
    "journal": "journaltitle",
    "address": "location",
    "school": "institution",
    "howpublished": "howpublished",
}
VERBATIM = frozenset({"url", "doi", "eprint", "file"})
DROPPED = frozenset({"abstract", "file", "keywords", "owner", "timestamp", "crossref"})
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_LOGOS = re.compile(r"\\(TeX|LaTeX|LaTeXe|BibTeX|XeTeX|LuaTeX)\b(?:\{\})?")
_ESCAPED = re.compile(r"\\([&%$#_{}~])")
_ACCENTED = re.compile(r"\\[a-zA-Z]+\s*|\\.|[{}]")


@dataclass(frozen=True)
class EntryWork:
    """One work a note cites by key: provisional key `#bib:<key>`, fields in biblatex names.

    `refers_to` is set when an earlier note cited the same entry (a back reference).
    """

    key: str
    type: str
    fields: Mapping[str, str]
    urls: tuple[str, ...]
    raw: str
    refers_to: str | None = None


def entry_works(notes: Sequence[Note], note: Note) -> list[EntryWork]:
    """The works `note` cites by key, in the order of its `entries`."""
    earlier = {
        entry.key
        for other in notes
        if other is not note and other.number < note.number
        for entry in other.entries
    }
    works: list[EntryWork] = []
    for entry in note.entries:
        fields = entry_fields(entry)
        key = f"#bib:{entry.key}"
        urls = (fields["url"],) if fields.get("url") else ()
        works.append(
            EntryWork(
                key=key,
                type=TYPES.get(entry.entry_type.lower(), "misc"),
                fields=fields,
                urls=urls,
                raw=f"\\cite{{{entry.key}}}",
                refers_to=key if entry.key in earlier else None,
            )
        )
    return works


def entry_fields(entry: CitedEntry) -> dict[str, str]:
    """An entry's fields under the cite stage's names, TeX markup undone, date normalised."""
    out: dict[str, str] = {}
    for raw_name, value in entry.fields:
        name = raw_name.lower()
        if name in DROPPED or not value.strip():
            continue
        text = value.strip() if name in VERBATIM else detex(value)
        out[RENAMES.get(name, name)] = text
    if "date" not in out and out.get("year"):
        month = _MONTHS.get(out.get("month", "").strip().lower().rstrip("."))
        if month is None and out.get("month", "").isdigit():
            month = int(out["month"])
        out["date"] = out["year"] + (f"-{month:02d}" if month else "")
        if month:
            out["month"] = f"{month:02d}"  # what the classic export writes as `month = aug`
        else:
            out.pop("month", None)
    if "date" in out:
        normal = normalize_date(out["date"])
        out.update({k: v for k, v in normal.items() if k != "date_written"})
    if entry.entry_type.lower() in {"phdthesis", "mastersthesis", "thesis"}:
        out.setdefault(
            "type", "PhD thesis" if entry.entry_type.lower() == "phdthesis" else "Thesis"
        )
    return out


def detex(value: str) -> str:
    """A .bib value as plain text (pylatexenc): braces and markup dropped, `{\\TeX}` → `TeX`,
    `--` → `–`."""
    from pylatexenc.latex2text import LatexNodes2Text  # noqa: PLC0415 - only .bib values need it

    try:
        source = _LOGOS.sub(lambda m: m.group(1), value)
        text: str = LatexNodes2Text(math_mode="verbatim").latex_to_text(source)
    except Exception:  # pylatexenc raises its own errors on odd input; strip by hand
        text = _ESCAPED.sub(r"\1", value)
        text = _ACCENTED.sub("", text)
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def without_cited_keys(note: Note) -> Note:
    """The note with the bracketed renderings of its cited keys (`[knuth84, p. 3]`) and the
    word that leads into them (`see`, `and`) taken out of its text, so that the text parser
    reads only what the note writes itself; the entries' works come from `entry_works`."""
    if not note.entries:
        return note
    keys = {entry.key for entry in note.entries}

    def strip(match: re.Match[str]) -> str:
        cited = {part.split(",")[0].strip() for part in match.group("keys").split(";")}
        return "" if cited & keys else match.group()

    text = _CITED.sub(strip, note.text)
    text = re.sub(r"\s+([.,;:])", r"\1", text).strip()
    entry_urls = {value for entry in note.entries for name, value in entry.fields if name == "url"}
    urls = tuple(url for url in note.urls if url not in entry_urls or url in text)
    return replace(note, text=text, urls=urls)


_CITED = re.compile(
    r"(?:[,;]?\s*\b(?:and|see also|see|cf\.|in|also)\s+|[,;]?\s*)\[(?P<keys>[^\[\]]*)\]",
    re.IGNORECASE,
)
