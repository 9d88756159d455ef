"""Parsing what follows a title: container, pub info, volume/number, date, pages, places.

Each function reads parts of one reference and writes into the `Draft`; what none of them can
place is kept verbatim for the `note` field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from citecheck.cite.draft import TRADE_PUBLISHER_RE, Draft
from citecheck.cite.fields import find_date
from citecheck.cite.names import bibtex_person, family_name, is_institution, split_people
from citecheck.cite.split import find_quote, is_prose, split_top


def is_pubinfo(text: str) -> bool:
    """`New York: Palgrave Macmillan, 2012`, `May 2015`, `2014`, `Tallinn: NATO …, 2015`."""
    return bool(re.search(r"\b(?:19|20)\d\d\b", text)) or ":" in text


def parse_tail(tail: str, draft: Draft, *, quoted: bool) -> None:
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
        if is_pubinfo(candidate.group(1)):
            pubinfo = candidate
            break
    after_paren = ""
    if pubinfo is not None:
        _parse_pubinfo(pubinfo.group(1), draft)
        after_paren = text[pubinfo.end() :].strip(" ,.")
        text = text[: pubinfo.start()].strip(" ,")
    if after_paren:
        place_leftovers(split_top(after_paren), draft)
    parts = split_top(text)
    if quoted and parts:
        _parse_container(parts, draft)
    else:
        place_leftovers(parts, draft)


def _parse_in_book(text: str, draft: Draft) -> None:
    quote = find_quote(text, 0)
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
    parse_tail(rest, draft, quoted=False)


def _parse_pubinfo(text: str, draft: Draft) -> None:
    """Inside `(…)`: `Place: Publisher, Year`, `Publisher, Year`, `Date`, `Event, Place, Date`."""
    parts = split_top(text)
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
    if ":" in text and len(split_top(text)) <= 2:
        place, _, publisher = text.partition(":")
        draft.fields.setdefault("location", place.strip())
        if publisher.strip(" ,"):
            draft.fields.setdefault("publisher", publisher.strip(" ,"))
        return
    parts = split_top(text)
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
    if len(parts) == 1 and not is_prose(parts[0]):
        if parts[0].lower() in {"speech", "blog"}:
            draft.container_kind = parts[0].lower()
        else:
            draft.fields.setdefault("publisher", parts[0])
        return
    draft.leftover.append("(" + text + ")")


_EVENT_WORD_RE = re.compile(r"\b(?:Conference|Meeting|Summit|Forum|Session|Committee|Congress)\b")


def _parse_container(parts: list[str], draft: Draft) -> None:
    """After a quoted title: `Container 36`, `no. 456`, `China Brief 15, no. 20`, dates."""
    marker = re.fullmatch(r"\((blog|speech)\)", parts[0].strip())
    if marker:
        draft.container_kind = marker.group(1)
        parts = parts[1:]
        if not parts:
            return
        if marker.group(1) == "speech" and not is_institution(parts[0]):
            place_leftovers(parts, draft)  # `(speech), The Newseum, Washington, DC`: a venue
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
    if parts[0][:1].islower() and is_prose(parts[0]):
        place_leftovers(parts, draft)  # `report from seminar organized by …`: a description
        return
    first = parts[0]
    if first.lower().startswith("in "):
        _parse_in_book(", ".join(parts)[3:], draft)
        return
    date = find_date(first)
    if date is not None and date[1] == 0:
        place_leftovers(parts, draft)
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
    place_leftovers(rest, draft)


KNOWN_PLACES = frozenset(
    {"beijing", "geneva", "new york", "tallinn", "shanghai", "brussels", "washington"}
)
_CONTINUES_CONTAINER_RE = re.compile(r"^(?:People’s Republic of China|White House|PRC)$")


def place_leftovers(parts: Iterable[str], draft: Draft) -> None:
    """Dates, volumes, issues, editions, places, publishers; the rest is kept in `note`."""
    for raw in parts:
        part = raw.strip(" .")
        if not part:
            continue
        pubinfo = re.fullmatch(r"\(([^()]*)\)", part)
        if pubinfo and ":" in pubinfo.group(1) and is_pubinfo(pubinfo.group(1)):
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
        if not draft.container and is_institution(part) and not is_prose(part):
            draft.fields.setdefault("institution", part)
            continue
        draft.leftover.append(part)
