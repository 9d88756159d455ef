"""Stage 3, probe: links. Every distinct URL to probe, once, with every place citing it.

Two spellings of one address must be probed once and reported together, so a
URL is normalised before links are grouped: scheme and host case, default
ports, dot segments, percent-encoding (IRIs as UTF-8, escapes upper-cased,
unreserved characters decoded), IDN hosts as punycode, fragments dropped
(a server never sees them).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import SplitResult, urlsplit, urlunsplit

import idna

from citecheck.read.document import read_document
from citecheck.read.model import DocumentError, Place, note_place
from citecheck.util.quoting import quoted

if TYPE_CHECKING:  # annotations only: checking URL files must not load the citation parser
    from citecheck.cite.citation import CitedDocument
    from citecheck.read.model import NotedDocument

DEFAULT_PORTS = {"http": 80, "https": 443}
PROBED_SCHEMES = frozenset(DEFAULT_PORTS)
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Printable ASCII that may stand unescaped in a path or query (RFC 3986 pchar, "/", "?", "%").
_ALLOWED_RAW = frozenset("!$&'()*+,;=:@/?") | _UNRESERVED
_HEX = frozenset("0123456789abcdefABCDEF")
_HOST_NAME = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?")


@dataclass(frozen=True)
class Link:
    """A distinct URL (after normalisation) and where it is cited.

    `url` is the first spelling met in citation order. `dates` are the citation
    dates (ISO, as precise as given) of the citing works, so the archive
    fallback can pick a snapshot from when it was cited. `suggested_for` is set
    (to a UN symbol) when no author cited this URL: citecheck suggests it for a
    citation that names the symbol but gives no URL, so its failure is not a dead link.
    """

    url: str
    normalized_url: str
    cited_in: tuple[Place, ...] = ()
    dates: tuple[str, ...] = ()
    un_symbols: tuple[str, ...] = ()
    suggested_for: str | None = None


@dataclass(frozen=True)
class CitedUrl:
    """One occurrence of a URL in the input, before grouping."""

    url: str
    place: Place


def host_of(url: str) -> str:
    """The lower-cased host of `url`, "" when it has none or cannot be parsed: the unit of
    politeness (per-host limits, interleaving, a cluster's shards)."""
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def normalize_url(url: str) -> str:
    """The canonical spelling of `url`; total: a string that is not a URL comes back stripped.

    Only http(s) URLs are rewritten beyond the scheme's case; others are kept
    as cited, since we do not probe them.
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return text
    scheme = parts.scheme.lower()
    if scheme not in PROBED_SCHEMES:
        return (scheme + text[len(scheme) :]) if scheme else text
    host = _normalize_host(parts.hostname or "")
    netloc = host
    if ":" in host:  # an IPv6 literal
        netloc = f"[{host}]"
    if port is not None and port != DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    if userinfo:
        netloc = f"{_normalize_escapes(userinfo)}@{netloc}"
    path = _remove_dot_segments(_normalize_escapes(parts.path)) or "/"
    query = _normalize_escapes(parts.query)
    return urlunsplit(SplitResult(scheme, netloc, path, query, ""))


def url_problem(url: str) -> str | None:
    """Why `url` cannot be probed (a one-line reason), or None when it can."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - parsing the port validates it
    except ValueError as error:
        return f"invalid URL: {error}"
    scheme = parts.scheme.lower()
    if scheme not in PROBED_SCHEMES:
        return f"non-http scheme: {scheme or '(none)'}"
    if not parts.hostname:
        return "invalid URL: no host"
    try:
        host = _idna_host(parts.hostname)
    except idna.IDNAError as error:
        return f"invalid URL: host {parts.hostname!r}: {error}"
    if not (_HOST_NAME.fullmatch(host) or ":" in host):  # ":" only in an IPv6 literal
        return f"invalid URL: host {parts.hostname!r}"
    return None


def collect_links(cited: Iterable[CitedUrl]) -> tuple[Link, ...]:
    """Group citations by normalised URL, in order of first citation, keeping every place."""
    first_spelling: dict[str, str] = {}
    places: dict[str, dict[Place, None]] = {}  # an ordered set: a list search per place was
    for item in cited:  # quadratic for a URL cited thousands of times (issue 14 item 4)
        key = normalize_url(item.url)
        if key not in first_spelling:
            first_spelling[key] = item.url.strip()
            places[key] = {}
        places[key].setdefault(item.place, None)
    return tuple(
        Link(url=first_spelling[key], normalized_url=key, cited_in=tuple(places[key]))
        for key in first_spelling
    )


def with_citation_facts(links: Sequence[Link], cited: Sequence[CitedDocument]) -> tuple[Link, ...]:
    """Give each link the dates (urldate first, then date) and UN symbols of the works citing it,
    so the archive pass can pick a snapshot from when the work was cited."""
    dates: dict[str, list[str]] = {}
    symbols: dict[str, list[str]] = {}
    for document in cited:
        for note in document.notes:
            for citation in note.citations:
                for url in citation.urls:
                    key = normalize_url(url)
                    for name in ("urldate", "date"):
                        value = citation.fields.get(name)
                        if value and value not in dates.setdefault(key, []):
                            dates[key].append(value)
                    for symbol in citation.un_symbols:
                        if symbol not in symbols.setdefault(key, []):
                            symbols[key].append(symbol)
    return tuple(
        replace(
            link,
            dates=tuple(dates.get(link.normalized_url, ())),
            un_symbols=tuple(symbols.get(link.normalized_url, ())),
        )
        for link in links
    )


def urls_of_documents(documents: Sequence[NotedDocument]) -> list[CitedUrl]:
    """Every URL of every note (with its number and line) and of the body (with its line)."""
    found: list[CitedUrl] = []
    for document in documents:
        for note in document.notes:
            found.extend(CitedUrl(url, note_place(document.path, note)) for url in note.urls)
        found.extend(
            CitedUrl(body.url, Place(document.path, None, body.line, body.page))
            for body in document.body_urls
        )
    return found


def urls_of_url_file(path: Path) -> list[CitedUrl]:
    """One URL per line; blank lines and lines starting with `#` are skipped."""
    document = read_document(path)
    found: list[CitedUrl] = []
    for number, line in enumerate(document.text.split("\n"), start=1):
        text = line.strip()
        if text and not text.startswith("#"):
            found.append(CitedUrl(text, Place(document.path, None, number)))
    return found


_BIB_URL_FIELD = re.compile(r"^\s*url\s*=\s*", re.IGNORECASE)
_BIB_INLINE_URL = re.compile(r"[,{\s]url\s*=\s*(\{[^{}]*\}|\"[^\"]*\")", re.IGNORECASE)
_BIB_ENTRY_START = re.compile(r"^\s*@\s*(\w+)\s*[{(]\s*([^,\s]*)")


def urls_of_bib_file(path: Path) -> list[CitedUrl]:
    """The `url` field of every entry, with the line where the field stands.

    A line scanner is enough here (and keeps the line number, which a parser
    drops): `url = {…}` or `url = "…"` on one line, as BibTeX writers emit it.
    """
    document = read_document(path)
    found: list[CitedUrl] = []
    for number, line in enumerate(document.text.split("\n"), start=1):
        if _BIB_ENTRY_START.match(line):
            # an entry on one line (`@misc{k, url = {…}}`) still has its url read
            for inline in _BIB_INLINE_URL.finditer(line):
                value = inline.group(1)[1:-1].strip()
                if value:
                    found.append(CitedUrl(value, Place(document.path, None, number)))
            continue
        match = _BIB_URL_FIELD.match(line)
        if match is None:
            continue
        value = line[match.end() :].strip().rstrip(",").strip()
        if len(value) >= 2 and value[0] in '{"' and value[-1] in '}"':
            value = value[1:-1].strip()
        if value:
            found.append(CitedUrl(value, Place(document.path, None, number)))
    if not found and "@" not in document.text:
        raise DocumentError(f"{quoted(path)}: no BibTeX entries")
    return found


def bib_problems(path: Path) -> list[str]:
    """One line per entry of a .bib that a BibTeX reader cannot read (`file:line: why`).

    The url scanner above reads what it can from any text; this says which entries are
    broken, so a malformed .bib yields per-entry problems rather than silence or a crash.
    """
    # Imported here: a check without .bib input should not pay for loading the parser.
    from bibtexparser import parse_string as parse_bibtex  # type: ignore[attr-defined]  # noqa: PLC0415

    document = read_document(path)
    quiet = logging.getLogger("bibtexparser")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # it logs each failure itself; we report them once
    try:
        library = parse_bibtex(document.text)
    except Exception as failure:  # a reader bug must not stop the check; say so instead
        return [f"{quoted(path)}: cannot be read as BibTeX: {type(failure).__name__}"]
    finally:
        quiet.setLevel(level)
    problems = []
    for block in library.failed_blocks:
        cause = block.error
        reason = getattr(cause, "abort_reason", None) or str(cause) or type(cause).__name__
        reason = " ".join(str(reason).split())[:200]
        line = (block.start_line or 0) + 1
        problems.append(f"{quoted(path)}:{line}: entry not readable: {reason}")
    return problems


def _normalize_host(host: str) -> str:
    host = host.rstrip(".").lower()
    try:
        return _idna_host(host)
    except idna.IDNAError:
        return host


def _idna_host(host: str) -> str:
    """Punycode for non-ASCII labels (UTS 46 mapping, so full-width dots and case fold too)."""
    if host.isascii():
        return host.lower()
    return idna.encode(host, uts46=True).decode("ascii")


def _normalize_escapes(component: str) -> str:
    """Percent-encode what must be (UTF-8 for non-ASCII), upper-case escapes, decode unreserved."""
    out: list[str] = []
    i = 0
    length = len(component)
    while i < length:
        char = component[i]
        if char == "%":
            pair = component[i + 1 : i + 3]
            if len(pair) == 2 and pair[0] in _HEX and pair[1] in _HEX:
                decoded = chr(int(pair, 16))
                out.append(decoded if decoded in _UNRESERVED else "%" + pair.upper())
                i += 3
                continue
            out.append("%25")
        elif char in _ALLOWED_RAW:
            out.append(char)
        else:
            out.extend(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))
        i += 1
    return "".join(out)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 §5.2.4: `/a/./b/../c` → `/a/c`, so equivalent paths compare equal."""
    if "." not in path:
        return path
    segments = path.split("/")
    output: list[str] = []
    for segment in segments[1:] if path.startswith("/") else segments:
        if segment == "..":
            if output:
                output.pop()
        elif segment != ".":
            output.append(segment)
    if segments[-1] in (".", ".."):
        output.append("")
    prefix = "/" if path.startswith("/") else ""
    return prefix + "/".join(output)
