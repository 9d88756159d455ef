"""The LaTeX reader: notes from `\\footnote`, `\\footnotetext`, `\\endnote` and `\\footcite`.

The source is scanned, not compiled. A small scanner walks each file with comments, `\\verb`
and verbatim environments skipped, and reads the arguments of the note commands by brace
matching; the arguments of `\\url` and the target of `\\href` are read verbatim first, so
`%` and `~` inside them stay characters. `\\input`/`\\include` are followed from the main
file (bounded depth, never outside the main file's folder). A note's LaTeX becomes text
with pylatexenc (MIT) once URLs, citations and `\\verb` are set aside. `\\cite`-family keys
in a note are looked up in the `.bib` files the document names (bibtexparser 2, MIT) and
become the note's `CitedEntry` values; the entry's `url` is one of the note's URLs.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from bibtexparser import parse_string as parse_bibtex  # type: ignore[attr-defined]
from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.latexwalker import LatexWalker, get_default_latex_context_db

from citecheck.read.document import decode_text
from citecheck.read.model import (
    BodyUrl,
    CitedEntry,
    DocumentError,
    Marker,
    Note,
    NotedDocument,
    Problem,
)
from citecheck.read.notes import find_problems
from citecheck.read.urltext import clean_url, find_urls

MAX_DEPTH = 8  # \input nesting
MAX_FILES = 200
MAX_BYTES = 20_000_000  # all files together
MISSING_INPUT = "missing-input"
UNBALANCED = "unbalanced-braces"
MISSING_KEY = "missing-cite-key"
KEY_CASE = "cite-key-case"
MISSING_BIB = "missing-bib-file"

NOTE_COMMANDS = frozenset({"footnote", "footnotetext", "endnote", "footcite"})
CITE_COMMANDS = frozenset(
    {
        "cite",
        "citep",
        "citet",
        "citealp",
        "citealt",
        "citeauthor",
        "citeyear",
        "parencite",
        "textcite",
        "autocite",
        "footcite",
        "fullcite",
        "footfullcite",
        "smartcite",
        "supercite",
        "nocite",
        "citetitle",
    }
)
VERBATIM_ENVIRONMENTS = ("verbatim", "Verbatim", "lstlisting", "minted", "comment")
_COMMAND = re.compile(r"\\([A-Za-z@]+\*?|.)")
_PLACEHOLDER = 0xE000  # private-use characters stand for text set aside before pylatexenc


@dataclass(frozen=True)
class _Span:
    """A note command found in one file: its kind, optional number, body and where it stands."""

    kind: str
    number: int | None
    body: str
    file: Path
    line: int


@dataclass
class _Scan:
    """What scanning the main file and its inputs found."""

    root: Path
    notes: list[_Span] = field(default_factory=list)
    marks: list[tuple[int | None, Path, int]] = field(default_factory=list)  # \footnotemark
    body_urls: list[tuple[str, Path, int]] = field(default_factory=list)
    bibs: list[tuple[str, Path, int]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    size: int = 0


class _Unbalanced(Exception):
    """An argument whose closing brace never comes."""


def read_latex(path: Path) -> NotedDocument:
    """Read a LaTeX document's notes (following its inputs), or raise DocumentError."""
    scan = _Scan(root=path.resolve().parent)
    _scan_file(path, scan, depth=0, stack=())
    bib = _load_bibs(scan)
    main = path.resolve()
    numbers = [
        number
        for span, number in zip(scan.notes, _numbers(scan.notes), strict=True)
        if span.kind != "footnotemark"
    ]
    scan.notes = [span for span in scan.notes if span.kind != "footnotemark"]
    drafts: list[tuple[_Span, str, tuple[str, ...], tuple[CitedEntry, ...]]] = []
    for span in scan.notes:
        text, urls, keys = render(span.body)
        entries = _entries(keys, bib, span, scan.problems, path) if scan.bibs else ()
        entry_urls = tuple(
            url for entry in entries for name, url in entry.fields if name == "url" and url
        )
        drafts.append((span, text, tuple(dict.fromkeys(urls + entry_urls)), entries))
    notes = tuple(
        Note(
            number=number,
            line=span.line,
            text=text,
            urls=urls,
            label=label,
            source=None if span.file == main else _relative(span.file, scan.root),
            entries=entries,
        )
        for (span, text, urls, entries), (number, label) in zip(drafts, numbers, strict=True)
    )
    markers = _markers(scan, notes)
    body_urls = tuple(BodyUrl(url, line) for url, _, line in scan.body_urls)
    problems = [*scan.problems, *find_problems(markers, notes)]
    return NotedDocument(
        path=str(path),
        markers=tuple(m.number for m in markers),
        notes=notes,
        body_urls=body_urls,
        problems=tuple(problems),
        marker_places=tuple(markers),
        format="latex",
    )


def _relative(file: Path, root: Path) -> str:
    try:
        return str(file.relative_to(root))
    except ValueError:
        return str(file)


def _numbers(spans: list[_Span]) -> list[tuple[int, str | None]]:
    """Each note's number, and its label when the printed numbers do not run 1, 2, 3, ….

    Footnotes and endnotes count separately, as LaTeX counts them (a `\\footnotemark`
    counts, its `\\footnotetext` does not); an explicit `[n]` sets the count. When the
    printed numbers are not strictly increasing through the document (endnotes beside
    footnotes, a number set twice), notes are numbered in reading order and keep the
    printed number as their label.
    """
    printed: list[int] = []
    counters = {"footnote": 0, "endnote": 0}
    for span in spans:
        counter = "endnote" if span.kind == "endnote" else "footnote"
        if span.number is not None:
            counters[counter] = span.number
        elif span.kind != "footnotetext":
            counters[counter] += 1
        printed.append(counters[counter])
    shown = [n for span, n in zip(spans, printed, strict=True) if span.kind != "footnotemark"]
    increasing = all(b > a for a, b in itertools.pairwise(shown))
    if increasing and (not shown or shown[0] > 0):
        return [(number, None) for number in printed]
    position = 0
    numbers: list[tuple[int, str | None]] = []
    for span, number in zip(spans, printed, strict=True):
        position += span.kind != "footnotemark"
        numbers.append((position, str(number)))
    return numbers


def _markers(scan: _Scan, notes: tuple[Note, ...]) -> list[Marker]:
    """A `\\footnote` is its own marker; `\\footnotetext` has none (its `\\footnotemark` is)."""
    markers: list[Marker] = []
    for span, note in zip(scan.notes, notes, strict=True):
        if span.kind != "footnotetext":
            markers.append(Marker(note.number, span.line))
    texts = [
        note for span, note in zip(scan.notes, notes, strict=True) if span.kind == "footnotetext"
    ]
    for (number, _, line), text in zip(scan.marks, texts, strict=False):
        markers.append(Marker(number if number is not None else text.number, line))
    return sorted(markers, key=lambda m: m.number)


def _scan_file(path: Path, scan: _Scan, depth: int, stack: tuple[Path, ...]) -> None:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DocumentError(f"{path}: cannot read: {error.strerror or error}") from None
    scan.files += 1
    scan.size += len(data)
    if scan.size > MAX_BYTES:
        raise DocumentError(f"{path}: the document and its inputs exceed {MAX_BYTES} bytes")
    text, _ = decode_text(data, str(path))
    _scan_text(text, path.resolve(), scan, depth, (*stack, path.resolve()))


def _scan_text(text: str, file: Path, scan: _Scan, depth: int, stack: tuple[Path, ...]) -> None:
    """Walk one file's text: note commands, inputs, bibliographies, body URLs."""
    lines = _LineIndex(text)
    position = 0
    while True:
        found = _next_command(text, position)
        if found is None:
            return
        start, name, position = found
        line = lines.line(start)
        try:
            if name in NOTE_COMMANDS:
                position = _note_command(text, position, name, file, line=line, scan=scan)
            elif name == "footnotemark":
                number, position = _optional_number(text, position)
                scan.marks.append((number, file, line))
                scan.notes.append(_Span(name, number, "", file, line))  # it counts
            elif name in ("input", "include", "subfile"):
                argument, position = _argument(text, position)
                if argument is not None:
                    _follow(argument.strip(), file, line, scan, depth=depth, stack=stack)
            elif name in ("bibliography", "addbibresource", "addglobalbib"):
                position = _skip_optionals(text, position)
                argument, position = _argument(text, position)
                for item in (argument or "").split(","):
                    if item.strip():
                        scan.bibs.append((item.strip(), file, line))
            elif name in ("url", "href"):
                argument, position = _argument(text, position, verbatim=True)
                url = clean_url(_unescape_url(argument)) if argument else None
                if url:
                    scan.body_urls.append((url, file, line))
        except _Unbalanced:
            scan.problems.append(
                Problem(
                    UNBALANCED,
                    f"{_relative(file, scan.root)}:{line}: the argument of \\{name} "
                    "never closes (unbalanced braces); the rest of the file is not read",
                    line=line,
                )
            )
            return


class _LineIndex:
    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)


def _next_command(text: str, position: int) -> tuple[int, str, int] | None:
    """The next command outside comments and verbatim text: (start, name, end of name)."""
    length = len(text)
    while position < length:
        char = text[position]
        if char == "%":
            newline = text.find("\n", position)
            position = length if newline < 0 else newline + 1
            continue
        if char != "\\":
            next_stop = _next_special(text, position)
            position = next_stop
            continue
        match = _COMMAND.match(text, position)
        if match is None:
            return None
        name = match.group(1)
        end = match.end()
        if name in {"verb", "verb*"}:
            position = _skip_verb(text, end)
            continue
        if name == "begin" and (verbatim := _verbatim_environment(text, end)) is not None:
            position = verbatim[2]
            continue
        if len(name) == 1 and not name.isalpha():
            position = end
            continue
        return position, name, end
    return None


def _verbatim_environment(text: str, position: int) -> tuple[int, int, int] | None:
    """For `\\begin` at `position` opening a verbatim environment: where its content starts
    and ends, and where scanning goes on after its `\\end`."""
    environment = re.match(r"\s*\{([A-Za-z*]+)\}", text[position : position + 40])
    if environment is None or environment.group(1) not in VERBATIM_ENVIRONMENTS:
        return None
    start = position + environment.end()
    ending = "\\end{" + environment.group(1) + "}"
    closing = text.find(ending, start)
    if closing < 0:
        return start, len(text), len(text)
    return start, closing, closing + len(ending)


def _next_special(text: str, position: int) -> int:
    """The next `\\` or `%` at or after position (the end of the text when none).

    One regular-expression search, so that scanning a file stays linear in its length."""
    match = _SPECIALS.search(text, position)
    return match.start() if match else len(text)


_SPECIALS = re.compile(r"[\\%]")


def _skip_verb(text: str, position: int) -> int:
    if position >= len(text):
        return position
    delimiter = text[position]
    closing = text.find(delimiter, position + 1)
    return len(text) if closing < 0 else closing + 1


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\n":
        position += 1
    return position


def _optional_number(text: str, position: int) -> tuple[int | None, int]:
    match = re.match(r"\s*\[\s*([0-9]{1,4})\s*\]", text[position : position + 20])
    if match:
        return int(match.group(1)), position + match.end()
    return None, position


def _skip_optionals(text: str, position: int) -> int:
    while True:
        probe = _skip_spaces(text, position)
        if probe < len(text) and text[probe] == "[":
            closing = _matching(text, probe, "[", "]")
            position = closing + 1
        else:
            return position


def _argument(text: str, position: int, verbatim: bool = False) -> tuple[str | None, int]:
    """The next brace-delimited argument (or single token) and the position after it."""
    position = _skip_spaces(text, position)
    if position >= len(text):
        return None, position
    if text[position] != "{":
        match = _COMMAND.match(text, position)
        end = match.end() if match else position + 1
        return text[position:end], end
    closing = _matching(text, position, "{", "}", verbatim=verbatim)
    return text[position + 1 : closing], closing + 1


def _matching(text: str, position: int, opening: str, closing: str, verbatim: bool = False) -> int:
    """The index of the delimiter that closes the one at `position`.

    Outside verbatim arguments a `%` comments out the rest of its line and a backslash
    escapes the next character; inside a note, `\\url` and `\\href` arguments are matched
    verbatim (a `%` there is part of the URL).
    """
    depth = 0
    index = position
    length = len(text)
    while index < length:
        char = text[index]
        if char == "\\":
            if not verbatim:
                match = _COMMAND.match(text, index)
                name = match.group(1) if match else ""
                if name in ("url", "href"):
                    inner = _skip_spaces(text, match.end() if match else index + 1)
                    if inner < length and text[inner] == "{":
                        index = _matching(text, inner, "{", "}", verbatim=True) + 1
                        continue
                if name in ("verb", "verb*"):
                    index = _skip_verb(text, match.end() if match else index + 1)
                    continue
            index += 2
            continue
        if char == "%" and not verbatim:
            newline = text.find("\n", index)
            index = length if newline < 0 else newline + 1
            continue
        if char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return index
        index += 1
    raise _Unbalanced


def _note_command(
    text: str, position: int, name: str, file: Path, *, line: int, scan: _Scan
) -> int:
    """Record one note command; return where scanning goes on."""
    if name == "footcite":
        options: list[str] = []
        while True:
            probe = _skip_spaces(text, position)
            if probe < len(text) and text[probe] == "[":
                closing = _matching(text, probe, "[", "]")
                options.append(text[probe + 1 : closing])
                position = closing + 1
            else:
                break
        keys, position = _argument(text, position)
        option = "".join(f"[{o}]" for o in options)
        scan.notes.append(_Span(name, None, f"\\cite{option}{{{keys or ''}}}", file, line))
        return position
    number, position = _optional_number(text, position)
    body, position = _argument(text, position)
    scan.notes.append(_Span(name, number, body or "", file, line))
    return position


def _follow(
    name: str, file: Path, line: int, scan: _Scan, *, depth: int, stack: tuple[Path, ...]
) -> None:
    """Scan an `\\input` file, when it exists inside the document's folder tree."""
    where = f"{_relative(file, scan.root)}:{line}"
    target = _resolve(name, file.parent, scan.root)
    if target is None:
        scan.problems.append(
            Problem(MISSING_INPUT, f"{where}: \\input file {name!r} not found", line=line)
        )
        return
    if not target.resolve().is_relative_to(scan.root):
        scan.problems.append(
            Problem(
                MISSING_INPUT,
                f"{where}: \\input file {name!r} is outside the document's folder; not read",
                line=line,
            )
        )
        return
    if target.resolve() in stack or depth >= MAX_DEPTH or scan.files >= MAX_FILES:
        scan.problems.append(
            Problem(
                MISSING_INPUT,
                f"{where}: \\input {name!r} not followed (a cycle, or nesting deeper than "
                f"{MAX_DEPTH}, or more than {MAX_FILES} files)",
                line=line,
            )
        )
        return
    _scan_file(target, scan, depth + 1, stack)


def _resolve(name: str, folder: Path, root: Path) -> Path | None:
    for base in dict.fromkeys((root, folder)):
        for candidate in (base / name, base / (name + ".tex")):
            if candidate.is_file():
                return candidate
    return None


def render(body: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """A note's LaTeX as text, its URLs (in order) and its cited keys.

    `\\url{u}` becomes u; `\\href{u}{t}` becomes `t <u>`; `\\cite[p.~3]{k}` becomes `[k, p. 3]`;
    `\\verb` text is kept as it is. The rest goes through pylatexenc.
    """
    aside: list[str] = []
    urls: list[str] = []
    keys: list[str] = []

    def set_aside(value: str) -> str:
        aside.append(value)
        return chr(_PLACEHOLDER + len(aside) - 1)

    out: list[str] = []
    position = 0
    length = len(body)
    while position < length:
        stop = _next_special(body, position)
        out.append(body[position:stop])
        if stop >= length:
            position = stop
            break
        if body[stop] == "%":
            newline = body.find("\n", stop)
            position = length if newline < 0 else newline + 1
            continue
        match = _COMMAND.match(body, stop)
        name = match.group(1) if match else "\\"
        end = match.end() if match else stop + 1
        position = end
        if name == "url":
            argument, position = _argument(body, end, verbatim=True)
            url = _unescape_url(argument or "")
            urls.append(url)
            out.append(set_aside(url))
        elif name == "href":
            target, position = _argument(body, end, verbatim=True)
            shown, position = _argument(body, position)
            url = _unescape_url(target or "")
            urls.append(url)
            label = _to_text(shown or "")
            out.append(set_aside(url if label.strip() in ("", url) else f"{label} <{url}>"))
        elif name in ("verb", "verb*"):
            closing = _skip_verb(body, end)
            out.append(set_aside(body[end + 1 : closing - 1]))
            position = closing
        elif name == "begin" and (verbatim := _verbatim_environment(body, end)) is not None:
            inner_start, inner_end, position = verbatim
            out.append(set_aside(body[inner_start:inner_end]))
        elif name.rstrip("*") in CITE_COMMANDS:
            options: list[str] = []
            while True:
                probe = _skip_spaces(body, position)
                if probe < length and body[probe] == "[":
                    closing = _matching(body, probe, "[", "]")
                    options.append(body[probe + 1 : closing])
                    position = closing + 1
                else:
                    break
            argument, position = _argument(body, position)
            cited = [k.strip() for k in (argument or "").split(",") if k.strip()]
            keys.extend(cited)
            pages = _to_text(options[-1]) if options and options[-1].strip() else ""
            prefix = _to_text(options[0]) if len(options) == 2 and options[0].strip() else ""
            shown = "; ".join(cited) + (f", {pages}" if pages else "")
            out.append(set_aside(f"{prefix} [{shown}]".strip()))
        else:
            out.append(body[stop:end])
    out.append(body[position:])
    text = _to_text("".join(out))
    text = re.sub("[\ue000-\uf8ff]", lambda m: aside[ord(m.group()) - _PLACEHOLDER], text)
    text = re.sub(r"\s+", " ", text).strip()
    cleaned = [clean_url(url) or url for url in urls if url]
    written = [found.url for found in find_urls(text)]
    return text, tuple(dict.fromkeys([*cleaned, *written])), tuple(dict.fromkeys(keys))


_LOGOS = re.compile(r"\\(TeX|LaTeX|LaTeXe|BibTeX|XeTeX|LuaTeX)\b(?:\{\})?")
_TEXT_MACROS = re.compile(r"\\(?:texttt|textsf|textrm|textup|textmd|textnormal|mbox)\b")


def _unescape_url(argument: str) -> str:
    """A URL argument as the link target: `\\%`, `\\#`, `\\&`, `\\_` (needed inside another
    command's argument, as in a footnote) are the characters themselves."""
    return _URL_ESCAPE.sub(r"\1", argument.strip())


_URL_ESCAPE = re.compile(r"\\([%#&_$~{}])")


def _to_text(latex: str) -> str:
    """Text of a LaTeX fragment (pylatexenc), comments dropped; never raises."""
    source = _LOGOS.sub(lambda m: m.group(1), _TEXT_MACROS.sub(r"\\emph", latex))
    if _PLAIN.fullmatch(source):
        return source  # nothing for pylatexenc to do
    simple = _simple(source)
    if simple is not None:
        return simple
    converter, context = _converter()
    try:
        walker = LatexWalker(source, latex_context=context, tolerant_parsing=True)
        nodes = walker.get_latex_nodes()[0]
        text: str = converter.nodelist_to_text(nodes)
    except Exception:  # pylatexenc raises its own errors on odd input; keep the raw text
        text = re.sub(r"\\[A-Za-z]+|[{}]", "", latex)
    return text.replace("\xa0", " ")


_PLAIN = re.compile(r"[^\\{}~`'$%&#^_\-]*")
_STYLE = re.compile(r"\\(?:emph|textit|textbf|textsc|textsl|underline|mbox)\{([^{}\\$%]*)\}")
_SPECIAL = re.compile(r"\\([&%$#_{}])")
_TYPOGRAPHY = (("---", "—"), ("--", "–"), ("``", "“"), ("''", "”"), ("`", "‘"), ("~", " "))


def _simple(source: str) -> str | None:
    """The common markup of notes (emphasis, ties, dashes, quotes, escaped specials) undone
    by hand, pylatexenc's tokenizer being slow; None when anything else remains."""
    text = _STYLE.sub(r"\1", source)
    if "%" in text.replace("\\%", ""):
        return None  # a comment: pylatexenc drops it
    for latex, plain in _TYPOGRAPHY:
        text = text.replace(latex, plain)
    text = _SPECIAL.sub(r"\1", text.replace("\\\\", " "))
    if any(char in text for char in "\\{}$^"):
        return None
    return text


@functools.cache
def _converter() -> tuple[LatexNodes2Text, object]:
    """One converter and one parsing context for every note: building them costs ~1 ms."""
    return (
        LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True),
        get_default_latex_context_db(),
    )


def _load_bibs(scan: _Scan) -> dict[str, CitedEntry]:
    """Every entry of the document's .bib files, by key."""
    entries: dict[str, CitedEntry] = {}
    for name, file, line in scan.bibs:
        target = None
        for candidate in (scan.root / name, scan.root / (name + ".bib")):
            if candidate.is_file() and candidate.resolve().is_relative_to(scan.root):
                target = candidate
                break
        if target is None:
            scan.problems.append(
                Problem(
                    MISSING_BIB,
                    f"{_relative(file, scan.root)}:{line}: bibliography {name!r} not found",
                    line=line,
                )
            )
            continue
        text, _ = decode_text(target.read_bytes(), str(target))
        library = parse_bibtex(text)
        for entry in library.entries:
            fields = tuple((str(k).lower(), str(f.value)) for k, f in entry.fields_dict.items())
            entries.setdefault(entry.key, CitedEntry(entry.key, entry.entry_type.lower(), fields))
    return entries


def _entries(
    keys: tuple[str, ...],
    bib: dict[str, CitedEntry],
    span: _Span,
    problems: list[Problem],
    path: Path,
) -> tuple[CitedEntry, ...]:
    """The .bib entries a note cites; a missing key, or one that matches only ignoring case,
    is a problem naming the key."""
    found: list[CitedEntry] = []
    folded = {key.lower(): key for key in bib}
    where = f"{_relative(span.file, path.resolve().parent)}:{span.line}"
    for key in keys:
        if key in bib:
            found.append(bib[key])
        elif key.lower() in folded:
            problems.append(
                Problem(
                    KEY_CASE,
                    f"{where}: \\cite key {key!r} matches {folded[key.lower()]!r} in the .bib "
                    "only when case is ignored (BibTeX keys are case-sensitive)",
                    line=span.line,
                )
            )
        else:
            problems.append(
                Problem(
                    MISSING_KEY, f"{where}: \\cite key {key!r} is not in the .bib", line=span.line
                )
            )
    return tuple(found)
