"""Stage 3: citations. Split each note into the works it cites and parse their fields.

Three steps, each a pure function:

1. `find_works(text)` — *splitting*: cut a note into clauses at work boundaries (`;` outside
   brackets and quotations, sentence ends, `such as:`), drop the lead-in (`See for example,`,
   `…, see`, `Both quoted in`) and classify each clause as a work, a back reference
   (`Ibid.`, a short form), an extra URL for the work before it, or commentary.
2. `parse_reference(clause)` — *fields*: one clause into biblatex fields, then the field
   normalizers of `citecheck.cite.fields` in the order of their list.
3. `cite_corpus(documents)` — *linking and keys*: back references get the key of the work
   they point to, the same work in several notes gets one key, keys are made unique across
   the corpus.

Commentary clauses (`Quishi is a journal of the Chinese Communist Party.`) cite nothing; they
stay in the note's text, which every output keeps. Inside a work, words the parser could not
place go verbatim into the `note` field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from urllib.parse import urlsplit

from citecheck.cite.entries import entry_works, without_cited_keys
from citecheck.cite.fields import find_date, normalize_fields
from citecheck.cite.names import (
    bibtex_institution,
    bibtex_person,
    family_name,
    is_institution,
    split_name_list,
    split_people,
)
from citecheck.cite.symbols import find_symbols, symbol_in_url
from citecheck.read.model import Note, NotedDocument, Place, note_place


@dataclass(frozen=True)
class Citation:
    """One cited work as it stands in one note.

    `fields` uses biblatex field names (author, editor, title, journaltitle,
    booktitle, date, urldate, volume, number, pages, publisher, location,
    institution, langid, note, …). A back reference (Ibid., a short form)
    carries the key of the full citation it points to in `refers_to` and
    shares that work's `key`.

    Extra fields beyond biblatex's, all documented in the README: `date_written` (the
    date as the note writes it), `origtitle` (004's parallel Chinese title),
    `origpublisher`, `origdate` (the Chinese publisher and date written beside it).
    """

    key: str
    type: str
    fields: Mapping[str, str]
    place: Place
    raw: str
    urls: tuple[str, ...] = ()
    un_symbols: tuple[str, ...] = ()
    refers_to: str | None = None
    problems: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class CitedNote:
    """The citations found in one note, in the order they stand."""

    number: int
    line: int
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class CitedDocument:
    path: str
    notes: tuple[CitedNote, ...]

    @property
    def works(self) -> tuple[Citation, ...]:
        """The first citation of every distinct work, in order: what a .bib file holds."""
        seen: set[str] = set()
        found: list[Citation] = []
        for note in self.notes:
            for citation in note.citations:
                if citation.key not in seen:
                    seen.add(citation.key)
                    found.append(citation)
        return tuple(found)


# ---------------------------------------------------------------- step 1: splitting

URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"“”‘’]+")
_URL_TRAILING = ".,;:’”"
QUOTE_PAIRS = {"‘": "’", "“": "”", '"': '"'}
ABBREVIATIONS = frozenset(
    [
        "ed",
        "eds",
        "vol",
        "no",
        "nos",
        "jr",
        "sr",
        "dr",
        "mr",
        "mrs",
        "ms",
        "st",
        "pp",
        "p",
        "edn",
        "rev",
        "inc",
        "ltd",
        "co",
        "cf",
        "vs",
        "prof",
        "gen",
        "op",
        "art",
        "para",
        "fig",
        "ch",
    ]
)
_IBID_RE = re.compile(r"^ibid\b\.?,?\s*(.*?)\.?$", re.I)
_LEAD_RE = re.compile(
    r"^(?:and\s+)?(?:(?:see\s+also|see|cf\.)(?:\s+for\s+(?:an?\s+)?example(?:\s+of[^,]*)?)?,?\s+)?",
    re.I,
)
_INNER_CUE_RE = re.compile(
    r"(?:,\s*see(?:\s+also)?|\b(?:discussed|analysed|analyzed|quoted|found|available)\s+in"
    r"|\bcan be found (?:in|at)|\bsee)\s+",
    re.I,
)
_EVENT_START_RE = re.compile(
    r"^(?:On|In|By|Since|From|After|Before|Until)\s+(?:\d|[A-Z][a-z]+\s+\d)"
)
_LANGUAGE_RE = re.compile(r"\[\s*in\s+([A-Z][a-z]+)\s*\]")
_BRACKET_RE = re.compile(r"\[([^\[\]]{1,80})\]")
_CJK_RE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef《》]")
FUNCTION_WORDS = frozenset(
    [
        "of",
        "the",
        "and",
        "in",
        "on",
        "for",
        "to",
        "a",
        "an",
        "at",
        "by",
        "with",
        "from",
        "between",
        "into",
        "its",
        "their",
        "this",
        "that",
        "as",
        "or",
    ]
)


@dataclass(frozen=True)
class Clause:
    """A piece of a note; `kind` is work, ibid, short (a short-form candidate), extra-url
    (another URL for the work before it) or commentary (cites nothing)."""

    text: str
    kind: str
    lead: str = ""


def url_spans(text: str) -> list[tuple[int, int]]:
    """Where the URLs stand in `text` (trailing punctuation excluded; balanced `(…)` kept)."""
    spans: list[tuple[int, int]] = []
    for match in URL_RE.finditer(text):
        url = match.group(0)
        # Counted once and kept up to date: recounting per dropped character made a URL
        # ending in many `)` quadratic.
        opened, closed = url.count("("), url.count(")")
        end = len(url)
        while end and (url[end - 1] in _URL_TRAILING or (url[end - 1] == ")" and opened < closed)):
            opened -= url[end - 1] == "("
            closed -= url[end - 1] == ")"
            end -= 1
        spans.append((match.start(), match.start() + end))
    return spans


def find_urls(text: str) -> list[str]:
    return [text[a:b] for a, b in url_spans(text)]


def _split_points(text: str) -> list[tuple[int, int]]:
    """(cut, resume) offsets where one clause ends and the next begins."""
    masked = list(text)
    for start, end in url_spans(text):
        for i in range(start, end):
            masked[i] = "x"
    points: list[tuple[int, int]] = []
    depth = 0
    in_double = False
    n = len(masked)
    for i, ch in enumerate(masked):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == "“":
            in_double = True
        elif ch == "”":
            in_double = False
        elif ch == '"':
            in_double = not in_double
        if depth or in_double:
            continue
        if ch == ";":
            following = text[i + 1 : i + 3].strip()
            if following and _CJK_RE.match(following[0]):
                continue  # 004: `English title; 中文标题` is one work with a parallel title
            points.append((i, i + 1))
        elif ch == ":" and text[max(0, i - 7) : i].lower() == "such as":
            points.append((i + 1, i + 1))
        elif ch == "." and i + 2 < n:
            after = i + 1
            if text[after : after + 1] in {"’", "”"}:
                after += 1
            if text[after : after + 1] != " " or after + 1 >= n:
                continue
            nxt = text[after + 1]
            if not (nxt.isupper() or nxt in '‘“"《'):
                continue
            token = _token_before(masked, i)
            if token.endswith("x") and masked[i - 1] == "x" and text[i - 1] != "x":
                points.append((after, after + 1))  # a full stop right after a URL
                continue
            if len(token) == 1 and token.isupper():
                continue  # an initial: Joseph S. Nye
            if "." in token or token.lower() in ABBREVIATIONS:
                continue  # U.S., H.E., ed., No.
            points.append((after, after + 1))
    return points


def _token_before(chars: list[str], end: int) -> str:
    """The word (letters, digits, `.’'-`) ending at `end`, looking back at most 40 characters."""
    start = end
    while start > max(0, end - 40) and (chars[start - 1].isalnum() or chars[start - 1] in ".’'-_"):
        start -= 1
    return "".join(chars[start:end])


def _raw_clauses(text: str) -> list[str]:
    clauses = []
    start = 0
    for cut, resume in _split_points(text):
        clauses.append(text[start:cut])
        start = resume
    clauses.append(text[start:])
    return [c.strip() for c in clauses if c.strip(" .;")]


def _strip_lead(clause: str) -> tuple[str, str]:
    """Drop `See`, `See for example,`, `…, see`, `… quoted in`; return (lead, rest)."""
    match = _LEAD_RE.match(clause)
    if match and match.end() > 0:
        return clause[: match.end()], clause[match.end() :]
    masked = _mask_quotes_and_urls(clause)
    last = None
    for cue in _INNER_CUE_RE.finditer(masked):
        last = cue
    if last is not None and last.start() > 0:
        lead = clause[: last.end()]
        bare_see = last.group(0).lower().startswith("see")
        if not bare_see or _is_prose(lead):
            return lead, clause[last.end() :]
    return "", clause


def _mask_quotes_and_urls(text: str) -> str:
    masked = list(text)
    for start, end in url_spans(text):
        for i in range(start, end):
            masked[i] = "x"
    for start, end in _quoted_spans(text):
        for i in range(start, end):
            masked[i] = "x"
    return "".join(masked)


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    i = 0
    while True:
        found = _find_quote(text, i)
        if found is None:
            return spans
        spans.append((found[0], found[1] + 1))
        i = found[1] + 1


def _is_prose(text: str) -> bool:
    """Running prose rather than names and titles: three or more lowercase content words."""
    words = re.findall(r"[A-Za-z’']+", text)
    lower = [w for w in words if w[0].islower() and w not in FUNCTION_WORDS]
    return len(lower) >= 3


def _has_work_features(text: str) -> bool:
    """A clause that cites: a URL, a quoted title, (Place: Publisher, Year), a UN symbol, a date."""
    if url_spans(text) or find_symbols(text):
        return True
    quote = _find_quote(text, 0)
    if quote is not None and _quote_starts_reference(text, quote[0]):
        return True
    if re.search(r"\([^()]*\b(?:19|20)\d\d\)", text):
        return True
    # A date counts only when it stands as its own part: `…, May 29, 2015, …`, not inside prose.
    return any(
        ((found := find_date(part)) is not None and found[0] == part.strip(" ."))
        or re.fullmatch(r"(?:19|20)\d\d", part.strip(" ."))
        for part in _split_top(text)[1:]
    )


def find_works(text: str) -> tuple[Clause, ...]:
    """Cut a note into clauses and say what each one is (step 1: splitting)."""
    text = " ".join(text.split())  # as the notes stage gives it; keeps every pattern linear
    clauses: list[Clause] = []
    has_work = False  # kept up to date rather than recomputed: a note may hold many clauses
    carried: str | None = None  # a `See …` piece cut at a full stop inside a title
    for piece in _raw_clauses(text):
        raw = f"{carried} {piece}" if carried is not None else piece
        carried = None
        lead, rest = _strip_lead(raw)
        rest = rest.strip() if url_spans(rest) else rest.strip().rstrip(".").strip()
        if not rest:
            continue
        embedded = _parenthesised_works(rest)
        if embedded:
            clauses.extend(Clause(work, "work", lead) for work in embedded)
            has_work = True
            continue
        kind = _classify(rest, lead, has_work=has_work)
        if kind == "glue":
            # `See Asia-Pacific Economic Cooperation, 2002 APEC Ministerial Meeting. Joint …`:
            # carry it into the next piece; it stands as a short form if nothing follows.
            carried = raw
            kind = "short"
        clauses.append(Clause(raw if kind == "commentary" else rest, kind, lead))
        has_work = has_work or kind == "work"
    return tuple(_drop_glued(clauses))


def _classify(rest: str, lead: str, *, has_work: bool) -> str:
    """What one clause is, by these rules in order.

    `《…》` alone is a work (004's Chinese titles); `Ibid.` is ibid; a sentence opening with a
    date (`On 4 December 2000, China …`) is commentary; prose carrying only a URL after a work
    is an extra URL for that work (`A full version can be found … at http://…`); a clause with
    a URL, a quoted title, a (Place: Publisher, Year), a UN symbol or a date of its own is a
    work; a featureless `See …` piece is glued to the next; prose after a cue (`discussed in
    Austin, Cyber Policy in China`) and any other featureless name-like clause are short-form
    candidates (kept only if they name an earlier work); other prose is commentary.
    """
    if re.match(r"^《[^》]+》", rest):
        return "work"
    if _IBID_RE.match(rest):
        return "ibid"
    if _EVENT_START_RE.match(rest):
        return "commentary"
    features = _has_work_features(rest)
    has_url = bool(url_spans(rest))
    head_is_prose = _is_prose(_mask_quotes_and_urls(rest).split(",")[0])
    if features and has_url and head_is_prose and _find_quote(rest, 0) is None:
        return "extra-url" if has_work else "work"
    if features and not (head_is_prose and not has_url):
        return "work"
    if lead.lower().startswith("see") and not _is_prose(rest):
        return "glue"
    if lead and _is_prose(rest):
        return "short"
    return "commentary" if _is_prose(rest) else "short"


def _parenthesised_works(clause: str) -> list[str]:
    """Works cited in parentheses inside a prose sentence.

    `… the website of the 2015 conference (GCCS2015, https://www.gccs2015.com/), and the
    INCYDER database (NATO …, ‘INCYDER,’ https://ccdcoe.org/incyder.html).` cites two works.
    """
    head = _mask_quotes_and_urls(clause).split("(")[0]
    if not _is_prose(head):
        return []
    found = []
    depth = 0
    start = 0
    masked = _mask_quotes_and_urls(clause)
    for i, ch in enumerate(masked):
        if ch == "(":
            if depth == 0:
                start = i + 1
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0 and url_spans(clause[start:i]):
                found.append(clause[start:i].strip())
    return found


def _drop_glued(clauses: list[Clause]) -> list[Clause]:
    """Remove the short-form guess that was glued onto the clause after it."""
    out: list[Clause] = []
    for clause in clauses:
        if out and out[-1].kind == "short" and clause.text.startswith(out[-1].text):
            out.pop()
        out.append(clause)
    return out


# ---------------------------------------------------------------- step 2: fields


@dataclass(frozen=True)
class ParsedWork:
    """One reference parsed into fields, before linking gives it a key."""

    type: str
    fields: dict[str, str]
    urls: tuple[str, ...]
    symbols: tuple[str, ...]
    problems: tuple[str, ...] = ()


def _find_quote(text: str, start: int) -> tuple[int, int] | None:
    """(open, close) of the first quotation at or after `start`; curly quotes nest."""
    pairs = _quote_pairs(text)
    for i in range(start, len(text)):
        ch = text[i]
        if ch in {"‘", "“"} and i in pairs:
            return i, pairs[i]
        if ch == '"':
            close_at = text.find('"', i + 1, i + 1 + MAX_QUOTED)
            if close_at > i:
                return i, close_at
    return None


MAX_QUOTED = 600


@lru_cache(maxsize=256)
def _quote_pairs(text: str) -> dict[int, int]:
    """Every curly quotation in one pass: {opening offset: closing offset}.

    A stack per quote kind pairs each closer with the latest opener, so `‘Cui: Toward ‘Common
    Security’ and …,’` nests. `’` followed by a letter is an apostrophe (`China’s`), and an
    opener glued to a letter is not an opener. Linear in the text, whatever it holds; a
    quotation longer than MAX_QUOTED characters is not taken for a title.
    """
    pairs: dict[int, int] = {}
    stacks: dict[str, list[int]] = {"‘": [], "“": []}
    closers = {"’": "‘", "”": "“"}
    for j, ch in enumerate(text):
        if ch in stacks:
            if j == 0 or not text[j - 1].isalnum():
                stacks[ch].append(j)
        elif ch in closers:
            if ch == "’" and text[j + 1 : j + 2].isalpha():
                continue
            stack = stacks[closers[ch]]
            if stack:
                opened = stack.pop()
                if j - opened <= MAX_QUOTED:
                    pairs[opened] = j
    return pairs


def _quote_starts_reference(text: str, open_at: int) -> bool:
    """A quotation is a title when it opens the clause or follows the author part."""
    before = text[:open_at].strip()
    if not before:
        return True
    if before.endswith(",") or before.endswith(" in"):
        return not _is_prose(before)
    return False


def _split_top(text: str, sep: str = ",") -> list[str]:
    """Split at `sep` outside brackets and quotations."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    masked = _mask_quotes_and_urls(text)
    for i, ch in enumerate(masked):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        if ch == sep and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(text[i])
    parts.append("".join(current))
    cleaned = [p.strip() for p in parts if p.strip()]
    merged: list[str] = []
    for part in cleaned:
        # `January 19, 2015` and `February, 14, 2011` are one date, not three parts.
        if merged and re.fullmatch(r"(?:19|20)\d\d", part) and _MONTH_DAY_RE.fullmatch(merged[-1]):
            merged[-1] = merged[-1] + ", " + part
        elif merged and re.fullmatch(r"\d{1,2}", part) and _MONTH_ONLY_RE.fullmatch(merged[-1]):
            merged[-1] = merged[-1] + " " + part
        else:
            merged.append(part)
    return merged


_MONTH_NAMES = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_MONTH_DAY_RE = re.compile(rf"(?:.*\s)?(?:{_MONTH_NAMES})\s+\d{{1,2}}")
_MONTH_ONLY_RE = re.compile(rf"(?:{_MONTH_NAMES})")


@dataclass
class _Draft:
    """Mutable working state of one parse: raw fields and the words not yet placed."""

    fields: dict[str, str] = field(default_factory=dict)
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    leftover: list[str] = field(default_factory=list)
    container: str = ""
    booktitle: str = ""
    container_kind: str = ""
    quoted_title: bool = False


UN_ORGAN_RE = re.compile(
    r"^(?:United Nations,?\s+)?(General Assembly|Security Council|Economic and Social Council)"
    r"(?:\s+(resolution|decision)\s+([\w./-]+)(?:\s+\((?:19|20)\d\d\))?)?$"
)


def parse_reference(text: str, known_urls: Sequence[str] = ()) -> ParsedWork:
    """Parse one clause into biblatex fields (step 2); never raises, never drops words."""
    draft = _Draft()
    # Whitespace runs collapse, as the notes stage already does: several patterns below
    # start with `\s*`, and a long run of spaces would make them quadratic.
    work = " ".join(text.split())
    spans = url_spans(work)
    urls = list(dict.fromkeys(_known_forms([work[a:b] for a, b in spans], known_urls)))
    work = _blank_spans(work, spans)
    work = re.sub(r"<\s*>", " ", work)
    symbols = [s.canonical for s in find_symbols(work)]
    for url in urls:
        in_url = symbol_in_url(url)
        if in_url is not None and in_url.canonical not in symbols:
            symbols.append(in_url.canonical)
    for symbol in find_symbols(work):
        work = re.sub(rf",?\s*{re.escape(symbol.canonical)}(?![\w/])", " ", work, count=1)
    work = _take_access_date(work, draft)
    language = _LANGUAGE_RE.search(work)
    if language:
        draft.fields["langid"] = language.group(0)
        work = _LANGUAGE_RE.sub(" ", work)
    for bracket in _BRACKET_RE.finditer(work):
        draft.leftover.append(bracket.group(0))
    work = _BRACKET_RE.sub(" ", work)
    work, trailing = _split_trailing_commentary(work)
    if trailing:
        draft.leftover.append(trailing)
    work = _parallel_title(work, draft)
    work = re.sub(r"\s+", " ", work).strip(" ,.;")
    _parse_body(work, draft)
    return _finish(draft, tuple(urls), tuple(symbols), text)


_ACCESSED_RE = re.compile(
    r",?\s*[(\[]?\s*\b(?:last\s+)?(?:accessed|retrieved|viewed|consulted)(?:\s+on)?:?\s+", re.I
)


def _take_access_date(work: str, draft: _Draft) -> str:
    """`…, http://…, accessed March 12, 2016` / `(accessed 12 March 2016)` → `urldate`.

    Only a cue followed at once by a date counts, so a title that says `accessed` stays."""
    for cue in _ACCESSED_RE.finditer(work):
        following = work[cue.end() : cue.end() + 40]
        found = find_date(following)
        if found is None or found[1] != 0:
            continue
        end = cue.end() + found[2]
        closing = re.match(r"\s*[)\]]", work[end:])
        if closing and cue.group(0).strip(" ,")[:1] in {"(", "["}:
            end += closing.end()
        draft.fields["urldate"] = found[0]
        return work[: cue.start()] + " " + work[end:]
    return work


def _bare(url: str) -> str:
    return re.sub(r"^https?://", "", url).rstrip("/")


# A URL that matches no known URL exactly is compared by prefix with at most this many:
# every real note has fewer, and a hostile note with thousands of URLs stays linear.
MAX_PREFIX_CANDIDATES = 256


def _known_forms(raw_urls: Sequence[str], known_urls: Sequence[str]) -> list[str]:
    """The notes stage's repaired form of each URL written in the text (`www.x` →
    `http://www.x`): the first known URL that is the same without its scheme, else the first
    that extends it or that it extends, else the URL as written."""
    bare_known, exact = _bare_index(known_urls)
    forms = []
    for raw_url in raw_urls:
        bare = _bare(raw_url)
        form = exact.get(bare)
        if form is None:
            form = next(
                (
                    known
                    for known_bare, known in bare_known[:MAX_PREFIX_CANDIDATES]
                    if known_bare.startswith(bare) or bare.startswith(known_bare)
                ),
                raw_url,
            )
        forms.append(form)
    return forms


_BareIndex = tuple[list[tuple[str, str]], dict[str, str]]
_last_index: dict[int, tuple[tuple[str, ...], _BareIndex]] = {}


def _bare_index(known_urls: Sequence[str]) -> _BareIndex:
    """Known URLs without their scheme, in order and by value. A note's URLs (a tuple) are
    indexed once for all its clauses rather than once per clause."""
    if isinstance(known_urls, tuple):
        cached = _last_index.get(id(known_urls))
        if cached is not None and cached[0] is known_urls:
            return cached[1]
    bare_known = [(_bare(known), known) for known in known_urls]
    exact: dict[str, str] = {}
    for bare, known in bare_known:
        exact.setdefault(bare, known)
    if isinstance(known_urls, tuple):
        _last_index.clear()
        _last_index[id(known_urls)] = (known_urls, (bare_known, exact))
    return bare_known, exact


def _blank_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """`text` with each span (in order, not overlapping) replaced by one space."""
    pieces = []
    position = 0
    for start, end in spans:
        pieces.append(text[position:start])
        pieces.append(" ")
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _take_urls(text: str, known_urls: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(_known_forms(find_urls(text), known_urls)))


def _split_trailing_commentary(work: str) -> tuple[str, str]:
    """A quotation or a sentence after the reference (`…htm: ‘Although not yet…’`) → note."""
    match = re.search(r"\s*:\s*[‘“\"][^‘“\"]*.*$", work)
    if match and match.start() > 0 and re.search(r"\s{2,}|\s$", work[: match.start() + 1]):
        return work[: match.start()], work[match.start() :].strip(" :")
    return work, ""


def _parallel_title(work: str, draft: _Draft) -> str:
    """004: `English…; 国务院新闻办公室:《中文标题》, 2010年6月8日。` — keep the Chinese part."""
    parts = _split_top(work, ";")
    if len(parts) < 2 or not _CJK_RE.search(parts[-1]):
        return work
    chinese = parts[-1]
    # A 《 after the last 》 opens no title, yet a search would rescan the tail from each one
    # (quadratic on a run of 《): stop the search at the last 》 and what may follow it.
    closing = chinese.rfind("》") + 1
    after = chinese[closing:]
    end = closing + len(after) - len(after.lstrip()) + len("白皮书")
    title = re.compile(r"《([^》]+)》(?:\s*(白皮书))?").search(chinese, 0, end) if closing else None
    if title:
        draft.fields["origtitle"] = title.group(1) + (title.group(2) or "")
        publisher = chinese[: title.start()].strip(" :：")
        if publisher:
            draft.fields["origpublisher"] = publisher
        rest = chinese[title.end() :]
        date = re.search(r"\d{4}年\d{1,2}月(?:\d{1,2}日)?", rest)
        if date:
            draft.fields["origdate"] = date.group(0)
            rest = rest.replace(date.group(0), " ")
        rest = rest.strip(" ,，。.")
        if rest:
            draft.leftover.append(rest)
    else:
        draft.leftover.append(chinese)
    return "; ".join(parts[:-1])


def _parse_body(work: str, draft: _Draft) -> None:
    book_title = re.match(r"^《([^》]+)》", work)
    if book_title:
        draft.fields["title"] = book_title.group(1)
        draft.quoted_title = True
        _place_leftovers(_split_top(work[book_title.end() :].strip(" ,.。")), draft)
        return
    quote = _find_quote(work, 0)
    if quote is not None and _quote_starts_reference(work, quote[0]):
        before = work[: quote[0]].strip(" ,")
        draft.fields["title"] = _trim_title(work[quote[0] + 1 : quote[1]])
        draft.quoted_title = True
        after = work[quote[1] + 1 :].strip(" ,.")
        if before:
            unplaced = _take_contributors(_split_top(before), draft, keep_last=False)
            draft.leftover.extend(unplaced)
        _parse_tail(after, draft, quoted=True)
        return
    parts = _split_top(work)
    rest_parts = _take_contributors(parts, draft, keep_last=True)
    if not rest_parts:
        return
    rest_parts = _split_off_event(rest_parts, draft)
    rest_parts = _join_genre_subtitle(rest_parts)
    paren_index = next(
        (
            i
            for i, p in enumerate(rest_parts)
            # The lookahead finds `:` or a year once per `(`; as an alternation before
            # `[^()]*\)` it was retried from every `:` (quadratic on a run of colons).
            if re.search(r"\((?=[^()]*(?::|\b(?:19|20)\d\d))[^()]*\)\s*$", p)
        ),
        None,
    )
    if paren_index and any(
        p[:1].islower() and not _EDITION_RE.match(p) for p in rest_parts[1 : paren_index + 1]
    ):
        # `Letter … of China, the Russian Federation, Tajikistan and Uzbekistan … (14 Sept…)`:
        # a title with a list inside it runs up to its pub-info parentheses.
        rest_parts = [", ".join(rest_parts[: paren_index + 1]), *rest_parts[paren_index + 1 :]]
    if _is_tail_item(rest_parts[0]) and "type" in draft.fields:
        # `Security Council resolution 1373 (2001), S/RES/1373 (2001), 28 September 2001`:
        # no title of its own; the resolution is known by its number.
        draft.fields["title"] = draft.fields["type"]
        _parse_tail(", ".join(rest_parts), draft, quoted=False)
        return
    title_part = rest_parts[0]
    paren = re.search(r"\s*\(([^()]*)\)\s*$", title_part)
    tail_start = ", ".join(rest_parts[1:])
    if paren and _is_pubinfo(paren.group(1)):
        tail_start = title_part[paren.start() :] + (", " + tail_start if tail_start else "")
        title_part = title_part[: paren.start()]
    website = _WEBSITE_RE.fullmatch(_trim_title(title_part))
    if website and not draft.authors:
        # `See CSIS website http://…` (004:15): the words name the site, not the page.
        draft.container = website.group(1)
        draft.container_kind = "website"
        _parse_tail(tail_start, draft, quoted=False)
        return
    title, partner = _split_trailing_body(_trim_title(title_part))
    draft.fields["title"] = title
    if partner:
        draft.leftover.append(partner)
    _parse_tail(tail_start, draft, quoted=False)


_WEBSITE_RE = re.compile(r"(?:the\s+)?(.+?)\s+(?:website|web\s+site|homepage|home\s+page)", re.I)


_CLOSER = {"‘": "’", "“": "”"}


def _trim_title(text: str) -> str:
    """Strip the punctuation around a title, but not the closing quote of a quotation inside
    it: `US Covertly Building ‘Shadow Internet,’` keeps its `’` (002:10)."""
    pairs = {"’": "‘", "”": "“"}
    while True:
        text = text.strip(" ,.")
        if text[-1:] in pairs and text.count(pairs[text[-1]]) < text.count(text[-1]):
            text = text[:-1]
        elif text[-1:] in pairs and text[-2:-1] in {",", "."}:
            text = text[:-2] + text[-1]  # `‘Shadow Internet,’`: the comma is the note's
        elif text[:1] in {"‘", "“"} and text.count(text[0]) > text.count(_CLOSER[text[0]]):
            text = text[1:]
        else:
            return text


def _split_trailing_body(title: str) -> tuple[str, str]:
    """`Bilateral Discussions on Cooperation in Cybersecurity China Institute of Contemporary
    International Relations (CICIR)`: a body named with its acronym at the end of an unquoted
    title is a partner, not part of the title (000:15). The acronym must spell the initials
    of the words before it, and some title must remain."""
    match = re.search(r"\s*\(([A-Z]{2,8})\)$", title)
    if match is None:
        return title, ""
    words = title[: match.start()].split(" ")
    letters = match.group(1)
    index = len(words)
    spelled = ""
    while index > 0 and len(spelled) < len(letters):
        word = words[index - 1]
        index -= 1
        if word.lower() in FUNCTION_WORDS:
            continue
        if not word[:1].isupper():
            return title, ""
        spelled = word[0] + spelled
    if spelled != letters or index == 0:
        return title, ""
    return " ".join(words[:index]), title[len(" ".join(words[:index])) :].strip()


_EVENT_WORD = r"\b(?:Meeting|Summit|Conference|Session)"
# `of …` runs to the first full stop but never across a later `<event word> of `: that later
# word is tried first (`.*` is greedy) and ends at the same full stop, so if it failed this one
# fails too. Without the stop, each event word rescanned to the full stop (quadratic).
_EVENT_NAME_RE = re.compile(
    rf"^(?P<event>.*{_EVENT_WORD}(?:\s+of\s(?:(?!{_EVENT_WORD}\s+of\s)[^.])*?)?"
    r"(?:\s+\([A-Z0-9]+\))?)(?:\.\s+(?P<rest>.+))?$"
)


def _split_off_event(rest_parts: list[str], draft: _Draft) -> list[str]:
    """`APEC, 2005 APEC … Ministerial Meeting, Lima Declaration (…)`: the declaration is the
    work, the meeting that issued it goes to `note` (biblatex's misc has no eventtitle).

    Only when what follows the meeting is a genre title (declaration, statement, …), so a
    title that merely names a meeting (`Statement at Budapest Conference …`) stays whole.
    """
    event = _EVENT_NAME_RE.match(rest_parts[0])
    if event is None or GENRE_RE.match(rest_parts[0]):
        return rest_parts
    if event.group("rest"):
        following, remaining = event.group("rest"), rest_parts[1:]
    elif len(rest_parts) > 1:
        following, remaining = rest_parts[1], rest_parts[2:]
    else:
        return rest_parts
    if not re.match(rf"^(?:[A-Z][\w-]*\s+)?{GENRE_RE.pattern}", following):
        return rest_parts
    draft.leftover.append(event.group("event"))
    return [following, *remaining]


def _join_genre_subtitle(rest_parts: list[str]) -> list[str]:
    """`Declaration of Principles, Building the Information Society: A Global Challenge…`:
    a short genre title followed by a `Heading: subheading` part is one title (000:62)."""
    if len(rest_parts) < 2 or not GENRE_RE.match(rest_parts[0]):
        return rest_parts
    following = rest_parts[1]
    if (
        re.search(r"\w: [A-Z]", following)
        and following[:1].isupper()
        and not _is_tail_item(following)
        and not re.search(r"\([^()]*\)\s*$", following)
    ):
        return [rest_parts[0] + ", " + following, *rest_parts[2:]]
    return rest_parts


def _take_contributors(parts: list[str], draft: _Draft, *, keep_last: bool) -> list[str]:
    """Consume leading author/editor/institution parts; return the parts that remain."""
    index = 0
    people: list[str] = []
    while index < len(parts) - (1 if keep_last else 0):
        part = parts[index]
        lowered = part.lower().strip()
        if lowered in {"ed.", "eds.", "(ed.)", "(eds.)", "ed", "eds"}:
            draft.editors.extend(people)
            people = []
            index += 1
            continue
        organ = UN_ORGAN_RE.match(part)
        if part == "United Nations" and index + 1 < len(parts):
            nxt = UN_ORGAN_RE.match(parts[index + 1])
            if nxt:
                draft.authors.append(bibtex_institution(f"United Nations, {nxt.group(1)}"))
                if nxt.group(2):
                    draft.fields["type"] = f"{nxt.group(2).capitalize()} {nxt.group(3)}"
                index += 2
                continue
        if organ:
            draft.authors.append(bibtex_institution(f"United Nations, {organ.group(1)}"))
            if organ.group(2):
                draft.fields["type"] = f"{organ.group(2).capitalize()} {organ.group(3)}"
            index += 1
            continue
        named = split_people(part)
        if named is not None:
            people.extend(bibtex_person(name) for name in named)
            index += 1
            continue
        if (
            not people
            and draft.authors
            and draft.authors[-1].startswith("{")
            and is_institution(part)
            and _is_parent_unit(draft.authors[-1][1:-1], part)
            and (keep_last is False or index + 1 < len(parts))
        ):
            # `The White House, Office of the Press Secretary`: one body, not two.
            draft.authors[-1] = bibtex_institution(draft.authors[-1][1:-1] + ", " + part)
            index += 1
            continue
        following = parts[index + 1] if index + 1 < len(parts) else ""
        affiliation_ok = bool(following) and not _is_tail_item(following)
        if is_institution(part) and (index == 0 or ((draft.authors or people) and affiliation_ok)):
            if people:
                draft.authors.extend(people)
                people = []
                draft.fields.setdefault("institution", part)
            else:
                draft.authors.append(bibtex_institution(part))
            index += 1
            continue
        if index == 0 and keep_last and len(parts) > 1 and _looks_like_website(part):
            draft.authors.append(bibtex_institution(part))
            index += 1
            continue
        break
    draft.authors.extend(people)
    return parts[index:]


_EDITION_RE = re.compile(r"^\w+\s+(?:edn|edition)\b", re.I)


def _is_parent_unit(first: str, second: str) -> bool:
    """Two institution names that are one body: a short parent and its office, either order."""
    return min(len(first.split()), len(second.split())) <= 4 and not (
        first.lower().startswith("the ") and second.lower().startswith("the ")
    )


def _is_tail_item(part: str) -> bool:
    """A part that comes after the title: a date, a year, a page, an edition, a pub-info paren."""
    value = part.strip(" .")
    if find_date(value) is not None and find_date(value)[0] == value:  # type: ignore[index]
        return True
    return bool(
        re.fullmatch(r"(?:19|20)\d\d|\d{1,5}(?:\s*[-–]\s*\d{1,5})?|\(.*\)", value)
        or re.search(r"\b(?:edn|edition)$", value)
    )


def _looks_like_website(part: str) -> bool:
    return bool(re.fullmatch(r"[\w-]+(?:\.[\w-]+)+", part))


def _is_pubinfo(text: str) -> bool:
    """`New York: Palgrave Macmillan, 2012`, `May 2015`, `2014`, `Tallinn: NATO …, 2015`."""
    return bool(re.search(r"\b(?:19|20)\d\d\b", text)) or ":" in text


def _parse_tail(tail: str, draft: _Draft, *, quoted: bool) -> None:
    """Everything after the title: container, pub info, volume/number, date, pages."""
    text = tail.strip(" ,.")
    pages = re.search(r"(?::\s*|,\s*)(\d{1,5}(?:\s*[-–]\s*\d{1,5})?)\s*\.?$", text)
    if pages and not re.search(r"(?:19|20)\d\d$", pages.group(1)):
        draft.fields["pages"] = pages.group(1)
        text = text[: pages.start()].strip(" ,")
    chapter = re.search(r",?\s*chapter\s+(\w+)\s*$", text, re.I)
    if chapter:
        draft.fields["chapter"] = chapter.group(1)
        text = text[: chapter.start()].strip(" ,")
    if re.match(r"^in\s", text):
        _parse_in_book(text[3:], draft)
        return
    parens = list(re.finditer(r"\(([^()]*(?:\([^()]*\)[^()]*)*)\)", text))
    pubinfo = None
    for candidate in reversed(parens):
        if _is_pubinfo(candidate.group(1)):
            pubinfo = candidate
            break
    after_paren = ""
    if pubinfo is not None:
        _parse_pubinfo(pubinfo.group(1), draft)
        after_paren = text[pubinfo.end() :].strip(" ,.")
        text = text[: pubinfo.start()].strip(" ,")
    if after_paren:
        _place_leftovers(_split_top(after_paren), draft)
    parts = _split_top(text)
    if quoted and parts:
        _parse_container(parts, draft)
    else:
        _place_leftovers(parts, draft)


def _parse_in_book(text: str, draft: _Draft) -> None:
    quote = _find_quote(text, 0)
    if quote is not None and quote[0] == 0:
        draft.booktitle = text[1 : quote[1]].strip(" ,.")
        rest = text[quote[1] + 1 :]
    else:
        editor_at = re.search(r",\s*eds?\.\s", text)
        paren_at = text.find(" (")
        cut = min(
            [p for p in (editor_at.start() if editor_at else -1, paren_at) if p >= 0] or [len(text)]
        )
        draft.booktitle = text[:cut].strip(" ,.")
        rest = text[cut:]
    edition = re.search(r",\s*((?:\d+(?:st|nd|rd|th)|[A-Z]?[a-z]+)\s+edition)\s*$", draft.booktitle)
    if edition:
        draft.fields["edition"] = edition.group(1)
        draft.booktitle = draft.booktitle[: edition.start()]
    editors = re.match(r"^\s*,?\s*eds?\.\s+([^(]+?)\s*(?=\(|,|$)", rest)
    if editors:
        names = split_people(editors.group(1).strip())
        if names is None and re.fullmatch(r"[A-Z][a-z]+", editors.group(1).strip()):
            names = [editors.group(1).strip()]  # `ed. Jiang`: a surname alone
        if names:
            for name in names:
                # `Jiang Zemin, ‘…’, in …, ed. Jiang` (000:42): a surname alone that is the
                # author's is that author, written in full.
                same = [a for a in draft.authors if " " not in name and family_name(a) == name]
                draft.editors.append(same[0] if same else bibtex_person(name))
        else:
            draft.leftover.append("ed. " + editors.group(1).strip())
        rest = rest[editors.end() :]
    _parse_tail(rest, draft, quoted=False)


def _parse_pubinfo(text: str, draft: _Draft) -> None:
    """Inside `(…)`: `Place: Publisher, Year`, `Publisher, Year`, `Date`, `Event, Place, Date`."""
    parts = _split_top(text)
    date = find_date(text)
    year_only = re.search(r"\b((?:19|20)\d\d)\b\s*$", text)
    if date is not None:
        draft.fields.setdefault("date", date[0])
        text = (text[: date[1]] + text[date[2] :]).strip(" ,")
    elif year_only:
        draft.fields.setdefault("date", year_only.group(1))
        text = text[: year_only.start()].strip(" ,")
    if not text:
        return
    if ":" in text and len(_split_top(text)) <= 2:
        place, _, publisher = text.partition(":")
        draft.fields.setdefault("location", place.strip())
        if publisher.strip(" ,"):
            draft.fields.setdefault("publisher", publisher.strip(" ,"))
        return
    parts = _split_top(text)
    speaker = split_people(parts[0]) if len(parts) > 1 and not draft.authors else None
    if (
        speaker is not None
        and len(speaker) == 1
        and parts[0].lower() not in KNOWN_PLACES
        and _EVENT_WORD_RE.search(parts[1])
    ):
        # `(Huang Huikang, Budapest Conference, Budapest, 4 October 2012)`: a speech's
        # speaker, then the event and its place (000:90).
        draft.authors.append(bibtex_person(speaker[0]))
        text = ", ".join(parts[1:])
        parts = parts[1:]
    if len(parts) == 1 and not _is_prose(parts[0]):
        if parts[0].lower() in {"speech", "blog"}:
            draft.container_kind = parts[0].lower()
        else:
            draft.fields.setdefault("publisher", parts[0])
        return
    draft.leftover.append("(" + text + ")")


_EVENT_WORD_RE = re.compile(r"\b(?:Conference|Meeting|Summit|Forum|Session|Committee|Congress)\b")


def _parse_container(parts: list[str], draft: _Draft) -> None:
    """After a quoted title: `Container 36`, `no. 456`, `China Brief 15, no. 20`, dates."""
    marker = re.fullmatch(r"\((blog|speech)\)", parts[0].strip())
    if marker:
        draft.container_kind = marker.group(1)
        parts = parts[1:]
        if not parts:
            return
        if marker.group(1) == "speech" and not is_institution(parts[0]):
            _place_leftovers(parts, draft)  # `(speech), The Newseum, Washington, DC`: a venue
            return
    while parts and parts[0].strip().lower() in KNOWN_PLACES:
        draft.fields.setdefault("location", parts[0].strip())
        parts = parts[1:]
    if not parts:
        return
    if (
        len(parts) > 1
        and re.search(r"\D\s\d{1,4}$", parts[1])
        and parts[1][:1].isupper()
        and not re.match(r"(?:No|Vol)\.?\s", parts[1])
        and not any(find_date(p) for p in parts[:2])
        and not re.search(r"\d", parts[0])
    ):
        # `International Review of Law, Computers and Technology 27`: a title with a comma.
        parts = [parts[0] + ", " + parts[1], *parts[2:]]
    if parts[0][:1].islower() and _is_prose(parts[0]):
        _place_leftovers(parts, draft)  # `report from seminar organized by …`: a description
        return
    first = parts[0]
    if first.lower().startswith("in "):
        _parse_in_book(", ".join(parts)[3:], draft)
        return
    date = find_date(first)
    if date is not None and date[1] == 0:
        _place_leftovers(parts, draft)
        return
    blog = re.search(r"\s*\((blog|overseas edition|speech)\)\s*$", first)
    if blog:
        if blog.group(1) == "overseas edition":
            draft.fields["note"] = "overseas edition"
        else:
            draft.container_kind = blog.group(1)
        first = first[: blog.start()]
    series = re.match(
        r"^((?:Discussion|Working|Research|Policy) Paper|Policy Brief)\s+([\w-]+)$", first
    )
    if series:
        draft.fields["type"] = series.group(1)
        draft.fields["number"] = series.group(2)
        draft.fields["institution"] = ", ".join(parts[1:])
        draft.container_kind = "report"
        return
    volume = re.match(r"^(.*?\D)\s+(\d{1,4})(?:\s+no\.\s*(\d+))?$", first)
    if re.search(r"\sno\.\s*\d+$", first) and not re.search(r"\d\s+no\.", first):
        volume = None
    if volume and not re.fullmatch(r"(?:19|20)\d\d", volume.group(2)):
        draft.container = volume.group(1).strip()
        draft.fields["volume"] = volume.group(2)
        if volume.group(3):
            draft.fields["number"] = volume.group(3)
    else:
        number = re.match(r"^(.*?)\s+no\.\s*(\d+)$", first)
        if number:
            draft.container = number.group(1)
            draft.fields["number"] = number.group(2)
        elif first != "speech":
            draft.container = first
    rest = parts[1:]
    while rest and (
        _CONTINUES_CONTAINER_RE.match(rest[0])
        or (is_institution(draft.container) and is_institution(rest[0]))
    ):
        draft.container += ", " + rest.pop(0)
    if (
        rest
        and draft.container
        and not is_institution(draft.container)
        and is_institution(rest[0])
        and rest[0].strip().lower() not in KNOWN_PLACES
    ):
        # `Net Politics, Council on Foreign Relations, …` (002:58): a blog or web series an
        # institution hosts, not a periodical; the host stays in note.
        draft.container_kind = "hosted"
    _place_leftovers(rest, draft)


KNOWN_PLACES = frozenset(
    {"beijing", "geneva", "new york", "tallinn", "shanghai", "brussels", "washington"}
)
_CONTINUES_CONTAINER_RE = re.compile(r"^(?:People’s Republic of China|White House|PRC)$")


def _place_leftovers(parts: Iterable[str], draft: _Draft) -> None:
    """Dates, volumes, issues, editions, places, publishers; the rest is kept in `note`."""
    for raw in parts:
        part = raw.strip(" .")
        if not part:
            continue
        pubinfo = re.fullmatch(r"\(([^()]*)\)", part)
        if pubinfo and ":" in pubinfo.group(1) and _is_pubinfo(pubinfo.group(1)):
            # A second `(Place: Publisher, Year)` (000:40 gives two): fill what is still empty.
            _parse_pubinfo(pubinfo.group(1), draft)
            continue
        date = find_date(part)
        if date is not None and date[0] == part and "date" not in draft.fields:
            draft.fields["date"] = part
            continue
        if re.fullmatch(r"(?:19|20)\d\d", part) and "date" not in draft.fields:
            draft.fields["date"] = part
            continue
        if re.fullmatch(r"(?:vol\.?|volume)\s*\d+", part, re.I):
            draft.fields["volume"] = part
            continue
        if re.fullmatch(r"(?:no\.?|issue)\s*\d+", part, re.I):
            draft.fields.setdefault("number", part)
            continue
        if re.fullmatch(
            r"(?:\d+(?:st|nd|rd|th)|first|second|third|revised)\s+(?:edn|edition)", part, re.I
        ):
            draft.fields["edition"] = part
            continue
        if re.fullmatch(r"chapter\s+\w+", part, re.I):
            draft.fields["chapter"] = part.split()[1]
            continue
        if re.fullmatch(r"[A-Z]{2}", part) and draft.fields.get("location") == "Washington":
            draft.fields["location"] = "Washington, " + part
            continue
        if part.lower() in KNOWN_PLACES:
            draft.fields.setdefault("location", part)
            continue
        if TRADE_PUBLISHER_RE.search(part) and "publisher" not in draft.fields:
            draft.fields["publisher"] = part
            continue
        if not draft.container and is_institution(part) and not _is_prose(part):
            draft.fields.setdefault("institution", part)
            continue
        draft.leftover.append(part)


def _finish(draft: _Draft, urls: tuple[str, ...], symbols: tuple[str, ...], raw: str) -> ParsedWork:
    fields = draft.fields
    problems: list[str] = []
    un_organ = next((a[1:-1] for a in draft.authors if a.startswith("{United Nations")), None)
    entry_type = _choose_type(draft, urls, symbols, un_organ)
    if entry_type == "report" and not draft.authors and draft.container:
        draft.authors.append(bibtex_institution(draft.container))  # the issuing body
    if draft.authors:
        fields["author"] = " and ".join(draft.authors)
    if draft.editors:
        fields["editor"] = " and ".join(draft.editors)
    container = draft.container
    if container:
        if entry_type == "article":
            fields["journaltitle"] = container
        elif entry_type in {"online", "misc"}:
            fields["organization" if is_institution(container) else "journaltitle"] = container
            if "journaltitle" in fields:
                # biblatex @online has no journaltitle; a website's name is its organization.
                fields["organization"] = fields.pop("journaltitle")
        else:
            fields.setdefault("institution", container)
    if draft.booktitle:
        fields["booktitle"] = draft.booktitle
    if entry_type == "report":
        if un_organ:
            fields["institution"] = un_organ
        series = _REPORT_SERIES_RE.fullmatch(fields.get("institution", ""))
        if series and "type" not in fields:
            # `U.S.-China Economic and Security Review Commission Staff Report` (000:16): the
            # body is the institution, the rest is the kind of report.
            fields["institution"], fields["type"] = series.group(1), series.group(2)
        fields.setdefault("institution", family_name(draft.authors[0]) if draft.authors else "")
        fields.setdefault("type", "UN document" if symbols else "Report")
    if symbols:
        fields["number"] = symbols[0]
        if len(symbols) > 1:
            draft.leftover.append("also " + ", ".join(symbols[1:]))
    if draft.leftover:
        note = "; ".join(dict.fromkeys(s.strip() for s in draft.leftover if s.strip()))
        if note:
            fields["note"] = (fields["note"] + "; " + note) if "note" in fields else note
    if not re.search(r"[^\W\d_]", fields.get("title", "")) and not urls:
        problems.append("could not find a title; the raw text is kept in the note field")
        fields = {"note": raw}
        entry_type = "misc"
    if urls:
        fields["url"] = urls[0]
    normalized = normalize_fields({k: v for k, v in fields.items() if v})
    return ParsedWork(entry_type, normalized, urls, symbols, tuple(problems))


GENRE_RE = re.compile(
    r"\b(?:Declaration|Statement|Agreement|Convention|Protocol|Charter|Communiqu[ée]|Speech"
    r"|Annex|Plan of Action|Action Plan|Order of|Final Act)\b"
)
_REPORT_SERIES_RE = re.compile(
    r"(.+?)\s+((?:Staff|Research|Technical|Special|Annual)\s+Report|Working Paper|Policy Brief)"
)
NEWS_ITEM_RE = re.compile(
    r"(?:Readout|Chronicle|Press Release|Fact Sheet|Transcript|News Release|Remarks)\b"
)
TRADE_PUBLISHER_RE = re.compile(
    r"\b(?:Press|Publish\w*|Publications|Springer|Norton|Macmillan|Elsevier|Bloomsbury|Ashgate"
    r"|Routledge|Wiley)\b"
)


def _without_year(date: str) -> str:
    """The date text with its year removed, to see whether a day is given."""
    return re.sub(r"\b(?:19|20)\d\d\b", "", date)


def _choose_type(
    draft: _Draft, urls: tuple[str, ...], symbols: tuple[str, ...], un_organ: str | None
) -> str:
    """The entry type a librarian would pick, limited to what biblatex's data model accepts.

    The rules, in order (README, "Entry types"): a UN document is a report; a chapter in an
    edited book is incollection; a blog post is online; a piece by a named person in a
    journal, newspaper or magazine is an article; a treaty, declaration, statement or speech
    with no container is misc, even when its text is online; a book from a trade or
    university press is a book (collection when only editors are named); a paper issued by an
    institution (as author or publisher) is a report; what is left and has a URL is online.
    """
    fields = draft.fields
    people = [a for a in draft.authors if not a.startswith("{")]
    institutions = [a for a in draft.authors if a.startswith("{")]
    publisher = fields.get("publisher", "")
    if symbols or un_organ or draft.container_kind == "report":
        return "report"
    if draft.booktitle:
        return "incollection" if draft.editors and draft.authors else "misc"
    if draft.container_kind in {"blog", "website", "hosted"} and urls:
        return "online"
    if draft.container and people and not is_institution(draft.container):
        return "article"
    if draft.container and people and "volume" in fields:
        return "article"  # `American Society of International Law 15 (2011)`: a serial
    genre_text = fields.get("title", "") + " " + " ".join(draft.leftover)
    event = any(part.startswith("(") for part in draft.leftover)
    quoted_genre = GENRE_RE.match(fields.get("title", "")) is not None or event
    if (
        not draft.container
        and GENRE_RE.search(genre_text)
        and (not draft.quoted_title or quoted_genre)
    ):
        return "misc"
    day_dated = bool(re.search(r"\d{1,2}", _without_year(fields.get("date", ""))))
    if draft.container and is_institution(draft.container) and not (urls and day_dated):
        # A paper issued by an institution (`EastWest Institute (2013)`), not a web page.
        if not draft.authors:
            draft.authors.extend(
                bibtex_institution(name.strip()) for name in draft.container.split(" and ")
            )
        draft.fields.setdefault("institution", draft.container)
        draft.container = ""
        return "report"
    if publisher and draft.editors and not draft.authors:
        return "collection"
    if publisher and draft.authors and TRADE_PUBLISHER_RE.search(publisher):
        return "book"
    if publisher and people and is_institution(publisher):
        fields.setdefault("institution", publisher)
        return "report"
    if publisher and draft.authors and "location" in fields:
        return "book"
    if urls and not draft.container and NEWS_ITEM_RE.match(fields.get("title", "")):
        # `The White House, …, Readout of …, 12 September 2015, http://…` (000:99): a news
        # item an institution posts on its website, not a paper it issues.
        return "online"
    if (
        institutions
        and not draft.container
        and not all(_looks_like_website(a[1:-1]) for a in institutions)
    ):
        year_dated = bool(fields.get("date")) and not day_dated
        if not draft.quoted_title or year_dated:
            return "report"
    if urls:
        return "online"
    if draft.authors and fields.get("title") and publisher:
        return "book"
    return "misc"


# ---------------------------------------------------------------- step 3: linking and keys


def _title_tokens(title: str) -> list[str]:
    return [t for t in re.findall(r"\w+", title.lower()) if t not in FUNCTION_WORDS]


# A short form is matched against at most this many earlier works that share its first
# title word, latest first: enough for any real text, and it keeps a hostile note with
# thousands of look-alike clauses linear.
MAX_SHORT_FORM_CANDIDATES = 256


@dataclass
class _WorkIndex:
    """The works of one document so far, indexed so that linking a clause costs about the
    same however many works came before it (a note may hold thousands of clauses)."""

    works: list[Citation] = field(default_factory=list)
    latest_with_symbol: dict[str, int] = field(default_factory=dict)
    by_first_title_word: dict[str, list[tuple[Citation, list[str]]]] = field(default_factory=dict)
    first_with_identity: dict[tuple[str, str, str], Citation] = field(default_factory=dict)

    def add(self, work: Citation) -> None:
        for symbol in work.un_symbols:
            self.latest_with_symbol[symbol] = len(self.works)
        self.works.append(work)
        tokens = _title_tokens(work.fields.get("title", ""))
        if tokens:
            self.by_first_title_word.setdefault(tokens[0], []).append((work, tokens))
        self.first_with_identity.setdefault(_identity(work.fields), work)


def _short_form_target(text: str, index: _WorkIndex) -> Citation | None:
    """The earlier work a short form names: `Austin, Cyber Policy in China, chapter 3`."""
    symbols = {s.canonical for s in find_symbols(text)}
    body = re.sub(r",\s*(?:chapter\s+\w+|\d{1,4}(?:\s*[-–]\s*\d{1,4})?)\.?$", "", text.strip())
    body = body.strip(' .‘’“”"')
    latest = max((index.latest_with_symbol.get(s, -1) for s in symbols), default=-1)
    if latest >= 0:
        return index.works[latest]
    head, _, tail = body.partition(", ")
    candidates = [(head, tail), (head, tail.split(",")[0]), ("", body)]
    for author, title in candidates:
        tokens = _title_tokens(re.sub(r"^eds?\.,\s*", "", title.strip(' ‘’“”"')))
        if len(tokens) < 2:
            continue
        candidates_by_word = index.by_first_title_word.get(tokens[0], [])
        for work, work_tokens in reversed(candidates_by_word[-MAX_SHORT_FORM_CANDIDATES:]):
            overlap = sum(1 for t in tokens if t in work_tokens) / len(tokens)
            if overlap < 0.75:
                continue
            if author:
                names = [
                    family_name(n).lower() for n in split_name_list(work.fields.get("author", ""))
                ] + [family_name(n).lower() for n in split_name_list(work.fields.get("editor", ""))]
                surnames = {w for n in names for w in re.findall(r"\w+", n)}
                author_words = set(re.findall(r"\w+", author.lower())) - {"and", "eds", "ed"}
                if not author_words & surnames and not is_institution(author):
                    continue
            return work
    return None


def _back_reference(
    citation: Citation, target: Citation, own_pages: tuple[str, str] | None
) -> Citation:
    """A citation of `target`'s work from another place: same key and fields, its own page."""
    fields = dict(target.fields)
    fields.pop("pages", None)
    fields.pop("chapter", None)
    if own_pages:
        fields[own_pages[0]] = own_pages[1]
    return replace(
        citation,
        key=target.key,
        type=target.type,
        fields=fields,
        urls=citation.urls or target.urls,
        un_symbols=citation.un_symbols or target.un_symbols,
        refers_to=target.key,
    )


def _own_pages(text: str) -> tuple[str, str] | None:
    """The page (`("pages", "4")`) or chapter (`("chapter", "3")`) a back reference names."""
    match = _OWN_PAGES_RE.search(text.strip())
    if not match:
        return None
    if match.group(1):
        return ("chapter", match.group(1))
    return ("pages", normalize_fields({"pages": match.group(2)})["pages"])


_OWN_PAGES_RE = re.compile(
    r"(?:,\s*|[”’\"]\s+|^)(?:chapter\s+(\w+)|(\d{1,4}(?:\s*[-–]\s*\d{1,4})?))\.?$", re.I
)


def _identity(fields: Mapping[str, str]) -> tuple[str, str, str]:
    """What makes two citations one work: title words, year and container (URL if untitled).

    `The Internet in China` (a white paper) and `‘The Internet in China,’ English.news.cn`
    (a news item about it) share a title and a year but not a container.
    """
    title = " ".join(_title_tokens(fields.get("title", ""))) or fields.get("url", "")
    container = fields.get("journaltitle") or fields.get("organization") or ""
    return title, fields.get("year", ""), container.lower()


def cite_note(note: Note) -> list[tuple[Clause, ParsedWork | None]]:
    """Split one note and parse its works (no keys yet)."""
    out: list[tuple[Clause, ParsedWork | None]] = []
    for clause in find_works(note.text):
        if clause.kind in {"work", "short"}:
            try:
                parsed = parse_reference(clause.text, note.urls)
            except (ValueError, IndexError, KeyError, AttributeError) as error:
                # A parser bug on an odd note must not stop the run: keep the words, say why.
                parsed = ParsedWork(
                    "misc",
                    {"title": "", "note": clause.text},
                    tuple(find_urls(clause.text)),
                    (),
                    (f"the parser failed on this clause ({type(error).__name__}: {error})",),
                )
            out.append((clause, parsed))
        elif clause.kind in {"ibid", "extra-url"}:
            out.append((clause, None))
    return out


def cite_document(document: NotedDocument) -> CitedDocument:
    """Parse and link the notes of one document; keys are provisional until `cite_corpus`."""
    index = _WorkIndex()
    notes: list[CitedNote] = []
    previous: list[Citation] = []
    counter = 0
    for note in document.notes:
        place = note_place(document.path, note)
        citations = [  # works cited by .bib key (cite/entries.py)
            Citation(w.key, w.type, w.fields, place, w.raw, w.urls, refers_to=w.refers_to)
            for w in entry_works(document.notes, note)
        ]
        for clause, parsed in cite_note(without_cited_keys(note)):  # minus the .bib works
            if clause.kind == "ibid":
                target = citations[-1] if citations else (previous[-1] if previous else None)
                if target is None:
                    continue
                base = Citation(target.key, target.type, {}, place, clause.text)
                citations.append(_back_reference(base, target, _own_pages(clause.text[4:])))
                continue
            if clause.kind == "extra-url":
                _attach_extra(citations, clause.text, note)
                continue
            if parsed is None:
                continue
            raw = Citation(
                key="",
                type=parsed.type,
                fields=parsed.fields,
                place=place,
                raw=clause.text,
                urls=parsed.urls,
                un_symbols=parsed.symbols,
                problems=tuple(f"note {note.number}: {p}" for p in parsed.problems),
            )
            target = _short_form_target(clause.text, index) if not parsed.urls else None
            if target is None and clause.kind == "short":
                continue  # a capitalised phrase that names no earlier work: commentary
            if target is None:
                identity = _identity(parsed.fields)
                target = index.first_with_identity.get(identity) if identity[0] else None
            if target is not None:
                citations.append(_back_reference(raw, target, _own_pages(clause.text)))
                continue
            counter += 1
            first = replace(raw, key=f"#{counter}")
            index.add(first)
            citations.append(first)
        notes.append(CitedNote(note.number, note.line, tuple(citations)))
        if citations:
            previous = citations
    return CitedDocument(document.path, tuple(notes))


def _attach_extra(citations: list[Citation], text: str, note: Note) -> None:
    if not citations:
        return
    last = citations[-1]
    urls = tuple(dict.fromkeys(last.urls + tuple(_take_urls(text, note.urls))))
    fields = dict(last.fields)
    extra = text
    for url in find_urls(text):
        extra = extra.replace(url, "").strip()
    extra = extra.strip(" .")
    # `A full version can be found … at <url>`: the URL goes to `url`; the sentence must not
    # end on the preposition that pointed at it.
    extra = re.sub(r"\s+(?:at|on|in|from|via)$", "", extra)
    if extra:
        fields["note"] = (fields["note"] + "; " + extra) if "note" in fields else extra
    if urls and "url" not in fields:
        fields["url"] = urls[0]
    citations[-1] = replace(last, urls=urls, fields=fields)


def make_key_base(fields: Mapping[str, str]) -> str:
    """author-or-institution + year + first significant title word, lowercase ASCII."""
    names = fields.get("author") or fields.get("editor") or ""
    first = split_name_list(names)[0] if names else ""
    name_part = ""
    if first.startswith("{"):
        institution = first[1:-1]
        acronym = re.search(r"\(([A-Z][A-Za-z/]{1,9})\)", institution)
        words = [w for w in re.split(r"[\s,\-/]+", institution) if w and w[0].isupper()]
        if acronym:
            name_part = acronym.group(1)
        elif len(words) >= 3:
            name_part = "".join(w[0] for w in words)
        else:
            name_part = words[0] if words else institution
    elif first:
        name_part = family_name(first)
    year = fields.get("year", "") or "nd"
    title_words = [
        w
        for w in re.findall(r"[^\W_]+", _ascii(fields.get("title", "")))
        if w.lower() not in FUNCTION_WORDS
    ]
    # The first significant word that starts with a letter (`2015 7th International …` →
    # `international`), so that a key never starts with a digit.
    lettered = [w for w in title_words if w[0].isalpha()]
    word = lettered[0] if lettered else ""
    if not word:
        host = urlsplit(fields.get("url", "")).netloc.lower().removeprefix("www.")
        label = re.sub(r"[^a-z0-9]", "", host.split(".")[0]) if host else ""
        word = ("site" + label if label[:1].isdigit() else label) or "untitled"
    if not name_part:
        # No author: start with the title word so that the key starts with a letter.
        return (word.lower() + year).replace(" ", "")
    return (_ascii(name_part).lower() + year + word.lower()).replace(" ", "")


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^A-Za-z0-9 ]", "", decomposed.encode("ascii", "ignore").decode())


def cite_corpus(documents: Sequence[NotedDocument]) -> tuple[CitedDocument, ...]:
    """Cite every document and give each work a readable key unique in the whole corpus.

    Within one text, one work has one key. Across texts, keys never repeat even for the same
    work, so that the per-text .bib files can be loaded together (biber rejects a key that
    appears in two files): the second text's copy gets the next letter.
    """
    cited = [cite_document(d) for d in documents]
    bases: dict[str, list[tuple[int, str]]] = {}
    for index, document in enumerate(cited):
        for work in document.works:
            bases.setdefault(make_key_base(work.fields), []).append((index, work.key))
    final: dict[tuple[int, str], str] = {}
    for base, members in bases.items():
        if len(members) == 1:
            final[members[0]] = base
        else:
            for position, member in enumerate(members):
                final[member] = base + _letters(position)
    result = []
    for index, document in enumerate(cited):
        provisional = {work.key: final[(index, work.key)] for work in document.works}
        notes = tuple(
            replace(
                note,
                citations=tuple(
                    replace(
                        c,
                        key=provisional[c.key],
                        refers_to=provisional[c.refers_to] if c.refers_to else None,
                    )
                    for c in note.citations
                ),
            )
            for note in document.notes
        )
        result.append(CitedDocument(document.path, notes))
    return tuple(result)


def _letters(index: int) -> str:
    text = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        text = chr(ord("a") + rem) + text
    return text


def citation_json(citation: Citation) -> dict[str, object]:
    """The JSON shape of one citation (README: extract --format json)."""
    return {
        "key": citation.key,
        "type": citation.type,
        "fields": dict(citation.fields),
        "urls": list(citation.urls),
        "un_symbols": list(citation.un_symbols),
        "refers_to": citation.refers_to,
        "problems": list(citation.problems),
    }
