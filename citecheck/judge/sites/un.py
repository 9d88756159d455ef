"""UN documents: read the symbol in old URLs, point at the current access URL, check dates.

What we know of the site, and where from (looked up 2026-11-22 with the search tool):

- Every UN document has a symbol (`A/RES/53/70`, `S/RES/1440 (2002)`, `A/C.1/53/L.17`);
  all language versions share it (UN Library research guide, research.un.org/en/docs/symbols).
  The General Assembly has put the session number in every symbol since 1976 (same guide),
  so an arabic session number is only read from symbols, never guessed for older ones.
- The retired Official Document System links carried the symbol in the URL:
  `www.un.org/ga/search/view_doc.asp?symbol=A/65/PV.22&Lang=E` answered with a frameset
  whose document frame pointed at daccess-ods.un.org (a 2017 note on scraping it,
  found via the code corpus); `daccess-ods.un.org/access.nsf/Get?Open&DS=…&Lang=E` took
  the symbol in `DS`. `daccess-dds-ny.un.org/doc/UNDOC/GEN/N11/496/56/PDF/N1149656.pdf`
  carries only the job number, not the symbol.
- Current access is symbol based: `https://documents.un.org/api/symbol/access?s=<SYMBOL>
  &l=<ar|zh|en|fr|ru|es>&t=pdf`, with literal slashes in `s`; it answers 302 to the PDF at
  a lower-case job-number path such as
  `https://documents.un.org/doc/undoc/gen/ns0/000/81/img/ns000081.pdf` (a corpus README
  that verified it with curl on 2026-09-28; the same URL form appears in several public
  projects that fetch UN documents). `undocs.org/<symbol>` and `undocs.org/<lang>/<symbol>`
  redirect per language to the same access URL (same README).
- Not verified (no live web here): what documents.un.org answers for a symbol it does
  not know. We treat a landing on its search/home page, or an error page, as a soft 404.

Symbols are parsed and validated by the citation stage's grammar (citecheck.cite.symbols); this
module only reads them out of URLs, which spell them loosely.

General Assembly session N opens in September of 1945+N and runs to September of
1946+N (the 53rd session is 1998–99); pre-session documents of session N are issued from
early 1945+N (A/68/98 is dated June 2013). A document of session N is therefore dated in
1945+N or 1946+N; a citation that dates it otherwise has the wrong date or symbol.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from citecheck.cite.symbols import UNSymbol, parse_symbol
from citecheck.judge.sites.rule import (
    SiteRule,
    host_in,
    host_of,
    not_found_page,
    path_of,
    with_scheme,
)
from citecheck.probe.observation import Observation

NAME = "un"
DOMAINS = ("un.org", "undocs.org")
ACCESS_BASE = "https://documents.un.org/api/symbol/access"
DOCUMENTS_BASE = "https://documents.un.org"

# Old ODS language letters (view_doc.asp `Lang=`, access.nsf `Lang=`) → access-URL codes.
LANG_LETTERS = {"E": "en", "F": "fr", "S": "es", "R": "ru", "C": "zh", "A": "ar"}
ACCESS_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
# Citation languages (biblatex langid names, ISO 639-1/-2 codes) → access-URL codes.
LANGUAGE_NAMES = {
    "english": "en",
    "eng": "en",
    "en": "en",
    "french": "fr",
    "fre": "fr",
    "fra": "fr",
    "fr": "fr",
    "spanish": "es",
    "spa": "es",
    "es": "es",
    "russian": "ru",
    "rus": "ru",
    "ru": "ru",
    "chinese": "zh",
    "chi": "zh",
    "zho": "zh",
    "zh": "zh",
    "arabic": "ar",
    "ara": "ar",
    "ar": "ar",
}

DDS_JOB_PATH = re.compile(
    r"/doc/undoc/(?P<series>[a-z]{3})/(?P<a>[a-z]\d\d)/(?P<b>\d{3})/(?P<c>\d\d)"
    r"/(?P<kind>pdf|img)/(?P<job>[a-z]\d{5,8})\.pdf",
    re.IGNORECASE,
)
GLUED_YEAR = re.compile(r"(?<=[^\s(])\((\d{4})\)(\*?)$")
SUFFIX_WORDS = re.compile(r"\b(ADD|REV|CORR|AMEND)\.")
ISO_YEAR = re.compile(r"^(\d{4})")
RETIRED_FORMS = ("un.view_doc", "un.daccess-ods", "un.daccess-dds")


def url_form(url: str) -> str | None:
    """Which UN URL generation `url` is (named for reports), None when not a UN URL."""
    host = host_of(url)
    if not host_in(host, DOMAINS):
        return None
    path = path_of(url).lower()
    if host_in(host, ("undocs.org",)) or host == "docs.un.org":
        return "un.undocs"
    if host_in(host, ("daccess-ods.un.org",)) and "access.nsf" in path:
        return "un.daccess-ods"
    if host_in(host, ("daccess-dds-ny.un.org", "daccess-ods.un.org")) and DDS_JOB_PATH.search(path):
        return "un.daccess-dds"
    if path.endswith("/view_doc.asp"):
        return "un.view_doc"
    if host == "documents.un.org":
        return "un.documents"
    return "un.page"


def _query_pairs(url: str) -> dict[str, str]:
    """Query parameters with lower-case keys; `Get?Open&DS=…` style keys without `=` kept."""
    query = urlsplit(with_scheme(url)).query
    return {key.lower(): value for key, value in parse_qsl(query, keep_blank_values=True)}


def parsed_symbol(text: str) -> UNSymbol | None:
    """`text` (as found in a URL or a note) parsed by the symbol grammar (citecheck.cite.symbols).

    URLs spell symbols loosely: percent-escapes, `S/RES/174(1962)` without the space,
    lower case (`a/res/53/70`); those are accepted, anything else is None.
    """
    candidate = unquote(text).strip().rstrip(".,;").strip()
    candidate = GLUED_YEAR.sub(r" (\1)\2", candidate)
    parsed = parse_symbol(candidate)
    if isinstance(parsed, UNSymbol):
        return parsed
    recased = SUFFIX_WORDS.sub(lambda m: m.group(1).capitalize() + ".", candidate.upper())
    again = parse_symbol(recased)
    return again if isinstance(again, UNSymbol) else None


def clean_symbol(text: str) -> str | None:
    """`text` as a canonical symbol (`A/RES/53/70`), or None when it is not one."""
    parsed = parsed_symbol(text)
    return parsed.canonical if parsed else None


def symbol_in_url(url: str) -> str | None:
    """The document symbol a UN URL names (view_doc, access.nsf, undocs, access API)."""
    form = url_form(url)
    if form in ("un.view_doc", "un.daccess-ods", "un.documents"):
        pairs = _query_pairs(url)
        raw = pairs.get("symbol") or pairs.get("ds") or pairs.get("s")
        return clean_symbol(raw) if raw else None
    if form == "un.undocs":
        parts = [p for p in unquote(path_of(url)).split("/") if p]
        if parts and parts[0].lower() in ACCESS_LANGUAGES:
            parts = parts[1:]
        return clean_symbol("/".join(parts)) if parts else None
    return None


def language_in_url(url: str) -> str | None:
    """The access-URL language code a UN URL asks for (`Lang=E`, `undocs.org/fr/…`)."""
    form = url_form(url)
    if form in ("un.view_doc", "un.daccess-ods"):
        letter = _query_pairs(url).get("lang", "").strip().upper()[:1]
        return LANG_LETTERS.get(letter)
    if form == "un.undocs":
        parts = [p for p in path_of(url).split("/") if p]
        if parts and parts[0].lower() in ACCESS_LANGUAGES:
            return parts[0].lower()
    if form == "un.documents":
        code = _query_pairs(url).get("l", "").lower()
        return code if code in ACCESS_LANGUAGES else None
    return None


def access_language(language: str | None) -> str:
    """The access-URL code for a citation language (name or code); English when unknown."""
    if not language:
        return "en"
    key = language.strip().lower()
    return LANGUAGE_NAMES.get(key) or LANG_LETTERS.get(key.upper(), "en")


def access_url(symbol: str, language: str | None = None) -> str:
    """The current symbol-based access URL of a document, in `language` (English default)."""
    code = access_language(language)
    encoded = quote(symbol.strip(), safe="/.-*()")
    return f"{ACCESS_BASE}?s={encoded}&l={code}&t=pdf"


def job_number_url(url: str) -> str | None:
    """documents.un.org's lower-case job-number path for a daccess-dds-ny PDF link."""
    match = DDS_JOB_PATH.search(path_of(url))
    if match is None:
        return None
    parts = [match.group(g).lower() for g in ("series", "a", "b", "c", "kind")]
    return f"{DOCUMENTS_BASE}/doc/undoc/{'/'.join(parts)}/{match.group('job').lower()}.pdf"


def successors(url: str) -> tuple[str, ...]:
    """Where a retired UN URL's document lives now: the access URL, or the job-number path."""
    form = url_form(url)
    if form not in RETIRED_FORMS:
        return ()
    if form == "un.daccess-dds":
        moved = job_number_url(url)
        return (moved,) if moved else ()
    symbol = symbol_in_url(url)
    return (access_url(symbol, language_in_url(url)),) if symbol else ()


def successors_for_citation(symbols: tuple[str, ...], language: str | None) -> tuple[str, ...]:
    """Access URLs to check and suggest for a citation that names symbols (URL or not)."""
    seen: list[str] = []
    for symbol in symbols:
        cleaned = clean_symbol(symbol)
        if cleaned is not None:
            url = access_url(cleaned, language)
            if url not in seen:
                seen.append(url)
    return tuple(seen)


def symbol_key(symbol: str) -> str:
    """A comparison key: spelling variants and a trailing `*` (reissue) do not matter."""
    parsed = parsed_symbol(symbol)
    text = parsed.canonical if parsed else re.sub(r"\s+", "", symbol).rstrip(".")
    return text.rstrip("*").upper()


@dataclass(frozen=True)
class SymbolMismatch:
    """A citation's URL opens the document `in_url`, which none of `in_text` names."""

    url: str
    in_url: str
    in_text: tuple[str, ...]

    @property
    def message(self) -> str:
        return f"the text cites {', '.join(self.in_text)} but its URL opens {self.in_url}"


def symbol_mismatch(text_symbols: tuple[str, ...], url: str) -> SymbolMismatch | None:
    """The disagreement when `url` names a UN symbol and the citation text names others."""
    in_url = symbol_in_url(url)
    if in_url is None or not text_symbols:
        return None
    if symbol_key(in_url) in {symbol_key(s) for s in text_symbols}:
        return None
    return SymbolMismatch(url=url, in_url=in_url, in_text=text_symbols)


def url_symbol_mismatch(text_symbols: tuple[str, ...], url: str) -> str | None:
    """A problem when the citation's URL names a symbol the citation text does not."""
    mismatch = symbol_mismatch(text_symbols, url)
    return mismatch.message if mismatch is not None else None


def ga_session(symbol: str) -> int | None:
    """The General Assembly session in a symbol (`A/53/…`, `A/RES/53/70`, `A/C.1/53/L.17`)."""
    parsed = parsed_symbol(symbol)
    return parsed.session_number if parsed else None


def session_years(session: int) -> tuple[int, int]:
    """The calendar years a document of General Assembly session `session` can bear."""
    return 1945 + session, 1946 + session


def date_problem(symbol: str, iso_date: str | None) -> str | None:
    """A problem when `iso_date` (the citation's date) cannot be the date of `symbol`.

    General Assembly symbols are checked against their session's years; Security
    Council resolutions against the year in their `(2002)` suffix.
    """
    if not iso_date:
        return None
    year_match = ISO_YEAR.match(iso_date.strip())
    if year_match is None:
        return None
    year = int(year_match.group(1))
    session = ga_session(symbol)
    if session is not None:
        first, last = session_years(session)
        if not first <= year <= last:
            return (
                f"{symbol} is a document of the General Assembly's {_ordinal(session)} session "
                f"({first}–{str(last)[-2:]}), but the citation dates it {iso_date}"
            )
        return None
    parsed = parsed_symbol(symbol)
    adopted = parsed.year if parsed and parsed.organ == "S" and parsed.is_resolution else None
    if adopted is not None and adopted != year:
        return f"{symbol} was adopted in {adopted}, but the citation dates it {iso_date}"
    return None


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10)
    return f"{number}{suffix or 'th'}"


HOME_PATHS = ("", "/", "/en", "/en/", "/en/index.html", "/index.html", "/en/home")


def soft_404(observation: Observation) -> str | None:
    """A UN answer that is not the document: a not-found page, or a deep link sent home."""
    requested_path = path_of(observation.url)
    final = observation.final_url or observation.url
    final_path = path_of(final)
    if (
        host_of(final) == "documents.un.org"
        and final_path.lower() in ("/", "", "/search")
        and requested_path.lower().startswith(("/api/", "/doc/"))
    ):
        return f"document request landed on the search page {final}"
    if requested_path.rstrip("/") and final_path in HOME_PATHS and final != observation.url:
        return f"deep link redirected to the home page {final}"
    return not_found_page(observation)


RULE = SiteRule(
    name=NAME,
    domains=DOMAINS,
    form_of=url_form,
    soft_404=soft_404,
    successor_candidates=successors,
    retired_forms=RETIRED_FORMS,
    connection_retries=1,
)


def citation_problems(
    symbols: tuple[str, ...], urls: tuple[str, ...], iso_date: str | None
) -> tuple[str, ...]:
    """What is wrong between a citation's symbols, its URLs and its date (empty when fine)."""
    problems: list[str] = []
    for url in urls:
        mismatch = url_symbol_mismatch(symbols, url)
        if mismatch is not None:
            problems.append(mismatch)
    named = list(symbols) + [s for u in urls if (s := symbol_in_url(u)) is not None]
    seen: set[str] = set()
    for symbol in named:
        if symbol_key(symbol) in seen:
            continue
        seen.add(symbol_key(symbol))
        problem = date_problem(symbol, iso_date)
        if problem is not None:
            problems.append(problem)
    return tuple(problems)
