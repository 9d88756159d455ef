"""UN document symbols: find them in text, parse them into parts, print them canonically.

A symbol such as `A/C.1/53/PV.3/Corr.1*` names one United Nations document. Its grammar
(from the UN's own conventions for document symbols):

    symbol     = organ ("/" body)* ["/" session] ("/" component)+ ("/" suffix)*
                 [" (" year ")"] ["*"]
    organ      = "A" | "S" | "E" | "ST" | "TD" | "DP" | "UNEP" | …   (the issuing organ or series)
    body       = "C.1" | "CN.4" | "HRC" | "CONF.213" | "ES-10" | …     (committee, commission, …)
    component  = "RES" | "PV.3" | "L.45" | "174" | …
    suffix     = ("Add" | "Rev" | "Corr" | "Amend") "." number
    year       = four digits (Security Council resolutions: `S/RES/1440 (2002)`)
    "*"        = the document was reissued for technical reasons

`UNSymbol` is what the rest of citecheck uses (the UN site rule, session↔date checks);
`parse_symbol` returns a `SymbolError` value instead of raising, so a bad symbol in a note
becomes a problem to report rather than a crash. Matching is linear: every regex here is a
sequence of bounded, non-nested character classes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

ORGANS = frozenset({"A", "S", "E", "ST", "TD", "DP", "UNEP", "CCPR", "CERD", "CRC", "CEDAW"})
SUFFIX_KINDS = ("Add", "Rev", "Corr", "Amend")

_COMPONENT = r"[A-Za-z0-9](?:[A-Za-z0-9.\-]{0,30}[A-Za-z0-9])?"
_SYMBOL_RE = re.compile(
    r"(?<![\w/.=\-])(?:" + "|".join(sorted(ORGANS, key=len, reverse=True)) + r")"
    r"(?:/" + _COMPONENT + r"){1,10}(?: \((?:19|20)\d\d\))?\*?"
)
_COMPONENT_RE = re.compile(r"^[A-Z0-9][A-Z0-9.\-]*$")
_SUFFIX_RE = re.compile(r"^(Add|Rev|Corr|Amend)\.(\d{1,4})$")
_SESSION_RE = re.compile(r"^(?:ES-)?\d{1,3}$")
_YEAR_SLOT_RE = re.compile(r"^(?:19|20)\d\d$")
_YEAR_RE = re.compile(r"^(.*) \(((?:19|20)\d\d)\)$")


@dataclass(frozen=True)
class UNSymbol:
    """A parsed UN document symbol.

    `organ` is the issuing organ or series (`A` General Assembly, `S` Security Council,
    `E` ECOSOC, …); `components` everything between the organ and the suffixes, in order
    (`("C.1", "53", "PV.3")`); `session` the General Assembly session (`"53"`, or `"ES-10"`
    for an emergency special session); `year` a year the symbol carries (`S/RES/1440 (2002)`,
    `S/2002/1234`, `E/CN.4/2005/…`); `number` the document's own number (the last
    component); `suffixes` the `(kind, n)` pairs of `/Add.n`, `/Rev.n`, `/Corr.n`,
    `/Amend.n`; `reissued` the trailing `*`.
    """

    organ: str
    components: tuple[str, ...]
    session: str | None = None
    year: int | None = None
    suffixes: tuple[tuple[str, int], ...] = ()
    reissued: bool = False
    year_in_parentheses: bool = False

    @property
    def canonical(self) -> str:
        """The symbol as the UN prints it, e.g. `A/C.1/53/PV.3/Corr.1`."""
        pieces = [self.organ, *self.components]
        pieces.extend(f"{kind}.{n}" for kind, n in self.suffixes)
        text = "/".join(pieces)
        if self.year_in_parentheses and self.year is not None:
            text += f" ({self.year})"
        return text + ("*" if self.reissued else "")

    @property
    def number(self) -> str:
        """The document's own number: the last component (`174` in `A/70/174`)."""
        return self.components[-1]

    @property
    def bodies(self) -> tuple[str, ...]:
        """Subsidiary bodies named before the session/number (`C.1`, `CN.4`, `HRC`)."""
        found: list[str] = []
        for component in self.components[:-1]:
            if component == self.session or _SESSION_RE.match(component) or component == "RES":
                break
            if _YEAR_SLOT_RE.match(component):
                break
            found.append(component)
        return tuple(found)

    @property
    def is_resolution(self) -> bool:
        return "RES" in self.components

    @property
    def session_number(self) -> int | None:
        """The General Assembly session as an int (None for ES- sessions and other organs)."""
        if self.organ == "A" and self.session is not None and self.session.isdigit():
            return int(self.session)
        return None

    def __str__(self) -> str:
        return self.canonical


@dataclass(frozen=True)
class SymbolError:
    """A string that looked like a UN symbol but breaks the grammar; `reason` says how."""

    text: str
    reason: str


def parse_symbol(text: str) -> UNSymbol | SymbolError:
    """Parse one symbol (surrounding spaces and a final full stop are ignored)."""
    raw = text.strip().rstrip(".")
    reissued = raw.endswith("*")
    raw = raw.rstrip("*")
    year: int | None = None
    year_match = _YEAR_RE.match(raw)
    if year_match:
        raw, year = year_match.group(1), int(year_match.group(2))
    pieces = raw.split("/")
    organ = pieces[0]
    if organ not in ORGANS:
        return SymbolError(text, f"unknown organ or series {organ!r}")
    if len(pieces) < 2 or any(not piece for piece in pieces):
        return SymbolError(text, "a symbol needs at least two non-empty components")
    components = pieces[1:]
    suffixes: list[tuple[str, int]] = []
    while components and _SUFFIX_RE.match(components[-1]):
        match = _SUFFIX_RE.match(components.pop())
        assert match is not None
        suffixes.insert(0, (match.group(1), int(match.group(2))))
    if not components:
        return SymbolError(text, "the symbol has only Add./Rev./Corr./Amend. parts")
    if any(_SUFFIX_RE.match(c) for c in components):
        return SymbolError(text, "Add./Rev./Corr./Amend. parts must come last")
    for component in components:
        if not _COMPONENT_RE.match(component):
            return SymbolError(text, f"component {component!r} is not upper-case letters/digits")
    if not any(ch.isdigit() for ch in components[-1]):
        return SymbolError(text, f"the document number {components[-1]!r} has no digit")
    session: str | None = None
    slot_year: int | None = None
    for component in components[:-1]:
        if organ == "A" and _SESSION_RE.match(component):
            session = component
            break
        if _YEAR_SLOT_RE.match(component):
            slot_year = int(component)
            break
    if organ == "A" and "RES" in components and session is None:
        return SymbolError(
            text, "a General Assembly resolution needs a session: A/RES/<session>/<n>"
        )
    if year is not None and slot_year is not None and year != slot_year:
        return SymbolError(text, f"the year {year} contradicts the year slot {slot_year}")
    return UNSymbol(
        organ=organ,
        components=tuple(components),
        session=session,
        year=year if year is not None else slot_year,
        suffixes=tuple(suffixes),
        reissued=reissued,
        year_in_parentheses=year is not None,
    )


def find_symbols(text: str) -> tuple[UNSymbol, ...]:
    """Every valid symbol standing in `text` (not inside URLs), in order, without repeats."""
    found: list[UNSymbol] = []
    seen: set[UNSymbol] = set()  # a list lookup here made a text of many symbols quadratic
    for match in _SYMBOL_RE.finditer(text):
        candidate = match.group(0)
        if not candidate.startswith("S/"):
            # Only Security Council resolutions carry a parenthesised year; for other
            # organs `(2004)` is the date of the citation around the symbol.
            candidate = re.sub(r" \(\d{4}\)", "", candidate)
        parsed = parse_symbol(candidate)
        if isinstance(parsed, UNSymbol) and parsed not in seen:
            seen.add(parsed)
            found.append(parsed)
    return tuple(found)


def symbol_in_url(url: str) -> UNSymbol | None:
    """The symbol a document URL names: its `symbol=` query parameter, or a path that is one.

    `…/view_doc.asp?symbol=A/RES/53/70` and `…/A/70/172` both name a document; any other
    URL gives None. No host is checked here: the per-site rules decide which hosts matter.
    """
    parts = urlsplit(url if "://" in url else "http://" + url)
    for value in parse_qs(parts.query).get("symbol", []):
        parsed = parse_symbol(value)
        if isinstance(parsed, UNSymbol):
            return parsed
    path = parts.path.strip("/")
    if path and path.split("/")[0] in ORGANS:
        parsed = parse_symbol(path)
        if isinstance(parsed, UNSymbol):
            return parsed
    return None
