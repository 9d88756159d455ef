"""The working state of one parse (`Draft`), its result (`ParsedWork`) and the entry type.

`finish` turns a draft into biblatex fields: it chooses the entry type a librarian would pick
(`choose_type`), files the container under the field that type uses, and runs the field
normalizers of `citecheck.cite.fields`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from citecheck.cite.fields import normalize_fields
from citecheck.cite.names import bibtex_institution, family_name, is_institution


@dataclass(frozen=True)
class ParsedWork:
    """One reference parsed into fields, before linking gives it a key."""

    type: str
    fields: dict[str, str]
    urls: tuple[str, ...]
    symbols: tuple[str, ...]
    problems: tuple[str, ...] = ()


@dataclass
class Draft:
    """Mutable working state of one parse: raw fields and the words not yet placed."""

    fields: dict[str, str] = field(default_factory=dict)
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    leftover: list[str] = field(default_factory=list)
    container: str = ""
    booktitle: str = ""
    container_kind: str = ""
    quoted_title: bool = False


def looks_like_website(part: str) -> bool:
    """A bare host name such as `chinadaily.com.cn` standing as an author or a part."""
    return bool(re.fullmatch(r"[\w-]+(?:\.[\w-]+)+", part))


def finish(draft: Draft, urls: tuple[str, ...], symbols: tuple[str, ...], raw: str) -> ParsedWork:
    """The draft as a ParsedWork: type chosen, container filed, leftovers in `note`, fields
    normalized. A work with no title and no URL becomes misc with the raw text and a problem."""
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
    draft: Draft, urls: tuple[str, ...], symbols: tuple[str, ...], un_organ: str | None
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
        and not all(looks_like_website(a[1:-1]) for a in institutions)
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
