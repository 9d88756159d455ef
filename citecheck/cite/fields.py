"""Field normalizers: one tiny pure function per field, applied in the order of `NORMALIZERS`.

A normalizer reads the raw value the reference parser found for one field and returns the
fields it writes (its own, sometimes a derived one: `date` also writes `year`/`month`/`day`).
Each says in its docstring what it reads and writes. Nothing here guesses: a value it does not
understand is returned unchanged, so the parser's text is never lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
_MONTH = (
    r"(January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
_YEAR = r"((?:19|20)\d\d)"

# Date shapes in the corpus, most specific first. Each yields (year, month, day, day_end).
_DATE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"^{_MONTH},? (\d{{1,2}}),? {_YEAR}$", re.I), "mdy"),  # January 19, 2015
    (re.compile(rf"^(\d{{1,2}}) {_MONTH},? {_YEAR}$", re.I), "dmy"),  # 19 March 2013
    (re.compile(rf"^(\d{{1,2}})[-–](\d{{1,2}}) {_MONTH},? {_YEAR}$", re.I), "ddmy"),  # 29-30 May
    (re.compile(rf"^{_MONTH},? {_YEAR}$", re.I), "my"),  # May 2015
    (re.compile(rf"^(Spring|Summer|Autumn|Fall|Winter),? {_YEAR}$", re.I), "sy"),  # Fall 2013
    (re.compile(rf"^{_YEAR}$"), "y"),
    (re.compile(r"^((?:19|20)\d\d)年(\d{1,2})月(?:(\d{1,2})日)?$"), "cjk"),  # 2014年1月
)


def normalize_date(text: str) -> dict[str, str]:
    """Read `date` as written; write ISO `date` plus `year`/`month`/`day` where given.

    `29-30 May 2002` becomes the biblatex range `2002-05-29/2002-05-30`; a season becomes
    the biblatex season code (`2013-23` for autumn). Unknown shapes come back as
    `{"date_written": text}` only, so the caller keeps the words.
    """
    written = text.strip().rstrip(".,")
    out: dict[str, str] = {"date_written": written}
    for pattern, shape in _DATE_PATTERNS:
        match = pattern.match(written)
        if not match:
            continue
        groups = match.groups()
        if shape == "mdy":
            month, day, year = MONTHS[groups[0].lower().rstrip(".")], int(groups[1]), groups[2]
            return {**out, **_ymd(year, month, day)}
        if shape == "dmy":
            day, month, year = int(groups[0]), MONTHS[groups[1].lower().rstrip(".")], groups[2]
            return {**out, **_ymd(year, month, day)}
        if shape == "ddmy":
            start, end = int(groups[0]), int(groups[1])
            month, year = MONTHS[groups[2].lower().rstrip(".")], groups[3]
            first = _ymd(year, month, start)
            return {**out, **first, "date": f"{first['date']}/{year}-{month:02d}-{end:02d}"}
        if shape == "my":
            return {**out, **_ymd(groups[1], MONTHS[groups[0].lower().rstrip(".")], None)}
        if shape == "sy":
            season = SEASONS[groups[0].lower()]
            return {**out, "date": f"{groups[1]}-{season}", "year": groups[1]}
        if shape == "y":
            return {**out, "date": groups[0], "year": groups[0]}
        if shape == "cjk":
            day_text = groups[2]
            return {**out, **_ymd(groups[0], int(groups[1]), int(day_text) if day_text else None)}
    return out


def _ymd(year: str, month: int, day: int | None) -> dict[str, str]:
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return {}
    fields = {"year": year, "month": f"{month:02d}", "date": f"{year}-{month:02d}"}
    if day is not None:
        fields["day"] = f"{day:02d}"
        fields["date"] += f"-{day:02d}"
    return fields


def find_date(text: str) -> tuple[str, int, int] | None:
    """The last date-shaped phrase in `text`: (phrase, start, end), for the parser."""
    best: tuple[str, int, int] | None = None
    for match in _DATE_SEARCH.finditer(text):
        best = (match.group(0), match.start(), match.end())
    return best


_DATE_SEARCH = re.compile(
    rf"(?:\b\d{{1,2}}(?:[-–]\d{{1,2}})? {_MONTH},? {_YEAR}\b"
    rf"|\b{_MONTH},? (?:\d{{1,2}},? )?{_YEAR}\b"
    rf"|\b(?:Spring|Summer|Autumn|Fall|Winter),? {_YEAR}\b"
    r"|(?:19|20)\d\d年\d{1,2}月(?:\d{1,2}日)?)",
    re.I,
)


def normalize_pages(text: str) -> dict[str, str]:
    """Read `pages`; write `pages` with an en-dash range and the end page written in full.

    `322-331` → `322--331`; `132-35` → `132--135`; `chapter 5` stays words. BibTeX wants
    `--` for the dash, so that is what we store.
    """
    value = text.strip().rstrip(".")
    match = re.fullmatch(r"(\d{1,5})\s*[-–—]+\s*(\d{1,5})", value)
    if not match:
        return {"pages": value}
    start, end = match.groups()
    if len(end) < len(start):
        end = start[: len(start) - len(end)] + end
    return {"pages": f"{start}--{end}"}


def normalize_volume(text: str) -> dict[str, str]:
    """Read `volume`; write it without `Vol.`/`vol.` and surrounding punctuation."""
    value = re.sub(r"^(?:vol(?:ume)?\.?)\s*", "", text.strip(), flags=re.I)
    return {"volume": value.strip(" .,")}


def normalize_number(text: str) -> dict[str, str]:
    """Read `number` (issue); write it without `no.`/`No.`/`issue` and punctuation."""
    value = re.sub(r"^(?:no\.?|issue|nr\.?)\s*", "", text.strip(), flags=re.I)
    return {"number": value.strip(" .,")}


ORDINAL_WORDS = {
    "first": "1",
    "second": "2",
    "third": "3",
    "fourth": "4",
    "fifth": "5",
    "sixth": "6",
    "seventh": "7",
    "eighth": "8",
    "ninth": "9",
    "tenth": "10",
}


def normalize_edition(text: str) -> dict[str, str]:
    """Read `edition` (`1st edn`, `third edition`); write the number, or the words if none."""
    value = re.sub(r"(?<!\s)\s*(?:edn|edition|ed)\.?$", "", text.strip(), flags=re.I).strip()
    ordinal = re.fullmatch(r"(\d{1,3})(?:st|nd|rd|th)?", value)
    if ordinal:
        return {"edition": ordinal.group(1)}
    if value.lower() in ORDINAL_WORDS:
        return {"edition": ORDINAL_WORDS[value.lower()]}
    return {"edition": value[:1].upper() + value[1:]}


LANGUAGES = {
    "chinese": "chinese",
    "russian": "russian",
    "french": "french",
    "japanese": "japanese",
    "german": "german",
    "spanish": "spanish",
    "english": "english",
}


def normalize_language(text: str) -> dict[str, str]:
    """Read `langid` as written (`[in Chinese]`, `Russian`); write the babel/polyglossia name."""
    word = re.sub(
        r"^\[?\s*(?:in\s+)?|(?:(?<!\s)\s*|(?<=\s))\]$", "", text.strip(), flags=re.I
    ).lower()
    return {"langid": LANGUAGES.get(word, word)}


def normalize_urldate(text: str) -> dict[str, str]:
    """Read `urldate` as written (`12 March 2016`, `March 12, 2016`); write it in ISO form.
    A shape we cannot read stays as written in `urldate_written` (the .bib puts it in note)."""
    iso = normalize_date(text).get("date")
    return {"urldate": iso} if iso else {"urldate_written": text.strip()}


Normalizer = Callable[[str], Mapping[str, str]]

# The order matters only in that later normalizers may overwrite derived fields of earlier
# ones; none does today. The parser calls them through `normalize_fields`.
NORMALIZERS: tuple[tuple[str, Normalizer], ...] = (
    ("date", normalize_date),
    ("pages", normalize_pages),
    ("volume", normalize_volume),
    ("number", normalize_number),
    ("edition", normalize_edition),
    ("langid", normalize_language),
    ("urldate", normalize_urldate),
)


def normalize_fields(raw: Mapping[str, str]) -> dict[str, str]:
    """Apply every normalizer to the raw field it reads; copy the other fields unchanged."""
    out = dict(raw)
    for name, normalizer in NORMALIZERS:
        if raw.get(name):
            del out[name]
            out.update(normalizer(raw[name]))
    return out
