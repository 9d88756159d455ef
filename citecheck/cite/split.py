"""Step 1 of citing: cut a note into the works it cites (*splitting*).

`find_works(text)` cuts a note into clauses at work boundaries (`;` outside brackets and
quotations, sentence ends, `such as:`), drops the lead-in (`See for example,`, `…, see`, `Both
quoted in`) and classifies each clause as a work, a back reference (`Ibid.`, a short form), an
extra URL for the work before it, or commentary. The text helpers it needs (URLs, quotations,
top-level commas) are shared with the field parser and live here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from citecheck.cite.fields import find_date
from citecheck.cite.symbols import find_symbols

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
CJK_RE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef《》]")
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
    """The URLs written in `text`, as `url_spans` delimits them."""
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
            if following and CJK_RE.match(following[0]):
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
    masked = mask_quotes_and_urls(clause)
    last = None
    for cue in _INNER_CUE_RE.finditer(masked):
        last = cue
    if last is not None and last.start() > 0:
        lead = clause[: last.end()]
        bare_see = last.group(0).lower().startswith("see")
        if not bare_see or is_prose(lead):
            return lead, clause[last.end() :]
    return "", clause


def mask_quotes_and_urls(text: str) -> str:
    """`text` with every URL and quotation overwritten by `x`, same length: punctuation inside
    them (commas, semicolons, brackets) then never counts as structure."""
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
        found = find_quote(text, i)
        if found is None:
            return spans
        spans.append((found[0], found[1] + 1))
        i = found[1] + 1


def is_prose(text: str) -> bool:
    """Running prose rather than names and titles: three or more lowercase content words."""
    words = re.findall(r"[A-Za-z’']+", text)
    lower = [w for w in words if w[0].islower() and w not in FUNCTION_WORDS]
    return len(lower) >= 3


def _has_work_features(text: str) -> bool:
    """A clause that cites: a URL, a quoted title, (Place: Publisher, Year), a UN symbol, a date."""
    if url_spans(text) or find_symbols(text):
        return True
    quote = find_quote(text, 0)
    if quote is not None and quote_starts_reference(text, quote[0]):
        return True
    if re.search(r"\([^()]*\b(?:19|20)\d\d\)", text):
        return True
    # A date counts only when it stands as its own part: `…, May 29, 2015, …`, not inside prose.
    return any(
        ((found := find_date(part)) is not None and found[0] == part.strip(" ."))
        or re.fullmatch(r"(?:19|20)\d\d", part.strip(" ."))
        for part in split_top(text)[1:]
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
    head_is_prose = is_prose(mask_quotes_and_urls(rest).split(",")[0])
    if features and has_url and head_is_prose and find_quote(rest, 0) is None:
        return "extra-url" if has_work else "work"
    if features and not (head_is_prose and not has_url):
        return "work"
    if lead.lower().startswith("see") and not is_prose(rest):
        return "glue"
    if lead and is_prose(rest):
        return "short"
    return "commentary" if is_prose(rest) else "short"


def _parenthesised_works(clause: str) -> list[str]:
    """Works cited in parentheses inside a prose sentence.

    `… the website of the 2015 conference (GCCS2015, https://www.gccs2015.com/), and the
    INCYDER database (NATO …, ‘INCYDER,’ https://ccdcoe.org/incyder.html).` cites two works.
    """
    head = mask_quotes_and_urls(clause).split("(")[0]
    if not is_prose(head):
        return []
    found = []
    depth = 0
    start = 0
    masked = mask_quotes_and_urls(clause)
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
def find_quote(text: str, start: int) -> tuple[int, int] | None:
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


def quote_starts_reference(text: str, open_at: int) -> bool:
    """A quotation is a title when it opens the clause or follows the author part."""
    before = text[:open_at].strip()
    if not before:
        return True
    if before.endswith(",") or before.endswith(" in"):
        return not is_prose(before)
    return False


def split_top(text: str, sep: str = ",") -> list[str]:
    """Split at `sep` outside brackets and quotations."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    masked = mask_quotes_and_urls(text)
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
