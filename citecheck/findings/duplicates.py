"""Duplicate sources: the same work cited in full more than once, within a text or across texts.

Two citations are the same work only on positive evidence, tried in this order:
a shared UN symbol; a shared specific URL (not a site's front page) with
titles that do not contradict it; or a title match with agreeing authors and
dates. Different UN symbols, different numbers in the titles (35th versus
36th report) or dates more than a day apart veto a title match, because
recurring documents (annual resolutions, regular press conferences) share
their titles. Back references (Ibid., short forms) are never duplicates.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from rapidfuzz import fuzz

from citecheck.cite.citation import Citation
from citecheck.findings.dates import DateSpan, gap_days, parse_span
from citecheck.findings.finding import Cluster, Conflict, Finding, FindingKind, Severity, Variant

TITLE_SAME = 90
"""token_sort_ratio at or above which two titles say the same in other words or order."""

AUTHOR_SAME = 85
"""token_set_ratio at or above which two author strings name the same person or body."""

TITLE_NOT_CONTRADICTING = 50
"""Below this, two citations of one URL name different things (an index page cited twice)."""


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS = _word_set("a an and as at by for from in into of on or the to with its their s")
GENERIC_WORDS = _word_set(
    """white paper book report statement speech remarks address interview briefing press
    conference regular spokesperson foreign ministry affairs meeting letter note annual
    official text full document news release transcript"""
)
"""Words that say what kind of document it is, not which one: they never make a match alone."""

AUTHOR_FIELDS = ("author", "editor", "institution")
"""Who made the work; `organization` is left out: for web pages it names the site (Xinhua),
not the author, and would veto a match on a page that reposts a document."""

MORE_PREPOSITIONS = _word_set(
    """about above across after against along among around before behind below beneath beside
    between beyond concerning despite during over past per regarding since through throughout
    toward towards under upon via within without"""
)
"""Prepositions a title may trade for another (`Report about ...` / `Report on ...`): ignored
when matching titles, though a title that differs only in one is still shown as written."""

SUBTITLE = re.compile(r"\s*(?::|\s[-–—]\s|[–—])\s*")
"""Where a subtitle starts: a colon or a dash between words (`Title: Subtitle`, `Title — ...`)."""

_WORD = re.compile(r"[^\W_]+")
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class Profile:
    """What the matcher compares, computed once per citation."""

    citation: Citation
    title: str
    title_tokens: tuple[str, ...]
    distinctive: frozenset[str]
    numbers: frozenset[str]
    author: str
    author_tokens: tuple[str, ...]
    span: DateSpan | None
    url_keys: frozenset[str]
    match_tokens: tuple[str, ...] = ()
    """Title words as matched: stopwords and prepositions dropped (hyphens split words)."""
    main_tokens: tuple[str, ...] = ()
    """`match_tokens` of the title before its subtitle; empty when it has none."""


def _fold(text: str) -> str:
    """Lower-case, strip accents, unify quotes and drop possessive 's."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("’", "'").replace("‘", "'")
    return re.sub(r"'s\b", "", text)


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(w for w in _WORD.findall(_fold(text)) if w not in STOPWORDS)


def default_url_key(url: str) -> str:
    """Scheme-, `www.`-, case- and trailing-slash-insensitive form of a URL, fragment dropped."""
    parts = urlsplit(url if "://" in url else "http://" + url)
    host = (parts.hostname or "").removeprefix("www.")
    path = parts.path.rstrip("/")
    for index in ("/index.html", "/index.htm", "/index.php", "/default.aspx"):
        path = path.removesuffix(index)
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


def is_specific(url_key: str) -> bool:
    """A URL that names one page, not a site's front page or a top-level section."""
    path = url_key.partition("/")[2].partition("?")[0]
    return path.count("/") >= 1 or "." in path


def _match_tokens(text: str) -> tuple[str, ...]:
    return tuple(t for t in _tokens(text) if t not in MORE_PREPOSITIONS)


def profile(citation: Citation, url_key: Callable[[str], str] = default_url_key) -> Profile:
    title = citation.fields.get("title", "")
    tokens = _tokens(title)
    parts = SUBTITLE.split(title, maxsplit=1)
    author = next((citation.fields[f] for f in AUTHOR_FIELDS if citation.fields.get(f)), "")
    span = parse_span(citation.fields["date"]) if citation.fields.get("date") else None
    return Profile(
        citation=citation,
        title=title,
        title_tokens=tokens,
        distinctive=frozenset(t for t in tokens if t not in GENERIC_WORDS and not t.isdigit()),
        numbers=frozenset(_NUMBER.findall(title)),
        author=author,
        author_tokens=tuple(t for t in _tokens(author) if len(t) > 1),
        span=span if isinstance(span, DateSpan) else None,
        url_keys=frozenset(k for k in (url_key(u) for u in citation.urls) if is_specific(k)),
        match_tokens=_match_tokens(title),
        main_tokens=_match_tokens(parts[0]) if len(parts) == 2 else (),
    )


def _author_similarity(a: Profile, b: Profile) -> float | None:
    if not a.author_tokens or not b.author_tokens:
        return None
    return fuzz.token_set_ratio(" ".join(a.author_tokens), " ".join(b.author_tokens))


def joined_compounds(tokens: tuple[str, ...], other: frozenset[str]) -> tuple[str, ...]:
    """`tokens` with each pair of neighbours that `other` writes as one word joined:
    `cyber security` becomes `cybersecurity` when the other title spells it closed (a
    hyphenated `cyber-security` is already two words)."""
    joined: list[str] = []
    i = 0
    while i < len(tokens):
        if i + 1 < len(tokens) and tokens[i] + tokens[i + 1] in other:
            joined.append(tokens[i] + tokens[i + 1])
            i += 2
        else:
            joined.append(tokens[i])
            i += 1
    return tuple(joined)


def comparable(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, str]:
    """Two titles' words with compounds spelled alike, ready for a fuzzy comparison."""
    return (
        " ".join(joined_compounds(a, frozenset(b))),
        " ".join(joined_compounds(b, frozenset(a))),
    )


def _title_similarity(a: Profile, b: Profile) -> float | None:
    if not a.title_tokens or not b.title_tokens:
        return None
    written = fuzz.token_sort_ratio(" ".join(a.title_tokens), " ".join(b.title_tokens))
    if not a.match_tokens or not b.match_tokens:
        return written
    return max(written, fuzz.token_sort_ratio(*comparable(a.match_tokens, b.match_tokens)))


def same_main_title(a: Profile, b: Profile) -> bool:
    """One title is the other with a subtitle added (or both share the part before it), and
    that part names something: two distinctive words at least."""
    for main, whole in ((a.main_tokens, b.match_tokens), (b.main_tokens, a.match_tokens)):
        if main and len([t for t in main if t not in GENERIC_WORDS and not t.isdigit()]) >= 2:
            left, right = comparable(main, whole)
            if left == right:
                return True
    if a.main_tokens and b.main_tokens:
        left, right = comparable(a.main_tokens, b.main_tokens)
        return left == right and len(a.main_tokens) >= 3
    return False


def _day_precise(span: DateSpan | None) -> bool:
    return span is not None and span.first == span.last


def is_short_form(p: Profile) -> bool:
    """No date, URL or symbol: a short form (`Austin, Cyber Policy in China`) even if unmarked."""
    return p.span is None and not p.citation.urls and not p.citation.un_symbols


def same_work(a: Profile, b: Profile) -> str | None:
    """The evidence that two full citations cite one work, or None when there is not enough."""
    symbols_a, symbols_b = set(a.citation.un_symbols), set(b.citation.un_symbols)
    symbol_conflict = bool(symbols_a and symbols_b and not symbols_a & symbols_b)
    if symbols_a & symbols_b:
        return f"same UN symbol {sorted(symbols_a & symbols_b)[0]}"
    title_similarity = _title_similarity(a, b)
    shared_urls = a.url_keys & b.url_keys
    if (
        shared_urls
        and not symbol_conflict
        and (title_similarity is None or title_similarity >= TITLE_NOT_CONTRADICTING)
    ):
        return "same URL"
    if is_short_form(a) or is_short_form(b):
        return None
    if a.numbers and b.numbers and a.numbers != b.numbers:
        return None
    if title_similarity is None or min(len(a.distinctive), len(b.distinctive)) < 2:
        return None
    if a.span is not None and b.span is not None and gap_days(a.span, b.span) > 1:
        return None
    author_similarity = _author_similarity(a, b)
    if author_similarity is not None and author_similarity < AUTHOR_SAME:
        return None
    same_day = _day_precise(a.span) and _day_precise(b.span) and a.span == b.span
    contained = a.distinctive <= b.distinctive or b.distinctive <= a.distinctive
    if symbol_conflict:
        # Recurring UN documents share titles; only the same title on the same day is one work.
        if same_day and (title_similarity >= TITLE_SAME or contained):
            return "same title and day, different UN symbols"
        return None
    both_dated = a.span is not None and b.span is not None
    if title_similarity >= TITLE_SAME:
        if both_dated or author_similarity is not None:
            return "same title, author and date"
        return None
    if same_main_title(a, b) and (both_dated or author_similarity is not None):
        return "same title, one with a subtitle"
    if contained and author_similarity is not None and same_day:
        return "same author and day, one title within the other"
    return None


def _candidate_pairs(profiles: Sequence[Profile]) -> set[tuple[int, int]]:
    """Pairs sharing a symbol, a URL or a distinctive title word: the only ones that can match."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(profiles):
        for symbol in p.citation.un_symbols:
            index["s:" + symbol].append(i)
        for key in p.url_keys:
            index["u:" + key].append(i)
        for word in p.distinctive:
            index["t:" + word].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in index.values():
        if len(members) > 200:
            continue
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if i != j:
                    pairs.add((min(i, j), max(i, j)))
    return pairs


def _bare_url(url: str) -> str:
    return url.split("://", 1)[-1].removeprefix("www.").rstrip("/")


def is_repeated_in_full(citation: Citation) -> bool:
    """A citation the parser linked to an earlier one that still gives its own URL, symbol or date.

    The parser links every later citation of a work to the first (`refers_to`)
    and copies that work's fields, so `Ibid., 9` and a second full citation
    look alike; only the note's own text tells them apart.
    """
    if citation.refers_to is None:
        return False
    raw = "".join(citation.raw.split())
    written = "".join(citation.fields.get("date_written", "").split())
    return (
        any("".join(_bare_url(u).split()) in raw for u in citation.urls)
        or any(symbol in raw for symbol in citation.un_symbols)
        or (len(written) >= 6 and written in raw)
    )


def find_clusters(
    citations: Iterable[Citation], url_key: Callable[[str], str] = default_url_key
) -> list[Cluster]:
    """Group the full citations of each work cited more than once.

    Back references (Ibid., short forms) are skipped; a work repeated in full
    after a first citation joins that first citation's cluster.
    """
    given = list(citations)
    full = [c for c in given if c.refers_to is None or is_repeated_in_full(c)]
    profiles = [profile(c, url_key) for c in full]
    parent = list(range(len(profiles)))
    reasons: dict[int, set[str]] = defaultdict(set)
    first_of_key = {c.key: i for i, c in reversed(list(enumerate(full))) if c.refers_to is None}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    repeats = {
        (min(first_of_key[c.refers_to], i), max(first_of_key[c.refers_to], i)): "repeated in full"
        for i, c in enumerate(full)
        if c.refers_to is not None and c.refers_to in first_of_key
    }
    for i, j in sorted(_candidate_pairs(profiles) | set(repeats)):
        reason = repeats.get((i, j)) or same_work(profiles[i], profiles[j])
        if reason is None:
            continue
        ri, rj = root(i), root(j)
        merged = reasons[ri] | reasons[rj] | {reason}
        parent[max(ri, rj)] = min(ri, rj)
        reasons[min(ri, rj)] = merged
    groups: dict[int, list[Profile]] = defaultdict(list)
    for i, p in enumerate(profiles):
        groups[root(i)].append(p)
    clusters = [_cluster(members, reasons[r]) for r, members in groups.items() if len(members) > 1]
    return sorted(
        clusters, key=lambda c: (c.variants[0].place.document, c.variants[0].place.line or 0)
    )


def _completeness(p: Profile) -> tuple[int, int]:
    filled = sum(1 for v in p.citation.fields.values() if v)
    precision = 0 if p.span is None else -(p.span.last - p.span.first).days
    return (filled + len(p.citation.urls) + len(p.citation.un_symbols), precision)


def _cluster(members: list[Profile], reasons: set[str]) -> Cluster:
    ordered = sorted(
        members,
        key=lambda p: (p.citation.place.document, p.citation.place.line or 0, p.citation.key),
    )
    canonical = max(ordered, key=_completeness)
    variants = tuple(
        Variant(
            key=p.citation.key,
            place=p.citation.place,
            title=p.title,
            author=p.author.replace("{", "").replace("}", ""),  # biblatex braces
            date=p.citation.fields.get("date", ""),
            urls=p.citation.urls,
            un_symbols=p.citation.un_symbols,
            raw=p.citation.raw,
        )
        for p in ordered
    )
    return Cluster(
        key=canonical.citation.key,
        variants=variants,
        conflicts=_conflicts(ordered),
        reasons=tuple(sorted(reasons)),
    )


def _distinct(values: Iterable[str], key: Callable[[str], str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for value in values:
        if value and key(value) not in seen:
            seen[key(value)] = value
    return tuple(seen.values())


def _conflicts(members: Sequence[Profile]) -> tuple[Conflict, ...]:
    """Fields the variants disagree on; precision alone (2010 versus 2010-06-08) is not one."""
    conflicts: list[Conflict] = []
    titles = _distinct((p.title for p in members), lambda t: " ".join(_tokens(t)))
    if len(titles) > 1:
        conflicts.append(Conflict("title", titles))
    spans = [p.span for p in members if p.span is not None]
    if spans and min(s.last for s in spans) < max(s.first for s in spans):
        # Some pair is apart exactly when the earliest end precedes the latest start: linear,
        # where comparing every pair was quadratic for a work cited thousands of times.
        conflicts.append(Conflict("date", _distinct((s.text for s in spans), str)))
    url_sets = {p.url_keys for p in members if p.url_keys}
    if len(url_sets) > 1:
        conflicts.append(
            Conflict("url", _distinct((u for p in members for u in p.citation.urls), str))
        )
    symbol_sets = {frozenset(p.citation.un_symbols) for p in members if p.citation.un_symbols}
    if len(symbol_sets) > 1:
        conflicts.append(
            Conflict(
                "un_symbols",
                _distinct((" ".join(p.citation.un_symbols) for p in members), str),
            )
        )
    return tuple(conflicts)


def _where(variants: Sequence[Variant]) -> str:
    by_document: dict[str, list[str]] = defaultdict(list)
    for v in variants:
        by_document[v.place.document].append(str(v.place.note))
    return "; ".join(
        f"{doc} note{'s' if len(notes) > 1 else ''} {', '.join(notes)}"
        for doc, notes in by_document.items()
    )


CONFLICT_NOUNS = {"title": "titles", "date": "dates", "url": "URLs", "un_symbols": "symbol sets"}


def _usual_title(cluster: Cluster) -> str:
    """The title most variants use (the canonical variant's on a tie), for the message."""
    canonical = next((v.title for v in cluster.variants if v.key == cluster.key), "")
    counts: dict[str, int] = defaultdict(int)
    for variant in cluster.variants:
        if variant.title:
            counts[variant.title] += 1
    if not counts:
        return canonical or cluster.key
    return max(counts, key=lambda title: (counts[title], title == canonical))


def duplicate_findings(clusters: Iterable[Cluster]) -> list[Finding]:
    """One finding per cluster; conflicting variants make it medium, consistent ones low."""
    findings: list[Finding] = []
    for cluster in clusters:
        name = _usual_title(cluster)
        count = len(cluster.variants)
        differences = [f"{len(c.values)} {CONFLICT_NOUNS[c.field]}" for c in cluster.conflicts]
        if differences:
            advice = f"under {', '.join(differences)}; cite it one way"
        elif len(cluster.documents) == 1:
            advice = "in full; use a short form after the first full citation"
        else:
            advice = "consistently; nothing to correct unless the texts are merged"
        findings.append(
            Finding(
                kind=FindingKind.DUPLICATE_SOURCE,
                severity=Severity.MEDIUM if cluster.conflicts else Severity.LOW,
                message=f"“{name}” is cited {count} times ({_where(cluster.variants)}) {advice}.",
                places=tuple(v.place for v in cluster.variants),
                subject=cluster.key,
                evidence=tuple(("reason", r) for r in cluster.reasons),
                cluster=cluster,
            )
        )
    return findings
