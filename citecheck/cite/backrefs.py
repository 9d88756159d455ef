"""Back references: `Ibid.`, short forms and repeats find the earlier work they cite.

`WorkIndex` holds the works of one document so far; `short_form_target` finds the work a short
form names, `identity` says when two full citations are one work, and `back_reference` makes
the linked citation (same key and fields, its own page).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from citecheck.cite.citation import Citation
from citecheck.cite.fields import normalize_fields
from citecheck.cite.names import family_name, is_institution, split_name_list
from citecheck.cite.split import FUNCTION_WORDS
from citecheck.cite.symbols import find_symbols


def _title_tokens(title: str) -> list[str]:
    return [t for t in re.findall(r"\w+", title.lower()) if t not in FUNCTION_WORDS]


# A short form is matched against at most this many earlier works that share its first
# title word, latest first: enough for any real text, and it keeps a hostile note with
# thousands of look-alike clauses linear.
MAX_SHORT_FORM_CANDIDATES = 256


@dataclass
class WorkIndex:
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
        self.first_with_identity.setdefault(identity(work.fields), work)


def short_form_target(text: str, index: WorkIndex) -> Citation | None:
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


def back_reference(
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


def own_pages(text: str) -> tuple[str, str] | None:
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


def identity(fields: Mapping[str, str]) -> tuple[str, str, str]:
    """What makes two citations one work: title words, year and container (URL if untitled).

    `The Internet in China` (a white paper) and `‘The Internet in China,’ English.news.cn`
    (a news item about it) share a title and a year but not a container.
    """
    title = " ".join(_title_tokens(fields.get("title", ""))) or fields.get("url", "")
    container = fields.get("journaltitle") or fields.get("organization") or ""
    return title, fields.get("year", ""), container.lower()
