"""Step 2 of citing: parse one clause into biblatex fields (*fields*).

`parse_reference(clause)` takes out what is recognised anywhere (URLs, UN symbols, an access
date, a language tag, a parallel Chinese title), finds the contributors and the title, hands
the rest to `citecheck.cite.tail`, and `citecheck.cite.draft.finish` picks the type and
normalizes the fields. It never raises and never drops words: what it cannot place goes to
`note`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from citecheck.cite.draft import GENRE_RE, Draft, ParsedWork, finish, looks_like_website
from citecheck.cite.fields import find_date
from citecheck.cite.names import bibtex_institution, bibtex_person, is_institution, split_people
from citecheck.cite.split import (
    CJK_RE,
    FUNCTION_WORDS,
    find_quote,
    quote_starts_reference,
    split_top,
    url_spans,
)
from citecheck.cite.symbols import find_symbols, symbol_in_url
from citecheck.cite.tail import is_pubinfo, parse_tail, place_leftovers

_LANGUAGE_RE = re.compile(r"\[\s*in\s+([A-Z][a-z]+)\s*\]")
_BRACKET_RE = re.compile(r"\[([^\[\]]{1,80})\]")

UN_ORGAN_RE = re.compile(
    r"^(?:United Nations,?\s+)?(General Assembly|Security Council|Economic and Social Council)"
    r"(?:\s+(resolution|decision)\s+([\w./-]+)(?:\s+\((?:19|20)\d\d\))?)?$"
)


def parse_reference(text: str, known_urls: Sequence[str] = ()) -> ParsedWork:
    """Parse one clause into biblatex fields (step 2); never raises, never drops words."""
    draft = Draft()
    # Whitespace runs collapse, as the notes stage already does: several patterns below
    # start with `\s*`, and a long run of spaces would make them quadratic.
    work = " ".join(text.split())
    spans = url_spans(work)
    urls = list(dict.fromkeys(known_forms([work[a:b] for a, b in spans], known_urls)))
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
    return finish(draft, tuple(urls), tuple(symbols), text)


# A match starts at a comma or where a space run begins (never inside one), and the optional
# bracket brings its own spaces: with `,?\s*[(\[]?\s*` two `\s*` shared every space run and
# every start inside the run was tried, cubic in the run that URL blanking leaves (issue 14.3).
# The leftmost match, and so the result, is the same.
_ACCESSED_RE = re.compile(
    r"(?:,|(?<![\s,]))\s*(?:[(\[]\s*)?\b(?:last\s+)?(?:accessed|retrieved|viewed|consulted)"
    r"(?:\s+on)?:?\s+",
    re.I,
)


def _take_access_date(work: str, draft: Draft) -> str:
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


def known_forms(raw_urls: Sequence[str], known_urls: Sequence[str]) -> list[str]:
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


def _split_trailing_commentary(work: str) -> tuple[str, str]:
    """A quotation or a sentence after the reference (`…htm: ‘Although not yet…’`) → note."""
    # `(?<!\s)`: a match starts only where a space run begins (linear on long runs).
    match = re.search(r"(?<!\s)\s*:\s*[‘“\"][^‘“\"]*.*$", work)
    if match and match.start() > 0 and re.search(r"\s{2,}|\s$", work[: match.start() + 1]):
        return work[: match.start()], work[match.start() :].strip(" :")
    return work, ""


def _parallel_title(work: str, draft: Draft) -> str:
    """004: `English…; 国务院新闻办公室:《中文标题》, 2010年6月8日。` — keep the Chinese part."""
    parts = split_top(work, ";")
    if len(parts) < 2 or not CJK_RE.search(parts[-1]):
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


def _parse_body(work: str, draft: Draft) -> None:
    book_title = re.match(r"^《([^》]+)》", work)
    if book_title:
        draft.fields["title"] = book_title.group(1)
        draft.quoted_title = True
        place_leftovers(split_top(work[book_title.end() :].strip(" ,.。")), draft)
        return
    quote = find_quote(work, 0)
    if quote is not None and quote_starts_reference(work, quote[0]):
        before = work[: quote[0]].strip(" ,")
        draft.fields["title"] = _trim_title(work[quote[0] + 1 : quote[1]])
        draft.quoted_title = True
        after = work[quote[1] + 1 :].strip(" ,.")
        if before:
            unplaced = _take_contributors(split_top(before), draft, keep_last=False)
            draft.leftover.extend(unplaced)
        parse_tail(after, draft, quoted=True)
        return
    parts = split_top(work)
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
        parse_tail(", ".join(rest_parts), draft, quoted=False)
        return
    title_part = rest_parts[0]
    paren = re.search(r"\s*\(([^()]*)\)\s*$", title_part)
    tail_start = ", ".join(rest_parts[1:])
    if paren and is_pubinfo(paren.group(1)):
        tail_start = title_part[paren.start() :] + (", " + tail_start if tail_start else "")
        title_part = title_part[: paren.start()]
    website = _WEBSITE_RE.fullmatch(_trim_title(title_part))
    if website and not draft.authors:
        # `See CSIS website http://…` (004:15): the words name the site, not the page.
        draft.container = website.group(1)
        draft.container_kind = "website"
        parse_tail(tail_start, draft, quoted=False)
        return
    title, partner = _split_trailing_body(_trim_title(title_part))
    draft.fields["title"] = title
    if partner:
        draft.leftover.append(partner)
    parse_tail(tail_start, draft, quoted=False)


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


def _split_off_event(rest_parts: list[str], draft: Draft) -> list[str]:
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


def _take_contributors(parts: list[str], draft: Draft, *, keep_last: bool) -> list[str]:
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
        if index == 0 and keep_last and len(parts) > 1 and looks_like_website(part):
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
