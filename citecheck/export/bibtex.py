"""BibTeX output on bibtexparser 2.x: biblatex style (biber) and classic style (natbib).

What we promise about every generated file:

- One entry per distinct work (back references and repeats share the work's key).
- Every field except `url` has TeX's special characters escaped (`& % $ # _ { } ~ ^ \\`;
  braces as `\\textbraceleft{}`, so braces balance however they stand in the input) and is
  one line; `url` is written verbatim (biblatex and natbib read it verbatim), so a `%20`
  survives, except `\\ { }`, spaces and controls, which are percent-encoded.
  We never run bibtexparser's LaTeX encoding/decoding middlewares: the decoder cuts a URL at
  its first `%`, and the encoder would turn UTF-8 into TeX macros; we keep UTF-8.
- Institutions stay one name: `{{State Council Information Office}}`.
- Only fields that biblatex's default data model allows for the entry type are written, and
  every mandatory field is present, so `biber --validate-datamodel` stays silent. biblatex
  requires a date for every type; an undated work gets the EDTF "unspecified year"
  `date = {XXXX}`, which biber accepts and the styles print as no year — we state that the
  year is unknown rather than invent one.
- Fields that have no home in the entry type go into `note`, verbatim, so nothing is lost.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import Enum
from pathlib import Path
from urllib.parse import urlsplit

from bibtexparser import parse_string  # type: ignore[attr-defined]
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field

from citecheck.cite.citation import Citation, CitedDocument
from citecheck.cite.fields import normalize_date
from citecheck.cite.names import split_name_list
from citecheck.export.biblayout import write_library
from citecheck.export.bibmerge import write_regenerated


class Style(Enum):
    """biblatex (biber; date, institution, langid…) or classic BibTeX (year/month, natbib)."""

    BIBLATEX = "biblatex"
    BIBTEX = "bibtex"


TEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    # Not `\{`/`\}`: BibTeX and biber count braces without regard to backslashes, so a
    # lone `\{` unbalances the field and swallows the next entry (found by fuzzing).
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIALS_RE = re.compile(r"[\\&%$#_{}~^]")


def escape_tex(text: str) -> str:
    """Escape TeX's special characters; everything else (Unicode included) is kept as it is."""
    return _SPECIALS_RE.sub(lambda m: TEX_SPECIALS[m.group(0)], text)


def unescape_tex(text: str) -> str:
    """Inverse of `escape_tex`, for round-trip checks."""
    reverse = {v: k for k, v in TEX_SPECIALS.items()}
    pattern = re.compile("|".join(re.escape(v) for v in sorted(reverse, key=len, reverse=True)))
    return pattern.sub(lambda m: reverse[m.group(0)], text)


def escape_names(names: str) -> str:
    """Escape each name of an ` and `-list, keeping the braces that protect institutions."""
    out = []
    for name in split_name_list(names):
        if name.startswith("{") and name.endswith("}"):
            out.append("{" + escape_tex(name[1:-1]) + "}")
        else:
            out.append(escape_tex(name))
    return " and ".join(out)


NAME_FIELDS = frozenset({"author", "editor", "translator", "origpublisher"})
VERBATIM_FIELDS = frozenset({"url", "doi"})

# Fields biblatex's default data model allows per entry type (subset we produce), and the
# fields every type accepts. Anything else moves into `note`.
COMMON_FIELDS = frozenset(
    [
        "author",
        "editor",
        "translator",
        "doi",
        "isbn",
        "eprint",
        "eprinttype",
        "title",
        "date",
        "url",
        "urldate",
        "langid",
        "note",
        "origtitle",
        "origdate",
        "origpublisher",
        "addendum",
        "pubstate",
        "titleaddon",
        "language",
    ]
)
TYPE_FIELDS: Mapping[str, frozenset[str]] = {
    "article": frozenset(["journaltitle", "volume", "number", "pages", "issue", "eid"]),
    "book": frozenset(["publisher", "location", "edition", "volume", "pages", "chapter", "series"]),
    "collection": frozenset(
        ["publisher", "location", "edition", "volume", "pages", "chapter", "series"]
    ),
    "incollection": frozenset(
        ["booktitle", "publisher", "location", "edition", "volume", "pages", "chapter", "series"]
    ),
    "inbook": frozenset(
        ["booktitle", "publisher", "location", "edition", "volume", "pages", "chapter"]
    ),
    "report": frozenset(["institution", "type", "number", "location", "pages"]),
    "online": frozenset(["organization", "version"]),
    "misc": frozenset(["organization", "howpublished", "location", "publisher"]),
}
DERIVED_FIELDS = frozenset({"date_written", "year", "month", "day", "chapter_words"})
ORDER = [
    "author",
    "editor",
    "translator",
    "title",
    "titleaddon",
    "origtitle",
    "booktitle",
    "journaltitle",
    "edition",
    "volume",
    "number",
    "type",
    "institution",
    "organization",
    "howpublished",
    "location",
    "publisher",
    "origpublisher",
    "chapter",
    "pages",
    "date",
    "origdate",
    "year",
    "month",
    "key",
    "isbn",
    "doi",
    "eprint",
    "eprinttype",
    "url",
    "urldate",
    "langid",
    "language",
    "note",
]


# Languages whose titles are written in a script of their own; a title without that script
# is a translation (`[in Chinese]` after an English title).
SCRIPTS: Mapping[str, re.Pattern[str]] = {
    "russian": re.compile(r"[\u0400-\u04ff]"),
    "ukrainian": re.compile(r"[\u0400-\u04ff]"),
    "chinese": re.compile(r"[\u3400-\u9fff]"),
    "japanese": re.compile(r"[\u3040-\u30ff\u3400-\u9fff]"),
}


# biblatex's localisation keys for languages (`russian` prints "Russian", or "russisch" in a
# German document); a language without a key is written as a capitalised literal ("Chinese").
LANGUAGE_KEYS = frozenset(
    {
        "american",
        "basque",
        "brazilian",
        "bulgarian",
        "catalan",
        "croatian",
        "czech",
        "danish",
        "dutch",
        "english",
        "estonian",
        "finnish",
        "french",
        "galician",
        "german",
        "greek",
        "hungarian",
        "italian",
        "japanese",
        "latin",
        "latvian",
        "lithuanian",
        "marathi",
        "norwegian",
        "polish",
        "portuguese",
        "romanian",
        "russian",
        "serbian",
        "slovak",
        "slovene",
        "spanish",
        "swedish",
        "turkish",
        "ukrainian",
    }
)


def _written_in(title: str, language: str) -> bool:
    """Whether `title` can be in `language` (always true for languages we cannot tell)."""
    script = SCRIPTS.get(language)
    return script is None or bool(script.search(title))


def entry_fields(citation: Citation, style: Style) -> dict[str, str]:
    """The fields of one work as they go into the .bib (unescaped), in the chosen style."""
    fields = dict(citation.fields)
    entry_type = citation.type
    allowed = COMMON_FIELDS | TYPE_FIELDS.get(entry_type, frozenset())
    out: dict[str, str] = {}
    homeless: list[str] = []
    for name, value in fields.items():
        if name in DERIVED_FIELDS or not value:
            continue
        if name == "origdate":
            iso = normalize_date(value).get("date")
            if iso:
                out["origdate"] = iso
            else:
                homeless.append(value)
            continue
        if name == "langid" and not _written_in(fields.get("title", ""), value):
            # `[in Russian]` after an English title: the work is in Russian, the entry's
            # text is not. biblatex's `language` says so (printed "Russian"); `langid` would
            # make autolang typeset the English title as Russian.
            out["language"] = value if value in LANGUAGE_KEYS else value.capitalize()
            continue
        if name in allowed:
            out[name] = value
        elif name == "chapter":
            homeless.append(f"chapter {value}")
        elif name == "pages":
            homeless.append(f"p. {value}")
        elif name in {"number", "volume"}:
            homeless.append(f"{'no.' if name == 'number' else 'vol.'} {value}")
        else:
            homeless.append(value)
    # A publisher that is also the report's institution need not be said twice.
    homeless = [h for h in homeless if h not in out.values()]
    if homeless:
        out["note"] = "; ".join(([out["note"]] if "note" in out else []) + homeless)
    if "date_written" in fields and "date" not in out:
        out["note"] = "; ".join(filter(None, [out.get("note"), fields["date_written"]]))
    _fill_mandatory(entry_type, out, citation)
    if style is Style.BIBTEX:
        return _classic(entry_type, out, fields)
    return out


def _fill_mandatory(entry_type: str, out: dict[str, str], citation: Citation) -> None:
    """Fill biblatex's mandatory fields without inventing facts (docs/citations-and-bibtex.md)."""
    if "title" not in out:
        host = urlsplit(citation.urls[0]).netloc if citation.urls else ""
        out["title"] = host or citation.raw[:120] or "Untitled"
    if entry_type == "report":
        out.setdefault("type", "Report")
        if "institution" not in out:
            out["institution"] = out.get("author", "").strip("{}") or "Unknown institution"
        if "author" not in out:
            out["author"] = "{" + out["institution"] + "}"
    if "date" not in out:
        out["date"] = UNKNOWN_DATE
    if entry_type == "online" and "url" not in out and citation.urls:
        out["url"] = citation.urls[0]


UNKNOWN_DATE = "XXXX"  # EDTF: year unspecified (module docstring)
CASE_PROTECTED = frozenset({"title", "booktitle"})
MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
CLASSIC_TYPES = {
    "online": "misc",
    "collection": "book",
    "report": "techreport",
    "incollection": "incollection",
    "inbook": "inbook",
}


def classic_type(entry_type: str, fields: Mapping[str, str]) -> str:
    """Classic type: @online → @misc, @report → @techreport, unpublished books → @misc."""
    if entry_type in {"book", "collection", "incollection"} and not fields.get("publisher"):
        return "misc"
    return CLASSIC_TYPES.get(entry_type, entry_type)


def _classic(entry_type: str, out: dict[str, str], fields: Mapping[str, str]) -> dict[str, str]:
    """biblatex names → classic BibTeX names: journal, address, school/institution, year/month."""
    classic: dict[str, str] = {}
    rename = {"journaltitle": "journal", "location": "address", "organization": "organization"}
    for name, value in out.items():
        if name in {"date", "origdate", "langid", "origtitle", "origpublisher", "urldate"}:
            continue
        classic[rename.get(name, name)] = value
    if fields.get("year"):
        classic["year"] = fields["year"]
        month = fields.get("month", "")
        if month.isdigit() and 1 <= int(month) <= 12:
            # The month macro (`month = jan`), which plainnat prints as `January`; a
            # braced `{01}` would print as `01 2015`.
            classic["month"] = MONTH_MACROS[int(month) - 1]
    if entry_type == "incollection" and "publisher" not in classic and "booktitle" in classic:
        classic["howpublished"] = "In " + classic.pop("booktitle")
    if "year" not in classic:
        classic["year"] = "n.d."  # classic styles want a year; this one says it is unknown
    if "author" not in classic:
        classic["key"] = classic.get("title", "")  # what plainnat sorts and labels by
    if entry_type == "article" and "number" in classic and "volume" not in classic:
        # plain/plainnat print an issue only after a volume; keep it readable in the note.
        number = classic.pop("number")
        classic["note"] = "; ".join(filter(None, [classic.get("note"), f"no. {number}"]))
    if entry_type in {"online", "misc"} and "organization" in classic:
        classic["howpublished"] = classic.pop("organization")
    extra = [fields[k] for k in ("origtitle",) if fields.get(k)]
    if out.get("urldate"):
        extra.append(f"accessed {out['urldate']}")  # plainnat has no urldate; keep it readable
    if extra:
        classic["note"] = "; ".join(filter(None, [classic.get("note"), *extra]))
    return classic


# A URL is written verbatim, except characters that would end or unbalance the braced
# field (`\\`, `{`, `}`) or that no URL may hold raw (spaces, controls); percent-encoded,
# they name the same resource.
def bib_url(url: str) -> str:
    """The URL as written in a `url` field: verbatim but for `\\ { }`, spaces and controls."""
    return "".join(_percent_encoded(char) if _unsafe_in_url(char) else char for char in url)


def _unsafe_in_url(char: str) -> bool:
    return char in "\\{}" or char.isspace() or unicodedata.category(char) == "Cc"


def _percent_encoded(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))


def one_line(text: str) -> str:
    """Line breaks and control characters become spaces: they mean nothing in a BibTeX
    field, and a line that starts with `@` would read as a new entry to bibtexparser."""
    return "".join(" " if unicodedata.category(c) == "Cc" or c in _BREAKS else c for c in text)


_BREAKS = frozenset("\u2028\u2029")


def escaped(name: str, value: str) -> str:
    """The value as it stands between the braces of field `name`."""
    if name in VERBATIM_FIELDS:
        return bib_url(value)
    value = one_line(value)
    if name in NAME_FIELDS:
        return escape_names(value)
    if name == "month" and value.isdigit():
        return value
    return escape_tex(value)


def build_library(works: Iterable[Citation], style: Style = Style.BIBLATEX) -> Library:
    """One bibtexparser entry per distinct key, fields escaped and in a fixed order."""
    library = Library()
    seen: set[str] = set()
    for work in works:
        if work.key in seen:
            continue
        seen.add(work.key)
        values = entry_fields(work, style)
        ordered = sorted(values, key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER))
        entry_type = work.type if style is Style.BIBLATEX else classic_type(work.type, values)
        written_fields = [Field(n, escaped(n, values[n])) for n in ordered]
        for written in written_fields:
            if written.key == "month" and written.value in MONTH_MACROS:
                written.enclosing = "no-enclosing"  # a macro, not a string
            if style is Style.BIBTEX and written.key in CASE_PROTECTED:
                # Classic styles (plainnat) lowercase titles: `china's internet`. The notes
                # write titles in their intended case, so the whole title is protected.
                written.value = "{" + written.value + "}"
        library.add(Entry(entry_type, work.key, written_fields))
    return library


def write_bibtex(works: Iterable[Citation], style: Style = Style.BIBLATEX) -> str:
    """The .bib text for `works` (first occurrence of each key wins)."""
    return write_library(build_library(works, style))


def write_documents(documents: Sequence[CitedDocument], style: Style = Style.BIBLATEX) -> str:
    """All works of several documents, each key once, with a comment naming each source file."""
    parts: list[str] = []
    seen: set[str] = set()
    for document in documents:
        works = [w for w in document.works if w.key not in seen]
        seen.update(w.key for w in works)
        if works:
            parts.append(f"% {document.path}\n" + write_bibtex(works, style))
    return "\n".join(parts)


def read_bibtex(text: str) -> Library:
    """Read a .bib back with bibtexparser's default (non-decoding) stack: URLs stay whole."""
    return parse_string(text)


def bib_path(folder: Path, document_path: str) -> Path:
    """Where the .bib of a text goes: same stem, `.bib` suffix."""
    return folder / (Path(document_path).stem + ".bib")


def write_bib_files(
    documents: Sequence[CitedDocument],
    folder: Path,
    style: Style,
    *,
    force: bool = False,
    on_warning: Callable[[str], None] | None = None,
) -> list[Path]:
    """One .bib per text that cites at least one work; texts without works get no file.

    A file that exists is regenerated by merging (`citecheck.export.bibmerge`): hand edits are
    kept and conflicts reported through `on_warning`; `force` overwrites, keeping a backup.
    """
    written = []
    for document in documents:
        if not document.works:
            continue
        target = bib_path(folder, document.path)
        warnings = write_regenerated(target, write_bibtex(document.works, style), force)
        for warning in warnings:
            if on_warning is not None:
                on_warning(warning)
        written.append(target)
    return written
