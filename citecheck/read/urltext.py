"""Finding and repairing URLs inside note and body text.

A note arrives as raw lines. `unwrap_lines` undoes the line breaks (rejoining a URL
split across lines without a space, and a word split by a line-end hyphen); `find_urls`
then returns every URL as a reader would click it; `readable_text` gives the note text
with markdown removed.

Every regular expression here is linear: character classes with a single `*`, no
nested quantifiers over overlapping alternatives, and scanners that never revisit
text, so a multi-megabyte line without spaces costs one pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# A URL is ASCII from its scheme (or `www.`) to the first space, quote, angle bracket
# or non-ASCII character: full-width punctuation such as 。 or ， therefore ends it.
# The backslash is kept so that markdown escapes (`\(`) can be undone afterwards.
_URL_CHARS = r"[\x21\x23-\x3b\x3d\x3f-\x7e]"
BARE_URL = re.compile(
    r"(?<![A-Za-z0-9@/._-])(?:[Hh][Tt][Tt][Pp][Ss]?://|[Ww][Ww][Ww]\.)" + _URL_CHARS + "*"
)
_URL_START = re.compile(r"(?:[Hh][Tt][Tt][Pp][Ss]?://|[Ww][Ww][Ww]\.)")
_SCHEME = re.compile(r"[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9]")
_WWW = re.compile(r"[Ww][Ww][Ww]\.[A-Za-z0-9]")
_URL_RUN = re.compile(_URL_CHARS + "*")
_FIRST_SPACE = re.compile(r"\s")

# `[text](` opens a markdown link; the text may not contain brackets or line breaks,
# so each character is looked at by at most one attempt.
_LINK_OPEN = re.compile(r"\[([^\[\]\n]*)\]\(")
_AUTOLINK = re.compile(r"<((?:[Hh][Tt][Tt][Pp][Ss]?://|[Ww][Ww][Ww]\.)[^<>\s]*)>")
# A backslash run before ASCII punctuation is an escape. Converters sometimes double
# it (`\\$FILE`), so the whole run goes; starting only at a run's first backslash
# keeps this linear on long runs.
_ESCAPE = re.compile(r"(?<!\\)\\+([!-/:-@\[-`{-~])")
_EMPHASIS = re.compile(r"\*+")
_SPACES = re.compile(r"\s+")

# Sentence punctuation that ends a sentence rather than a URL.
_TRAILING = frozenset(".,;:!?'\"*")
_CLOSERS = {")": "(", "]": "[", "}": "{"}


@dataclass(frozen=True)
class MarkdownLink:
    """A `[text](target)` link: where it stands in the text, what it shows, where it points."""

    start: int
    end: int
    text: str
    target: str


@dataclass(frozen=True)
class FoundUrl:
    """A URL found in a text: its clickable form and the offset where it starts."""

    url: str
    start: int


def unescape(text: str) -> str:
    """Undo markdown backslash escapes: `\\$` → `$`, `\\(` → `(`."""
    return _ESCAPE.sub(r"\1", text)


def clean_url(raw: str) -> str | None:
    """The clickable form of a raw URL, or None when what is left is not a URL.

    Escapes are undone, trailing sentence punctuation and unbalanced closing
    brackets are dropped, and a bare `www.` address gets `http://` in front.
    """
    url = unescape(raw)
    opened = {opener: url.count(opener) for opener in "([{"}
    closed = {closer: url.count(closer) for closer in _CLOSERS}
    end = len(url)
    while end:
        last = url[end - 1]
        if last in _TRAILING:
            end -= 1
        elif last in _CLOSERS and closed[last] > opened[_CLOSERS[last]]:
            closed[last] -= 1
            end -= 1
        else:
            break
    url = url[:end]
    if _WWW.match(url):
        return "http://" + url
    if _SCHEME.match(url):
        return url
    return None


def markdown_links(text: str) -> list[MarkdownLink]:
    """Every `[text](target)` link; the target may hold balanced parentheses.

    A target that never closes is skipped together with the text it covered, so
    every character is scanned a bounded number of times.
    """
    links: list[MarkdownLink] = []
    position = 0
    while True:
        opening = _LINK_OPEN.search(text, position)
        if opening is None:
            return links
        closed, index = _target_end(text, opening.end())
        if not closed:
            position = max(opening.end(), index)
            continue
        target = text[opening.end() : index]
        if target.startswith("<") and target.endswith(">"):
            target = target[1:-1]
        links.append(MarkdownLink(opening.start(), index + 1, opening.group(1), target))
        position = index + 1


def _target_end(text: str, start: int) -> tuple[bool, int]:
    """Find the `)` closing a link target that starts at `start`.

    Returns (True, index of that parenthesis) or (False, index where scanning stopped):
    a target ends at its matching parenthesis and never holds a space or a line break
    (inside `<…>`, no angle bracket before the closing one either).
    """
    length = len(text)
    if start < length and text[start] == "<":
        index = start + 1
        while index < length and text[index] not in "<>" and not text[index].isspace():
            index += 1
        if index + 1 < length and text[index] == ">" and text[index + 1] == ")":
            return True, index + 1
        return False, index
    depth = 0
    index = start
    while index < length:
        char = text[index]
        if char == "\\" and index + 1 < length and not text[index + 1].isspace():
            index += 2  # an escaped character, never a space: `\ ` still ends the target
            continue
        if char.isspace() or char in "<>":
            return False, index
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return True, index
            depth -= 1
        index += 1
    return False, length


def find_urls(text: str) -> list[FoundUrl]:
    """Every URL in `text`, in order, as a person would click it.

    A markdown link yields its target once (its text, often the same address, is
    not counted again); `<url>` and bare URLs yield themselves.
    """
    found: list[FoundUrl] = []
    position = 0
    for link in markdown_links(text):
        found.extend(_bare_urls(text, position, link.start))
        url = clean_url(link.target)
        if url is not None:
            found.append(FoundUrl(url, link.start))
        position = link.end
    found.extend(_bare_urls(text, position, len(text)))
    return found


def _bare_urls(text: str, start: int, end: int) -> Iterable[FoundUrl]:
    for match in BARE_URL.finditer(text, start, end):
        url = clean_url(match.group())
        if url is not None:
            yield FoundUrl(url, match.start())


def readable_text(text: str) -> str:
    """The text a reader sees: links shown as their text, `<url>` unwrapped,
    emphasis asterisks and backslash escapes removed, whitespace collapsed."""
    pieces: list[str] = []
    position = 0
    for link in markdown_links(text):
        pieces.append(text[position : link.start])
        pieces.append(link.text)
        position = link.end
    pieces.append(text[position:])
    plain = _AUTOLINK.sub(r"\1", "".join(pieces))
    plain = unescape(_EMPHASIS.sub("", plain))
    return _SPACES.sub(" ", plain).strip()


def ends_in_open_url(word: str) -> bool:
    """Whether a word (no spaces) ends inside a URL: a URL starts in it and runs to its end."""
    if _URL_START.search(word) is None:
        return False
    last_end = -1
    for match in BARE_URL.finditer(word):
        last_end = match.end()
    return last_end == len(word)


def unwrap_lines(lines: Iterable[str], hard_wrapped: bool = True) -> str:
    """Join the raw lines of one paragraph or note into one line of text.

    With `hard_wrapped` false (markdown, where a line break is a soft break and never
    splits a word or URL) lines are simply joined with a space. Hard-wrapped lines
    (rendered from PDF) are repaired:

    - A line that ends inside a URL, with no space after it, continues the URL on the
      next line: joined without a space, a line-end hyphen kept (`us-` + `china-…`).
      A trailing space is the signal that a URL ended at the line's end.
    - A word split by a line-end hyphen is rejoined (`interna-` + `tional`); when the
      next part starts with a capital or digit, or the word already holds a hyphen
      (`People-to-` + `People`), the hyphen stays.
    - Otherwise lines are joined with one space. Blank lines are skipped.
    Runs in time linear in the total length, however many lines a URL spans.
    """
    return unwrap_with_offsets(lines, hard_wrapped)[0]


def unwrap_with_offsets(lines: Iterable[str], hard_wrapped: bool = True) -> tuple[str, list[int]]:
    """`unwrap_lines`, plus for each input line the offset where its text begins."""
    pieces: list[str] = []
    offsets: list[int] = []
    blanks = 0  # blank lines waiting for the offset of the next line with text
    length = 0
    open_url = False
    ended_with_space = True
    for raw in lines:
        line = raw.strip()
        if not line:
            blanks += 1
            continue
        direct = False
        if not pieces:
            piece = line
        elif not hard_wrapped:
            piece = " " + line
        elif (
            open_url and not ended_with_space and not url_ends_before(pieces[-1], line)
        ) or _splits_scheme(pieces[-1], line):
            piece = line
            direct = True
        elif _is_split_word(pieces[-1], line):
            pieces[-1] = pieces[-1][:-1]
            length -= 1
            piece = line
        elif pieces[-1].endswith("-") and len(pieces[-1]) > 1 and pieces[-1][-2].isalnum():
            piece = line
        else:
            piece = " " + line
        offsets.extend([length + len(piece) - len(line)] * (blanks + 1))
        blanks = 0
        pieces.append(piece)
        length += len(piece)
        if direct and _FIRST_SPACE.search(line) is None:
            open_url = _URL_RUN.fullmatch(line) is not None
        else:
            open_url = ends_in_open_url(line.rsplit(None, 1)[-1])
        ended_with_space = raw.rstrip("\n")[-1:].isspace()
    offsets.extend([length] * blanks)
    return "".join(pieces), offsets


_FILE_END = re.compile(
    r"\.(?:pdf|html?|aspx?|php|jsp|docx?|xlsx?|pptx?|txt|xml|json|csv|md)$", re.I
)
_PUNCT_END = re.compile(r"[.,;:]$")
_WORD_START = re.compile(r"[A-Z][a-z]+(?![A-Za-z0-9./_-])|[A-Z]{3,}")
_SCHEMES = ("https://", "http://")
_PLAIN_WORD = re.compile(r"[a-z]{4,}[,;:]?")  # longer than a top-level domain


def url_ends_before(previous: str, line: str) -> bool:
    """Whether a URL open at the end of `previous` ends there although no space follows.

    The next line starts with a word (`Nathanson`, `CHAPTER`, `Industry`) and the URL
    already looks complete: it ends in a file name (`.pdf`) or in sentence punctuation.
    """
    word = previous.rsplit(None, 1)[-1] if previous.strip() else ""
    if _WORD_START.match(line) is None:
        # `…?id=6489.` + `water law`: a plain lowercase word after sentence punctuation
        first = line.split(None, 1)
        plain = _PLAIN_WORD.fullmatch(first[0]) if len(first) == 2 else None
        return plain is not None and _PUNCT_END.search(word) is not None
    return bool(_FILE_END.search(word) or _PUNCT_END.search(word))


def _splits_scheme(previous: str, line: str) -> bool:
    """`htt` + `ps://…`, `https:` + `//…`: a scheme cut at a line end."""
    word = previous.rsplit(None, 1)[-1] if previous.strip() else ""
    if not word or not line or line[0].isspace():
        return False
    lowered = word.lower()
    start = max(lowered.rfind("("), lowered.rfind("<"), lowered.rfind("["), -1) + 1
    head = lowered[start:]
    if not head or (head in ("h",) and not line.lower().startswith("ttp")):
        return False
    joined = head + line[:8].lower()
    return any(
        scheme.startswith(head) and len(head) < len(scheme) and joined.startswith(scheme)
        for scheme in _SCHEMES
    )


# `- press.com/…`, `- network-` (the chain goes on), `- pre ss.com/…` (a word cut again
# where its line ended): what follows a hyphen and a space inside a URL.
_SPACED_HYPHEN = re.compile(
    r"-[ ](?:[a-z0-9]{1,12}[ ](?=[a-z0-9][A-Za-z0-9._~%-]*[/?=#&]))?"
    r"[a-z0-9][A-Za-z0-9._~%-]*(?:[/.?=#&][\x21\x23-\x3b\x3d\x3f-\x7e]*|-(?=[ ]))"
)


# `example.org/report.pdf`: a host with a known top-level domain (or a two-letter one)
# followed by a path, with no scheme and no `www.`; not inside a URL or an e-mail address.
_HOST_PATH = re.compile(
    r"(?<![A-Za-z0-9@/._:-])(?:[A-Za-z0-9-]{1,63}\.){1,6}"
    r"(?:com|org|net|gov|edu|int|mil|info|biz|io|[a-z]{2})/" + _URL_CHARS + "*"
)


def find_urls_with_bare_hosts(text: str) -> list[FoundUrl]:
    """`find_urls`, plus addresses written without a scheme or `www.`
    (`example.org/report.pdf` → `http://example.org/report.pdf`), in order."""
    found = find_urls(text)
    taken = [(url.start, url.start + len(url.url)) for url in found]
    for match in _HOST_PATH.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        url = clean_url("http://" + match.group())
        if url is not None:
            found.append(FoundUrl(url, match.start()))
    return sorted(found, key=lambda url: url.start)


def rejoin_spaced_hyphens(text: str) -> str:
    """`https://journals.university- press.com/archive- industry` → one URL: a justified
    line in a PDF may put a space after a hyphen where the URL was allowed to break.

    Only inside a URL (from its scheme or `www.`, no space before the hyphen), and only
    when what follows the space looks like more of the URL (a `/`, `.`, `?` or `=` in it).
    """
    pieces: list[str] = []
    position = 0
    for match in BARE_URL.finditer(text):
        if match.start() < position:
            continue
        end = match.end()
        while end < len(text) and text[end - 1] == "-":
            more = _SPACED_HYPHEN.match(text, end - 1)
            if more is None:
                break
            end = more.end()
        if end == match.end():
            continue
        pieces.append(text[position : match.start()])
        pieces.append(_SPACES.sub("", text[match.start() : end]))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _is_split_word(previous: str, line: str) -> bool:
    """`interna-` + `tional`: a lowercase continuation of a plain word cut by a hyphen."""
    if not previous.endswith("-") or len(previous) < 2 or not previous[-2].isalpha():
        return False
    word = previous[previous.rfind(" ") + 1 : -1]
    return line[0].islower() and "-" not in word
