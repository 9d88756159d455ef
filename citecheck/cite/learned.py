"""The learned field parser: a linear-chain CRF labels each token of one reference.

`parse_learned(text)` tokenizes the reference (`citecheck.cite.tokens`), asks the CRF shipped
in `citecheck/cite/models/` for one label per token (AnyStyle's labels: author, title, journal,
container-title, date, pages, volume, publisher, location, editor, …), joins runs of one label
into segments and turns the segments into biblatex fields (`fields_from_segments`): names split
into family and given, `vol. 98(2)` into volume and number, `doi.org` URLs into `doi`, pages,
dates and editions through the normalizers of `citecheck.cite.fields`.

The model is loaded once, on first use: `citecheck --help` and the five texts' footnotes,
which the rule parser reads, never pay for it. The model was trained by `citecheck train` on
AnyStyle's core set (BSD-2-Clause; the notice stands beside the model file).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from citecheck.cite.draft import ParsedWork
from citecheck.cite.fields import find_date, normalize_fields
from citecheck.cite.names import bibtex_institution, bibtex_person, is_institution
from citecheck.cite.symbols import find_symbols
from citecheck.cite.tokens import features, tokenize

MODEL_PATH = Path(__file__).parent / "models" / "reference-crf.crfsuite"

# AnyStyle's rarer labels folded into the ones the export knows.
_ARXIV_RE = re.compile(
    r"(?:\barXiv:\s*|arxiv\.org/(?:abs|pdf)/)(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7})",
    re.I,
)
# Fields that make a reference without a title still worth its parsed fields.
_SUBSTANTIVE = frozenset({"author", "editor", "journaltitle", "booktitle", "publisher", "doi"})
LABEL_ALIASES = {"director": "author", "producer": "editor", "medium": "note", "source": "note"}


class Tagger(Protocol):
    """What the parser needs of a trained model: one label per token."""

    def tag(self, xseq: list[list[str]]) -> list[str]: ...


@lru_cache(maxsize=4)
def load_tagger(path: Path = MODEL_PATH) -> Tagger:
    """The CRF at `path`, opened once (python-crfsuite memory-maps the file)."""
    import pycrfsuite  # noqa: PLC0415 (imported only when a reference is parsed this way)

    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger  # type: ignore[no-any-return]


def label_tokens(text: str, tagger: Tagger | None = None) -> list[tuple[str, str]]:
    """(label, token text) for every token of `text`."""
    tokens = tokenize(text)
    if not tokens:
        return []
    labels = (tagger or load_tagger()).tag(features(tokens))
    return list(zip(labels, (t.text for t in tokens), strict=True))


def segments(labelled: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Runs of one label joined into (label, text) segments, in order."""
    out: list[tuple[str, str]] = []
    for label, word in labelled:
        if out and out[-1][0] == label:
            out[-1] = (label, out[-1][1] + " " + word)
        else:
            out.append((label, word))
    return out


def parse_learned(text: str, tagger: Tagger | None = None) -> ParsedWork:
    """Parse one reference with the CRF: type, biblatex fields, URLs and UN symbols."""
    work = " ".join(text.split())
    entry_type, fields = fields_from_segments(
        _title_from_container(segments(label_tokens(work, tagger)))
    )
    urls = (fields["url"],) if "url" in fields else ()
    arxiv = _ARXIV_RE.search(work)
    if arxiv:
        fields.update(eprint=arxiv.group(1), eprinttype="arxiv")
    symbols = tuple(dict.fromkeys(s.canonical for s in find_symbols(work)))
    if symbols:
        entry_type = "report"
        fields.setdefault("number", symbols[0])
        fields.setdefault("type", "UN document")
    problems: tuple[str, ...] = ()
    if not re.search(r"[^\W\d_]", fields.get("title", "")) and not urls:
        if set(fields) & _SUBSTANTIVE:
            # `Balucinska-Church M., 1992, ApJ, 400, 699`: no title, but the rest is real.
            problems = ("could not find a title",)
        else:
            problems = ("could not find a title; the raw text is kept in the note field",)
            fields = {"note": work}
            entry_type = "misc"
    return ParsedWork(entry_type, fields, urls, symbols, problems)


def _title_from_container(labelled: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """With no title segment, a container title not opened by `In` is the work's own title
    (`Tester, Keith, ed. The Flâneur. London: Routledge, 1994.`): a book has no container."""
    labels = [label for label, _ in labelled]
    if "title" in labels or "container-title" not in labels:
        return labelled
    index = labels.index("container-title")
    text = labelled[index][1]
    if re.match(r"in\b", text, re.I):
        return labelled
    return [*labelled[:index], ("title", text), *labelled[index + 1 :]]


# ---------------------------------------------------------------- segments → fields

_EDGE = " .,;:()[]{}“”‘’«»„\"'"


def _clean(text: str) -> str:
    """A segment without the punctuation and brackets that join it to its neighbours."""
    value = text.strip(_EDGE)
    # A balanced quotation or parenthesis inside the value keeps its closing mark.
    for opener, closer in (("(", ")"), ("[", "]"), ("“", "”"), ("‘", "’")):
        if value.count(opener) > value.count(closer) and text.rstrip(" .,;:").endswith(closer):
            value += closer
    return value


def clean_title(text: str) -> str:
    """`“A Spanish Romanticist Parodies Himself,”` → the words only; inner quotes stay."""
    value = text.strip().rstrip(".,;:").strip()
    pairs = {"“": "”", "‘": "’", "«": "»", '"': '"', "„": "“"}
    if value[:1] in pairs and value.endswith(pairs[value[0]]):
        value = value[1:-1]
    elif value[:1] in pairs and value.count(pairs[value[0]]) == 0:
        value = value[1:]
    value = value.strip().rstrip(".,;:").strip()
    if (
        value
        and value[-1] in '”’»"'
        and value.count(value[-1]) > sum(value.count(o) for o in "“‘«")
    ):
        value = value[:-1].rstrip(".,;:").strip()
    return value


_ROLE_HEAD_RE = re.compile(
    r"^(?:in:?\s+|(?:edited|translated|trans\.|transl\.|eds?\.|hrsg\.|übers\.|trad\.)"
    r"\s*(?:by|von|v\.|par)?\s+|by\s+)+",
    re.I,
)
_ROLE_TAIL_RE = re.compile(
    r"[\s,]*(?:\((?:eds?|hrsg|éds?|dirs?|trans|transl|comps?|coord)\.?s?\)|(?<![A-Z])(?:eds?"
    r"|hrsg|éds?|trans|transl|dir|editors?)\.?)[\s.,:;]*$",
    re.I,
)
# `(editors)`, `(Producers)`, `(Director)` after a name, anywhere in the list.
_ROLE_WORD_RE = re.compile(
    r"\s*\((?:editors?|producers?|directors?|translators?|compilers?|hrsg\.|eds?\.)\)",
    re.I,
)
_ET_AL_RE = re.compile(r"[\s,]*(?:\bet\s*al\b\.?|\bu\.\s*a\.|\band\s+others\b|…)", re.I)
_INITIALS_RE = re.compile(r"(?:[A-Z]\.?-?\s*){1,4}|[A-Z][a-z]?\.(?:\s*[A-Z][a-z]?\.)*")


_SUFFIX_RE = re.compile(r"(?:Jr|Sr|Jun|Sen)\.?|I{2,3}|IV")


def _is_given(text: str) -> bool:
    """A comma piece that is only the given part of the name before it (`C.`, `M.A.`,
    `Nicholson B.`)."""
    value = text.strip()
    if _INITIALS_RE.fullmatch(value):
        return True
    words = value.split()
    return 0 < len(words) <= 3 and all(
        w[:1].isupper() and (w.rstrip(".").isalpha() or "-" in w) for w in words
    )


def _trim_name(text: str) -> str:
    """A name without the punctuation after it; the full stop of a final initial stays."""
    value = text.strip(" ,;:")
    if value.endswith(".") and not re.search(r"(?:^|[\s.\-])[A-Z]\.$", value):
        value = value[:-1].rstrip(" ,;:")
    return value


def _one_name(text: str) -> str:
    """One name in reading order, Vancouver order (`Peters OA`) or an institution."""
    value = _trim_name(text)
    words = value.split()
    if not words:
        return ""
    if len(words) >= 5 or (len(words) > 1 and is_institution(value)):
        return bibtex_institution(value)
    if len(words) > 1 and re.fullmatch(r"[A-Z]{1,3}|(?:[A-Z]\.){1,3}", words[-1]):
        return f"{' '.join(words[:-1])}, {words[-1]}"  # `Pérez-Higueras JJ`, `Heidegger M.`
    if len(words) == 1:
        return words[0]
    return bibtex_person(value)


def split_names(text: str) -> list[str]:
    """A contributor segment as BibTeX names `Family, Given` (`others` for et al.).

    Reads `Last, F., Last, G., & Last, H.`, `F. Last and G. Last`, `Last F, Last G`,
    `;`-separated lists, `In O. Card (Ed.),` and `Hrsg. von …`; one institution stays one
    braced name.
    """
    value = _ROLE_HEAD_RE.sub("", _ROLE_WORD_RE.sub("", text.strip()))
    value = _ROLE_TAIL_RE.sub("", value)
    others = bool(_ET_AL_RE.search(value))
    value = _trim_name(_ET_AL_RE.sub("", value))
    if not value:
        return ["others"] if others else []
    if "," not in value and ";" not in value and is_institution(value):
        return [bibtex_institution(value)]
    names: list[str] = []
    for piece in re.split(r"\s*;\s*|,?\s+(?:and|&|und|et|y)\s+|\s*&\s*", value):
        parts = [p.strip() for p in piece.split(",") if p.strip()]
        i = 0
        while i < len(parts):
            part = parts[i]
            following = parts[i + 1] if i + 1 < len(parts) else None
            single = len(part.split()) == 1 or all(
                w.lower() in {"van", "von", "de", "der", "la", "du", "di", "da", "del"}
                for w in part.split()[:-1]
            )
            if following is not None and single and _is_given(following):
                after = parts[i + 2] if i + 2 < len(parts) else ""
                if _SUFFIX_RE.fullmatch(after):
                    # `King, M. L., Jr.`: biblatex's `Family, Suffix, Given`.
                    names.append(f"{part}, {after.rstrip('.')}, {_trim_name(following)}")
                    i += 3
                    continue
                names.append(f"{part}, {_trim_name(following)}")
                i += 2
                continue
            if names and _SUFFIX_RE.fullmatch(part) and names[-1].count(",") == 1:
                family, given = names[-1].split(", ")
                names[-1] = f"{family}, {part.rstrip('.')}, {given}"  # `Martin Luther King, Jr.`
                i += 1
                continue
            name = _one_name(part)
            if name:
                names.append(name)
            i += 1
    if others:
        names.append("others")
    return names


def _volume_number(text: str) -> dict[str, str]:
    """`vol. 98(2)`, `106,`, `(Vol. 3, Part A,`, `No. 134, Part 3`, `12 (3)` → volume/number."""
    value = text.strip(" .,;:")
    for opener, closer in (("(", ")"), ("[", "]")):
        if value.startswith(opener) and value.count(opener) > value.count(closer):
            value = value[1:]
        if value.endswith(closer) and value.count(closer) > value.count(opener):
            value = value[:-1]
    value = value.strip(" .,;:")
    out: dict[str, str] = {}
    issue = re.search(r"\(\s*([\w/–-]{1,12})\s*\)", value)
    number_word = re.search(r"\b(?:no|nr|n°|issue|heft|h|núm)\.?\s*([\w/–-]+)", value, re.I)
    volume = re.search(r"\b(?:vol(?:ume)?|bd|t|jg)\.?\s*([\w.–-]+)", value, re.I)
    digits = re.match(r"([\dIVXLCivxlc]+(?:[–-]\d+)?)\b", value)
    if volume:
        out["volume"] = volume.group(1).rstrip(".,")
    elif digits and not (number_word and number_word.start() == 0):
        out["volume"] = digits.group(1)
    if issue and issue.start() > 0:
        out["number"] = issue.group(1)
    elif number_word:
        out["number"] = number_word.group(1).rstrip(".,")
    if not out:
        out["volume"] = value
    return out


def _date(text: str) -> str:
    value = text.strip(_EDGE)
    found = find_date(value)
    if found is not None and found[0] == value:
        return value
    year = re.search(r"\b(1[5-9]\d\d|20\d\d)[a-z]?\b", value)
    return year.group(1) if year else value


def _doi(text: str) -> str:
    match = re.search(r"10\.\d{4,9}/\S+", text)
    return match.group(0).rstrip(".,;)") if match else text.strip(_EDGE)


def fields_from_segments(labelled: Sequence[tuple[str, str]]) -> tuple[str, dict[str, str]]:
    """The entry type and biblatex fields of a labelled reference.

    The first segment of a label fills its field; a later one of the same label, and every
    `note` segment, is kept in `note`, so no word is lost. `citation-number` is dropped.
    """
    first: dict[str, str] = {}
    notes: list[str] = []
    for raw_label, text in labelled:
        label = LABEL_ALIASES.get(raw_label, raw_label)
        if label == "citation-number":
            continue
        if label == "note" or label in first:
            notes.append(text.strip(" ,;"))
            continue
        first[label] = text
    fields: dict[str, str] = {}
    for role in ("author", "editor", "translator"):
        if role in first:
            names = split_names(first[role])
            if names:
                fields[role] = " and ".join(names)
    if "title" in first:
        fields["title"] = clean_title(first["title"])
    if "date" in first:
        fields["date"] = _date(first["date"])
    if "pages" in first:
        pages = re.sub(
            r"^(?:pp?\.|pages?|s\.|ss\.|pag\.)\s*", "", _clean(first["pages"]), flags=re.I
        )
        fields["pages"] = pages.strip(_EDGE)
    if "volume" in first:
        fields.update(_volume_number(first["volume"]))
    for label, name in (("publisher", "publisher"), ("location", "location")):
        if label in first:
            fields[name] = _clean(first[label])
    if "edition" in first:
        fields["edition"] = _clean(first["edition"])
    if "collection-title" in first:
        fields["series"] = _clean(first["collection-title"])
    if "isbn" in first:
        fields["isbn"] = re.sub(r"^isbn:?\s*", "", _clean(first["isbn"]), flags=re.I)
    url = _clean(first["url"]) if "url" in first else ""
    if "doi" in first:
        fields["doi"] = _doi(first["doi"])
    if re.match(r"(?:https?://)?(?:dx\.)?doi\.org/", url, re.I):
        fields.setdefault("doi", _doi(url))
    if url:
        fields["url"] = url
    notes = _take_urldate(notes, fields)
    if "genre" in first:
        notes.insert(0, _clean(first["genre"]))
    entry_type = _entry_type(first, fields)
    container = clean_title(first.get("journal") or first.get("container-title") or "")
    if container:
        fields["booktitle" if entry_type == "incollection" else "journaltitle"] = container
    if entry_type == "report":
        fields.setdefault("institution", fields.pop("publisher", "") or "")
        fields["type"] = _clean(first.get("genre", "Report")) or "Report"
        if notes and notes[0] == fields["type"]:
            notes.pop(0)
    note = "; ".join(n for n in notes if n)
    if note:
        fields["note"] = note
    return entry_type, normalize_fields({k: v for k, v in fields.items() if v})


_ACCESS_RE = re.compile(
    r"^(?:last\s+)?(?:retrieved|accessed|viewed|consulted|abgerufen\s+am|consulté\s+le)"
    r"(?:\s+on)?:?\s+(.+?)(?:,?\s+(?:from|at|via|unter))?[\s.,:;]*$",
    re.I,
)


def _take_urldate(notes: list[str], fields: dict[str, str]) -> list[str]:
    """`Retrieved March 3, 2010, from` (a note segment before the URL) → `urldate`; a cue
    with no readable date stays in `note`."""
    kept = []
    for note in notes:
        cue = _ACCESS_RE.match(note.strip("()[] "))
        found = find_date(cue.group(1).strip(" ,.")) if cue else None
        if cue and found is not None and "urldate" not in fields:
            fields["urldate"] = found[0]
            continue
        kept.append(note)
    return kept


def _entry_type(first: Mapping[str, str], fields: Mapping[str, str]) -> str:
    """article for a journal; incollection for a container with editors or `In`; report for
    a thesis, report or working paper; book (collection) for a publisher; online for a URL."""
    genre = first.get("genre", "").lower()
    if "journal" in first:
        return "article"
    if "container-title" in first:
        container = first["container-title"].strip().lower()
        editors = "editor" in first or container.startswith("in ")
        if editors or "publisher" in first or "proceedings" in container:
            return "incollection"
        return "article"
    if re.search(r"thesis|dissertation|report|working paper|diss\.", genre):
        return "report"
    if "publisher" in first or "location" in first:
        return "collection" if "editor" in first and "author" not in first else "book"
    if "url" in fields or "doi" in fields:
        return "online"
    return "misc"
