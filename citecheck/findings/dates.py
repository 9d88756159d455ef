"""Date analysis: a citation's dates against its URL, its UN symbol, the calendar and each other.

Dates are compared as day intervals, so `2010` and `2010-06-08` agree (the
year contains the day) and precision alone never makes a finding. Every
function here is pure: `today` is an argument, not read from the clock.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from citecheck.cite.citation import Citation
from citecheck.cite.symbols import SymbolError, parse_symbol
from citecheck.findings.finding import Cluster, Finding, FindingKind, Severity

EARLIEST_URL_YEAR = 1991
"""No web page predates 1991, so a four-digit run below it in a URL is an id, not a year."""

ONE_DAY = 1
"""A difference of one day is usually an online versus print date (time zones, next-day print)."""

LATER_POSTING_DAYS = 366
"""A page posted later than the date cited is often a later upload of an older original, so
it stays low severity unless more than a year lies between them."""


@dataclass(frozen=True)
class PartialDate:
    """A date as precise as it was written: a year, a month or a day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def first(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last(self) -> date:
        if self.month is None:
            return date(self.year, 12, 31)
        if self.day is None:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, self.month, self.day)

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True)
class DateSpan:
    """A written date or range (`2013/2014`) as the interval of days it allows."""

    text: str
    start: PartialDate
    end: PartialDate

    @property
    def first(self) -> date:
        return self.start.first

    @property
    def last(self) -> date:
        return self.end.last


@dataclass(frozen=True)
class DateProblem:
    """A date that cannot be read, with the reason.

    `impossible` says the text has the shape of a date but names no day that
    exists (month 13, 31 February); only those are findings. A shape we do not
    read (`June 2010`) stays quiet rather than raising a false alarm.
    """

    text: str
    reason: str
    impossible: bool = True


_ISO_PART = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def parse_partial(text: str) -> PartialDate | DateProblem:
    """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, saying why an impossible one is impossible."""
    match = _ISO_PART.fullmatch(text.strip())
    if match is None:
        return DateProblem(text, "not a YYYY, YYYY-MM or YYYY-MM-DD date", impossible=False)
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    if year == 0:
        return DateProblem(text, "year 0 does not exist")
    if month is not None and not 1 <= month <= 12:
        return DateProblem(text, f"month {month} does not exist")
    if month is not None and day is not None:
        days_in_month = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days_in_month:
            name = calendar.month_name[month]
            return DateProblem(text, f"{name} {year} has {days_in_month} days, not {day}")
    return PartialDate(year, month, day)


SEASONS = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 14)}
"""EDTF season codes (spring, summer, autumn, winter) as month ranges; winter runs into the
next year, so `2013-24` allows December 2013 to February 2014."""

_SEASON = re.compile(r"(\d{4})-(2[1-4])")


def parse_span(text: str) -> DateSpan | DateProblem:
    """Parse a biblatex/EDTF date or range (`2010-06-08`, `2013/2014`, `2013-23` for autumn).

    The uncertainty marks `?`, `~` and `%` are dropped: an uncertain date is still compared.
    """
    text = text.strip().rstrip("?~%")
    season = _SEASON.fullmatch(text)
    if season is not None:
        year = int(season.group(1))
        first, last = SEASONS[int(season.group(2))]
        end = PartialDate(year + (last - 1) // 12, (last - 1) % 12 + 1)
        return DateSpan(text, PartialDate(year, first), end)
    parts = text.split("/")
    if len(parts) > 2 or not parts[0]:
        return DateProblem(text, "not a date or a date range", impossible=False)
    start = parse_partial(parts[0].rstrip("?~%"))
    if isinstance(start, DateProblem):
        return start
    end = start
    if len(parts) == 2 and parts[1] not in ("", ".."):
        parsed_end = parse_partial(parts[1].rstrip("?~%"))
        if isinstance(parsed_end, DateProblem):
            return parsed_end
        end = parsed_end
        if end.last < start.first:
            return DateProblem(text, "the range ends before it starts")
    return DateSpan(text.strip(), start, end)


def gap_days(a: DateSpan | PartialDate, b: DateSpan | PartialDate) -> int:
    """Days between two intervals; 0 when they overlap (one contains or touches the other)."""
    if a.last < b.first:
        return (b.first - a.last).days
    if b.last < a.first:
        return (a.first - b.last).days
    return 0


# URL dates, most precise first. Each is linear: fixed-width digit runs between non-digits.
_URL_DATE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)"), "ymd"),
    (re.compile(r"(?<!\d)(\d{4})-(\d{2})/(\d{2})(?!\d)"), "ymd"),
    (re.compile(r"/(\d{4})/(\d{1,2})/(\d{1,2})(?=/|$)"), "ymd"),
    (re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)"), "ymd"),
    # A 14-digit timestamp, yyyymmddhhmmss (`/20130320093925/`).
    (re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?:[01]\d|2[0-3])[0-5]\d[0-5]\d(?!\d)"), "ymd"),
    # A file name that opens with yyyymmdd and runs on into an id (`P020140305346585959798.pdf`,
    # `201608241044578435-russia-huawei/`): up to two letters and a 0 may stand before it.
    (
        re.compile(r"/[A-Za-z]{0,2}0?(\d{4})(\d{2})(\d{2})\d*(?:[^\d/?][^/?]*)?/?(?=\?|$)"),
        "ymd",
    ),
    (re.compile(r"/(\d{4})[/-](\d{2})(?=/|$)"), "ym"),
    (re.compile(r"/(\d{4})(\d{2})(?=/|$)"), "ym"),
    (re.compile(r"/(\d{4})(?=/|$)"), "y"),
)


@dataclass(frozen=True)
class UrlDate:
    """A date read from a URL's path, with the characters it was read from."""

    date: PartialDate
    matched: str


def url_date(url: str, latest_year: int) -> UrlDate | None:
    """The most precise plausible date in the path and query of `url` (never its host).

    `2010-06/08`, `2013-10-24`, `/2017/05/11/`, `t20100608`, a 14-digit timestamp
    `20130320093925`, a file name opening with a date (`P020140305346585959798.pdf`),
    `/201403/`, `/2001/` are dates; runs that make no valid date or fall outside 1991..`latest_year`
    are ids and are skipped.
    """
    parts = urlsplit(url if "://" in url else "http://" + url)
    text = parts.path + ("?" + parts.query if parts.query else "")
    for pattern, shape in _URL_DATE_PATTERNS:
        for match in pattern.finditer(text):
            year = int(match.group(1))
            if not EARLIEST_URL_YEAR <= year <= latest_year:
                continue
            month = int(match.group(2)) if shape in ("ym", "ymd") else None
            day = int(match.group(3)) if shape == "ymd" else None
            if month is not None and not 1 <= month <= 12:
                continue
            if month is not None and day is not None and day > _month_days(year, month):
                continue
            return UrlDate(PartialDate(year, month, day), match.group(0).strip("/"))
    return None


def _month_days(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


_CJK_DATE = re.compile(r"(\d{4})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?")


def cjk_date(text: str) -> PartialDate | None:
    """`2010年6月8日`, `2014年1月` or `2013年` as a date (004 gives Chinese references too)."""
    match = _CJK_DATE.search(text)
    if match is None:
        return None
    iso = "-".join(
        f"{int(g):02d}" if i else g for i, g in enumerate(match.groups()) if g is not None
    )
    parsed = parse_partial(iso)
    return parsed if isinstance(parsed, PartialDate) else None


_SESSION_IN_TEXT = re.compile(r"\b(\d{1,3})(?:st|nd|rd|th) [Ss]ession\b")
_GA_WORDS = re.compile(r"General Assembly|\bUNGA\b|\bGA\b|First Committee|Third Committee")


def session_named_in_text(text: str) -> int | None:
    """The General Assembly session a citation names in words (`the 65th Session UNGA`)."""
    if _GA_WORDS.search(text) is None:
        return None
    sessions = {int(m.group(1)) for m in _SESSION_IN_TEXT.finditer(text)}
    return sessions.pop() if len(sessions) == 1 and 1 <= min(sessions) <= 150 else None


def general_assembly_session(symbol: str) -> int | None:
    """The General Assembly session a symbol belongs to (`A/RES/53/70` → 53), if it is one.

    Council and commission series under `A/` (`A/HRC/32/…`) count their own sessions.
    """
    parsed = parse_symbol(symbol)
    if isinstance(parsed, SymbolError) or parsed.session_number is None:
        return None
    if any(not body.startswith("C.") for body in parsed.bodies):
        return None
    return parsed.session_number


def symbol_years(symbol: str) -> tuple[int, int] | None:
    """The years a symbol's own year allows: `S/RES/2341 (2017)` → 2017 only; a year slot
    (`E/CN.4/2000/1`, `S/2002/1234`) also allows the year before, when papers for a session
    are issued."""
    parsed = parse_symbol(symbol)
    if isinstance(parsed, SymbolError) or parsed.year is None:
        return None
    if parsed.year_in_parentheses:
        return parsed.year, parsed.year
    return parsed.year - 1, parsed.year


def session_years(session: int) -> tuple[int, int]:
    """Session N opens in September 1945+N and closes in September 1946+N (53rd: 1998–99).

    Its documents run from the preparatory reports of the spring before to the
    resolutions of December, so both calendar years are accepted in full.
    """
    return 1945 + session, 1946 + session


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _where(citation: Citation) -> str:
    note = f" note {citation.place.note}" if citation.place.note is not None else ""
    return f"{citation.place.document}{note}"


def citation_date_findings(citation: Citation, today: date) -> list[Finding]:
    """Impossible or future dates, access before publication, URL and UN-session disagreements."""
    if citation.refers_to is not None:
        return []
    findings: list[Finding] = []
    published = _checked_span(citation, "date", today, findings)
    accessed = _checked_span(citation, "urldate", today, findings)
    if published is not None and accessed is not None and accessed.last < published.first:
        gap = gap_days(accessed, published)
        findings.append(
            _finding(
                citation,
                Severity.MEDIUM,
                f"{_where(citation)}: accessed {accessed.text} but published {published.text}, "
                f"{_days(gap)} later; one of the two dates is wrong.",
                "access-before-publication",
                (("date", published.text), ("urldate", accessed.text)),
            )
        )
    if published is None:
        return findings
    parallel = cjk_date(citation.fields.get("origdate", ""))
    if parallel is not None and gap_days(published, parallel) > 0:
        gap = gap_days(published, parallel)
        findings.append(
            _finding(
                citation,
                Severity.LOW if gap <= ONE_DAY else Severity.MEDIUM,
                f"{_where(citation)}: dated {published.text} but the parallel Chinese reference "
                f"says {citation.fields['origdate']} ({_days(gap)} apart); make them agree.",
                "origdate",
                (("date", published.text), ("origdate", citation.fields["origdate"])),
            )
        )
    for url in citation.urls:
        found = url_date(url, latest_year=today.year + 1)
        if found is None:
            continue
        gap = gap_days(published, found.date)
        if gap == 0:
            continue
        findings.append(_url_date_finding(citation, published, found, url, gap))
    for symbol in citation.un_symbols:
        years = symbol_years(symbol)
        if years is None or (published.first.year <= years[1] and published.last.year >= years[0]):
            continue
        off = min(abs(published.first.year - years[1]), abs(published.last.year - years[0]))
        findings.append(
            _finding(
                citation,
                Severity.HIGH if off > 1 else Severity.MEDIUM,
                f"{_where(citation)}: {symbol} carries the year {years[1]} but is dated "
                f"{published.text}, {off} year{'s' if off != 1 else ''} off; "
                "check the date or the symbol.",
                f"un-year:{symbol}",
                (("date", published.text), ("symbol", symbol), ("year", str(years[1]))),
            )
        )
    sessions = [(s, general_assembly_session(s)) for s in citation.un_symbols]
    named = session_named_in_text(citation.raw)
    if named is not None and not any(n == named for _, n in sessions):
        sessions.append((f"named:{named}", named))
    for symbol, session in sessions:
        if session is None:
            continue
        first_year, last_year = session_years(session)
        if published.first.year <= last_year and published.last.year >= first_year:
            continue
        distance = min(abs(published.first.year - last_year), abs(published.last.year - first_year))
        findings.append(
            _finding(
                citation,
                Severity.HIGH if distance > 1 else Severity.MEDIUM,
                f"{_where(citation)}: {_session_subject(symbol, session)} "
                f"({first_year}–{str(last_year)[2:]}) but is dated "
                f"{published.text}, {distance} year{'s' if distance != 1 else ''} off; "
                f"check the date or the {'session' if symbol.startswith('named:') else 'symbol'}.",
                f"un-session:{symbol}",
                (("date", published.text), ("symbol", symbol), ("session", str(session))),
            )
        )
    return findings


def _session_subject(symbol: str, session: int) -> str:
    if symbol.startswith("named:"):
        return f"the citation names the {_ordinal(session)} General Assembly session"
    return f"{symbol} is a document of the {_ordinal(session)} General Assembly session"


def _url_date_finding(
    citation: Citation, published: DateSpan, found: UrlDate, url: str, gap: int
) -> Finding:
    """Which side is likely wrong: a page cannot be posted before what it carries."""
    url_is_earlier = found.date.last < published.first
    if gap <= ONE_DAY:
        severity = Severity.LOW
        advice = "probably an online versus print date; align them if they are the same edition."
    elif url_is_earlier:
        severity = Severity.HIGH if gap > 31 else Severity.MEDIUM
        advice = "the page cannot be older than what it carries, so the cited date is likely wrong."
    else:
        severity = Severity.MEDIUM if gap > LATER_POSTING_DAYS else Severity.LOW
        advice = (
            "the page may be a later posting of an earlier original; "
            "otherwise the cited date is likely wrong."
        )
    earlier_later = "earlier" if url_is_earlier else "later"
    return _finding(
        citation,
        severity,
        f"{_where(citation)}: dated {published.text} but its URL says {found.date.iso()} "
        f"({_days(gap)} {earlier_later}); {advice}",
        f"url-date:{url}",
        (("date", published.text), ("url_date", found.date.iso()), ("url", url)),
        url=url,
    )


def _checked_span(
    citation: Citation, field: str, today: date, findings: list[Finding]
) -> DateSpan | None:
    """Parse one date field, adding a finding when it is impossible or in the future."""
    text = citation.fields.get(field, "").strip()
    if not text:
        return None
    label = "access date" if field == "urldate" else "date"
    span = parse_span(text)
    if isinstance(span, DateProblem) and not span.impossible:
        return None
    if isinstance(span, DateProblem):
        findings.append(
            _finding(
                citation,
                Severity.HIGH,
                f"{_where(citation)}: the {label} {text!r} is impossible ({span.reason}); "
                "correct it.",
                f"impossible:{field}",
                ((field, text),),
            )
        )
        return None
    if span.first > today:
        ahead = (span.first - today).days
        findings.append(
            _finding(
                citation,
                Severity.HIGH,
                f"{_where(citation)}: the {label} {text} is {_days(ahead)} in the future; "
                "correct it.",
                f"future:{field}",
                ((field, text), ("today", today.isoformat())),
            )
        )
        return None
    return span


def _finding(
    citation: Citation,
    severity: Severity,
    message: str,
    check: str,
    evidence: tuple[tuple[str, str], ...],
    *,
    url: str | None = None,
) -> Finding:
    return Finding(
        kind=FindingKind.DATE_MISMATCH,
        severity=severity,
        message=message,
        places=(citation.place,),
        subject=f"{citation.key}:{check}",
        url=url,
        evidence=(("check", check.split(":", 1)[0]), *evidence),
    )


def cluster_date_findings(clusters: Iterable[Cluster]) -> list[Finding]:
    """The same work dated differently in different citations.

    The date most variants agree on (the most precise on a tie) is taken as
    right; each variant that disagrees with it is named with the gap in days.
    """
    findings: list[Finding] = []
    for cluster in clusters:
        spans = [(v, parse_span(v.date)) for v in cluster.variants if v.date]
        dated = [(v, s) for v, s in spans if isinstance(s, DateSpan)]
        if len(dated) < 2:
            continue
        reference = _consensus([s for _, s in dated])
        outliers = [(v, gap_days(s, reference)) for v, s in dated if gap_days(s, reference) > 0]
        if not outliers:
            continue
        worst = max(gap for _, gap in outliers)
        severity = Severity.LOW if worst <= ONE_DAY else Severity.MEDIUM
        if worst > 366:
            severity = Severity.HIGH
        listed = "; ".join(
            f"{v.place.document} note {v.place.note} says {v.date} ({_days(g)} off)"
            for v, g in outliers
        )
        agreeing = sum(1 for _, s in dated if gap_days(s, reference) == 0)
        findings.append(
            Finding(
                kind=FindingKind.DATE_MISMATCH,
                severity=severity,
                message=(
                    f"{cluster.key} is dated {reference.text} in {agreeing} of {len(dated)} "
                    f"citations but {listed}; use one date for the same work."
                ),
                places=tuple(v.place for v in cluster.variants),
                subject=f"{cluster.key}:cluster-date",
                evidence=(
                    ("check", "same-work"),
                    *((f"{v.place.document}#{v.place.note}", v.date) for v, _ in dated),
                ),
            )
        )
    return findings


def _consensus(spans: Sequence[DateSpan]) -> DateSpan:
    """The span that agrees with the most others; ties go to the most precise, then earliest.

    Counting is n log n, not pairwise: a span overlaps every other except those that end
    before it starts or start after it ends, counted by bisecting the sorted ends and starts
    (one work cited 8,000 times took minutes pairwise).
    """
    firsts = sorted(span.first for span in spans)
    lasts = sorted(span.last for span in spans)

    def score(span: DateSpan) -> tuple[int, int, int]:
        ended_before = bisect_left(lasts, span.first)
        start_after = len(firsts) - bisect_right(firsts, span.last)
        agreeing = len(spans) - ended_before - start_after
        width = (span.last - span.first).days
        return (agreeing, -width, -span.first.toordinal())

    return max(spans, key=score)


def date_findings(citations: Iterable[Citation], today: date) -> list[Finding]:
    """Every per-citation date finding over a corpus (cross-citation ones come from clusters)."""
    findings: list[Finding] = []
    for citation in citations:
        findings.extend(citation_date_findings(citation, today))
    return findings
