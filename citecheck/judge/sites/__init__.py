"""Per-site knowledge: one small record per site, looked up by URL.

Everything citecheck knows about the UN documents system, the Chinese foreign
ministry site and apec.org lives in this folder (one module per site); no other
module names those hosts. A `SiteRule` is data plus pure functions, so every
rule is testable by tables without any network:

- `matches(url)`: is this URL on the site?
- `url_form(url)`: which generation of the site's URL scheme it is (named, for reports);
- `soft_404_reason(observation)`: a not-found page served with 200, or a deep
  link that landed on a home or unrelated section page;
- `successors(url)`: current URLs to probe for a retired URL form; the prober
  offers one as `successor_url` only when it answers with a real page
  (`live_successor`);
- `connection_retries`: how often to retry a reset connection before judging.

The prober asks `rule_for(url)` first and falls back to generic judgement when
it returns None.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from citecheck.cite.symbols import find_symbols
from citecheck.judge.sites import apec, fmprc, un
from citecheck.judge.sites.rule import SiteRule, host_in, host_of, live_successor
from citecheck.judge.sites.un import SymbolMismatch
from citecheck.judge.verdicts import LinkVerdict
from citecheck.probe.links import Link, normalize_url
from citecheck.probe.observation import Observation
from citecheck.read.model import Place

if TYPE_CHECKING:  # annotations only: checking links must not load the citation parser
    from citecheck.cite.citation import Citation

__all__ = [
    "RULES",
    "SiteRule",
    "SymbolMismatch",
    "citation_problems",
    "find_successors",
    "live_successor",
    "rule_for",
    "successor_candidates",
    "suggested_links",
    "symbol_mismatches",
    "url_form",
]

# The order of this table is the order of precedence (first match wins).
RULES: tuple[SiteRule, ...] = (un.RULE, fmprc.RULE, apec.RULE)


def rule_for(url: str) -> SiteRule | None:
    """The site rule for `url`, or None for a site citecheck has no special knowledge of."""
    host = host_of(url)  # once, not once per rule: the prober asks for every URL, thrice
    for rule in RULES:
        if host_in(host, rule.domains):  # what rule.matches(url) decides
            return rule
    return None


def installed_rule_lookup() -> Callable[[str], SiteRule | None]:
    """The lookup the prober and the verdicts use: `rule_for`, every site rule installed."""
    return rule_for


def url_form(url: str) -> str | None:
    """`rule_name.form` naming the site rule and URL generation of `url`, or None."""
    rule = rule_for(url)
    return None if rule is None else rule.url_form(url)


def successor_candidates(
    url: str | None, un_symbols: tuple[str, ...] = (), language: str | None = None
) -> tuple[str, ...]:
    """Current URLs to probe for a cited document, best first, without repeats.

    First what the site rule derives from the URL itself, then the symbol-based
    access URL of each UN symbol the citation names, in the citation's language:
    for a retired UN URL, a URL elsewhere (the document has a home of its own at the
    UN) or no URL at all, but not for a current UN URL or another site's rule. The
    prober probes them and offers the first that answers with a real page.
    """
    candidates: list[str] = []
    rule = rule_for(url) if url else None
    if url and rule is not None:
        candidates.extend(rule.successors(url))
    current_un = url is not None and un.url_form(url) in ("un.documents", "un.undocs")
    if rule in (None, un.RULE) and not current_un:
        candidates.extend(un.successors_for_citation(un_symbols, language))
    return tuple(dict.fromkeys(candidates))


def citation_problems(citation: Citation) -> tuple[str, ...]:
    """Site-rule problems of one citation: a UN symbol in the text that differs from the
    one in its URL, or a symbol whose session cannot match the citation's date.

    The text's symbols are read from its words (see `symbol_mismatches`).
    """
    return un.citation_problems(_text_symbols(citation), citation.urls, citation.fields.get("date"))


def _text_symbols(citation: Citation) -> tuple[str, ...]:
    """The UN symbols standing in the citation's words, URLs excluded."""
    return tuple(symbol.canonical for symbol in find_symbols(citation.raw))


def symbol_mismatches(citation: Citation) -> tuple[SymbolMismatch, ...]:
    """Each URL of `citation` that opens a UN document other than every symbol its text names.

    The text's symbols are read from the citation's own words (URLs excluded):
    `Citation.un_symbols` also holds the symbols read out of its URLs, against
    which a URL would always agree. A citation whose text names no symbol has
    nothing to disagree with. (A symbol's session against the citation's date is
    the date analysis's business, for text and URL symbols alike.)
    """
    in_text = _text_symbols(citation)
    found = (un.symbol_mismatch(in_text, url) for url in citation.urls)
    return tuple(mismatch for mismatch in found if mismatch is not None)


def suggested_links(citations: Iterable[Citation], cited: Sequence[Link] = ()) -> tuple[Link, ...]:
    """A link to probe for each UN symbol named by a citation that gives no URL.

    Each is the symbol's current access URL in the citation's language, cited at the
    citation's place and marked `suggested_for` the symbol, so its verdict is read as
    a suggestion, not as the author's dead link. Back references (which point at a
    full citation) are skipped; one link per symbol and language, with every place;
    URLs some author already cited are left to those links.
    """
    taken = {link.normalized_url for link in cited}
    places: dict[str, list[Place]] = {}
    first: dict[str, tuple[str, str]] = {}
    for citation in citations:
        if citation.urls or citation.refers_to is not None or not citation.un_symbols:
            continue
        language = citation.fields.get("langid")
        for symbol in citation.un_symbols:
            for url in un.successors_for_citation((symbol,), language):
                key = normalize_url(url)
                if key in taken:
                    continue
                first.setdefault(key, (url, symbol))
                spots = places.setdefault(key, [])
                if citation.place not in spots:
                    spots.append(citation.place)
    return tuple(
        Link(
            url=url,
            normalized_url=key,
            cited_in=tuple(places[key]),
            un_symbols=(symbol,),
            suggested_for=symbol,
        )
        for key, (url, symbol) in first.items()
    )


SUCCESSOR_VERDICTS = frozenset({"dead", "soft-404", "error", "timeout"})
ProbeUrls = Callable[[Sequence[str]], Mapping[str, Observation]]


def find_successors(
    verdicts: Sequence[LinkVerdict], links: Sequence[Link], probe: ProbeUrls
) -> tuple[LinkVerdict, ...]:
    """Verdicts with `successor_url` (and `rule`) filled in where a site rule found the
    document's current place.

    Candidates are gathered for failing links and for retired URL forms (even when
    these still answer), probed in one batch through `probe` (URL → observation),
    and the first that answers with a real page is recorded. Links no rule knows,
    and candidates that fail, leave the verdict as it was.
    """
    symbols = {link.normalized_url: link.un_symbols for link in links}
    wanted: dict[str, tuple[str, ...]] = {}
    for verdict in verdicts:
        rule = rule_for(verdict.url)
        retired = rule is not None and rule.is_retired(verdict.url)
        if verdict.verdict in SUCCESSOR_VERDICTS or retired:
            candidates = successor_candidates(verdict.url, symbols.get(verdict.normalized_url, ()))
            if candidates:
                wanted[verdict.normalized_url] = candidates
    if not wanted:
        return tuple(verdicts)
    seen = probe(list(dict.fromkeys(c for cs in wanted.values() for c in cs)))
    updated: list[LinkVerdict] = []
    for verdict in verdicts:
        candidates = wanted.get(verdict.normalized_url, ())
        rule = rule_for(verdict.url)
        judge_by = rule or (rule_for(candidates[0]) if candidates else None)
        if judge_by is None:
            updated.append(verdict)
            continue
        probed = [(c, seen[c]) for c in candidates if c in seen]
        found, _ = live_successor(judge_by, probed)
        named = verdict.rule or (rule.name if rule else None)
        updated.append(replace(verdict, successor_url=found or verdict.successor_url, rule=named))
    return tuple(updated)
