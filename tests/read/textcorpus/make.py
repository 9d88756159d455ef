"""Generate the plain-text note corpus: LaTeX and Markdown sources with known notes,
compiled to PDF and converted to text the way users get theirs.

Every document is built from a seed: chapters of prose with footnote markers, notes
(some long enough to run onto the next page, some with long URLs that wrap), a table of
contents, numbered headings and lists, a table, and in some styles a reference list
cited author-date or by [N]. The script writes, per document and conversion mode
(`pdftotext` default, `pdftotext -layout`, pdfminer.six's `extract_text`), a small
text file under `texts/`, and the notes it put in under `expected/NAME.json`.

Documents whose seed is in HELD_OUT_SEEDS are the held-out part: never looked at while
tuning the finder, and reported separately by bench/notes_eval.py.

Regenerate (needs pdflatex, xelatex, pandoc, poppler-utils, pdfminer.six):
    python3 -m tests.read.textcorpus.make
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pdfminer.high_level import extract_text

HERE = Path(__file__).resolve().parent
TEXTS = HERE / "texts"
EXPECTED = HERE / "expected"

STYLES = ("article", "book", "twocol", "endnotes", "authordate", "numbered", "pandoc", "xebook")
TUNED_SEEDS = (1, 2, 3, 4, 101, 102)
# Held out: other seeds, and set in another size and margin (see `page_setup`).
HELD_OUT_SEEDS = (201, 202, 203)
MODES = ("default", "layout", "pdfminer")

# Words without ligature pairs (fi, fl, ff), so every converter spells them alike.
WORDS = [
    "policy",
    "state",
    "cyber",
    "norms",
    "security",
    "governance",
    "network",
    "report",
    "law",
    "order",
    "trade",
    "market",
    "agency",
    "council",
    "treaty",
    "power",
    "region",
    "border",
    "island",
    "ocean",
    "dispute",
    "growth",
    "industry",
    "bank",
    "capital",
    "labour",
    "reform",
    "party",
    "leader",
    "member",
    "nation",
    "union",
    "summit",
    "forum",
    "debate",
    "court",
    "vote",
    "budget",
    "energy",
    "water",
    "health",
    "school",
    "record",
    "archive",
    "survey",
    "measure",
    "standard",
    "rule",
    "strategy",
    "doctrine",
    "army",
    "navy",
    "press",
    "media",
    "voice",
    "public",
    "private",
    "global",
    "local",
    "central",
    "north",
    "south",
    "east",
    "west",
    "early",
    "later",
    "modern",
    "recent",
    "common",
    "major",
    "minor",
    "formal",
    "broad",
    "narrow",
    "strong",
    "weak",
    "open",
    "closed",
    "joint",
    "mutual",
    "shared",
    "domestic",
    "foreign",
    "external",
    "internal",
]
SURNAMES = [
    "Smith",
    "Jones",
    "Brown",
    "Taylor",
    "Wilson",
    "Evans",
    "Thomas",
    "Roberts",
    "Walker",
    "Wright",
    "Thompson",
    "White",
    "Hughes",
    "Edwards",
    "Green",
    "Hall",
    "Wood",
    "Harris",
    "Lewis",
    "Martin",
    "Jackson",
    "Clarke",
    "Turner",
    "Hill",
    "Moore",
]
HOSTS = (
    "www.example.org",
    "docs.policy-institute.net",
    "archive.research-centre.ac.uk",
    "www.ministry.gov.example",
    "data.statistics-office.org",
    "journals.university-press.com",
)


@dataclass
class Source:
    """What went into a document: its LaTeX or Markdown and the notes it holds."""

    name: str
    style: str
    seed: int
    text: str
    engine: str
    markdown: bool = False
    notes: list[dict[str, object]] = field(default_factory=list)
    references: list[dict[str, object]] = field(default_factory=list)
    citations: list[dict[str, object]] = field(default_factory=list)


class Writer:
    """Random but reproducible prose, notes, URLs and references."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)

    def words(self, low: int, high: int) -> list[str]:
        return [self.random.choice(WORDS) for _ in range(self.random.randint(low, high))]

    def sentence(self, low: int = 8, high: int = 18) -> str:
        words = self.words(low, high)
        return " ".join([words[0].capitalize(), *words[1:]]) + "."

    def title(self) -> str:
        return " ".join(w.capitalize() for w in self.words(3, 6))

    def url(self, long: bool = False) -> str:
        host = self.random.choice(HOSTS)
        segments = self.random.randint(4, 7) if long else self.random.randint(1, 3)
        path = "/".join("-".join(self.words(1, 3)) for _ in range(segments))
        tail = self.random.choice(
            ["", ".pdf", ".html", "?id=" + str(self.random.randint(10, 9999))]
        )
        return f"https://{host}/{path}{tail}"

    def note(self, long: bool = False) -> tuple[str, list[str]]:
        """A citation-like note: author, title, place, year, maybe a URL; maybe commentary."""
        author = f"{self.random.choice('ABCDEGHJKLMNPRSTW')}. {self.random.choice(SURNAMES)}"
        year = self.random.randint(1990, 2022)
        parts = [
            f"{author}, {self.title()} (London: {self.random.choice(SURNAMES)} Press, {year}), "
            f"{self.random.randint(2, 300)}."
        ]
        urls: list[str] = []
        if self.random.random() < 0.6:
            url = self.url(long=self.random.random() < 0.5)
            urls.append(url)
            parts = [parts[0][:-1] + ", " + "URL" + "."]
        if long:
            parts.extend(self.sentence(14, 24) for _ in range(self.random.randint(4, 7)))
        elif self.random.random() < 0.3:
            parts.append(self.sentence(6, 12))
        return " ".join(parts), urls

    def reference(self) -> tuple[str, str, int, list[str]]:
        surname = self.random.choice(SURNAMES)
        year = self.random.randint(1990, 2022)
        urls = [self.url(long=self.random.random() < 0.4)] if self.random.random() < 0.6 else []
        text = (
            f"{surname}, {self.random.choice('ABCDEGHJKLMNPRSTW')}. {year}. {self.title()}. "
            f"{self.random.choice(SURNAMES)} Press."
        )
        return surname, text, year, urls


def latex_escape(text: str) -> str:
    return text.replace("&", r"\&").replace("%", r"\%").replace("#", r"\#").replace("_", r"\_")


def render_note(text: str, urls: list[str], markdown: bool) -> tuple[str, str]:
    """(source form, expected plain text) of a note whose text holds `URL` placeholders."""
    source = text if markdown else latex_escape(text)
    plain = text
    for url in urls:
        link = f"<{url}>" if markdown else r"\url{" + url + "}"
        source = source.replace("URL", link, 1)
        plain = plain.replace("URL", url, 1)
    return source, plain


def page_setup(seed: int) -> tuple[str, str]:
    """(font size, margin): the held-out documents are set differently from the tuned ones."""
    return ("12pt", "1in") if seed in HELD_OUT_SEEDS else ("", "1.2in")


PREAMBLE = {
    "article": r"\documentclass[11pt]{article}",
    "book": r"\documentclass[11pt]{report}",
    "twocol": r"\documentclass[10pt,twocolumn]{article}",
    "endnotes": r"\documentclass[11pt]{report}",
    "authordate": r"\documentclass[11pt]{article}",
    "numbered": r"\documentclass[11pt]{article}",
    "xebook": r"\documentclass[11pt]{report}",
}


def build_latex(style: str, seed: int) -> Source:
    """One LaTeX document of `style`; the notes restart per chapter in the report styles."""
    writer = Writer(seed * 100 + STYLES.index(style))
    rnd = writer.random
    name = f"{style}-{seed}"
    chapters = rnd.randint(2, 3) if style in ("book", "endnotes", "xebook") else 1
    sections_per = rnd.randint(2, 3)
    restart = style in ("book", "endnotes", "xebook")
    body: list[str] = []
    notes: list[dict[str, object]] = []
    refs: list[tuple[str, str, int, list[str]]] = []
    citations: list[dict[str, object]] = []
    if style in ("authordate", "numbered"):
        refs = [writer.reference() for _ in range(rnd.randint(6, 10))]
        refs.sort(key=lambda r: (r[0], r[2]))
        # one surname-year pair per work, so that every in-text citation is unambiguous
        unique: dict[tuple[str, int], tuple[str, str, int, list[str]]] = {}
        for ref in refs:
            unique.setdefault((ref[0], ref[2]), ref)
        refs = list(unique.values())
    cited: set[int] = set()
    number = 0
    for chapter in range(1, chapters + 1):
        if chapters > 1:
            body.append(r"\chapter{" + writer.title() + "}")
        if restart:
            number = 0
        for _section in range(sections_per):
            body.append(r"\section{" + writer.title() + "}")
            if rnd.random() < 0.5:
                body.append(r"\subsection{" + writer.title() + "}")
            for paragraph in range(rnd.randint(2, 4)):
                sentences = [writer.sentence() for _ in range(rnd.randint(3, 6))]
                if style in ("authordate", "numbered"):
                    for _ in range(rnd.randint(1, 2)):
                        which = rnd.randrange(len(refs))
                        cited.add(which)
                        surname, _text, year, _urls = refs[which]
                        if style == "numbered":
                            mark = f"[{which + 1}]"
                        elif rnd.random() < 0.5:
                            mark = f"({surname} {year}, {rnd.randint(2, 99)})"
                        else:
                            mark = f"{surname} ({year})"
                        at = rnd.randrange(len(sentences))
                        sentences[at] = sentences[at][:-1] + " " + mark + "."
                        citations.append({"text": mark, "entry": which + 1})
                elif rnd.random() < 0.85:
                    places = sorted(rnd.randrange(len(sentences)) for _ in range(rnd.randint(1, 3)))
                    for at in places:  # numbered in reading order, as LaTeX numbers them
                        number += 1
                        long = rnd.random() < 0.15
                        text, urls = writer.note(long)
                        shown, plain = render_note(text, urls, markdown=False)
                        command = r"\endnote{" if style == "endnotes" else r"\footnote{"
                        sentences[at] = sentences[at] + command + shown + "}"
                        notes.append(
                            {
                                "section": chapter if restart else 0,
                                "number": number,
                                "text": plain,
                                "urls": urls,
                            }
                        )
                body.append(" ".join(sentences))
                if paragraph == 0 and rnd.random() < 0.5:
                    items = [r"\item " + writer.sentence(4, 9) for _ in range(rnd.randint(2, 4))]
                    body.append("\\begin{enumerate}\n" + "\n".join(items) + "\n\\end{enumerate}")
                if paragraph == 1 and rnd.random() < 0.4:
                    rows = [
                        f"{i} & {writer.title()} & {rnd.randint(1990, 2022)} \\\\"
                        for i in range(1, rnd.randint(3, 6))
                    ]
                    body.append(
                        "\\begin{table}[h]\\centering\\begin{tabular}{rlr}\n"
                        + "\n".join(rows)
                        + "\n\\end{tabular}\\caption{"
                        + writer.title()
                        + "}\\end{table}"
                    )
        if style == "endnotes":
            body.append(r"\theendnotes\setcounter{endnote}{0}")
    if refs:
        items = []
        for index, (_surname, text, _year, urls) in enumerate(refs, start=1):
            shown = latex_escape(text) + "".join(" \\url{" + u + "}" for u in urls)
            items.append(("[" + str(index) + "] " if style == "numbered" else "") + shown)
        heading = rnd.choice(["References", "Bibliography", "Works Cited"])
        body.append(
            r"\section*{" + heading + "}\n\\begin{list}{}{\\leftmargin=2em"
            r"\itemindent=-2em}" + "\n".join(r"\item " + i for i in items) + r"\end{list}"
        )
    packages = [r"\usepackage[margin=" + page_setup(seed)[1] + "]{geometry}", r"\usepackage{xurl}"]
    if style == "xebook":
        packages.append(r"\usepackage{fontspec}")
    if style == "endnotes":
        packages.append(r"\usepackage{endnotes}")
    front = [r"\tableofcontents"]
    if style in ("book", "xebook"):
        front.append(r"\listoftables")
    documentclass = PREAMBLE[style]
    size = page_setup(seed)[0]
    if size:
        documentclass = re.sub(r"1[01]pt", size, documentclass)
    text = (
        "\n".join(
            [
                documentclass,
                *packages,
                r"\begin{document}",
                r"\title{" + writer.title() + r"}\author{" + rnd.choice(SURNAMES) + "}",
                r"\date{1 March 2024}",  # not \today: the same renderings every day
                r"\maketitle",
                *front,
                *body,
                r"\end{document}",
            ]
        )
        + "\n"
    )
    source = Source(name, style, seed, text, "xelatex" if style == "xebook" else "pdflatex")
    source.notes = notes
    source.references = [
        {
            "number": i,
            "text": t + "".join(" " + u for u in urls),
            "urls": urls,
            "cited": (i - 1) in cited,
        }
        for i, (_s, t, _y, urls) in enumerate(refs, start=1)
    ]
    source.citations = citations
    return source


def build_markdown(seed: int) -> Source:
    """A Markdown document with pandoc footnotes, numbered headings and a list."""
    writer = Writer(seed * 100 + STYLES.index("pandoc"))
    rnd = writer.random
    lines = [
        "---",
        f"title: {writer.title()}",
        "numbersections: true",
        "toc: true",
        f"geometry: margin={'1in' if seed in HELD_OUT_SEEDS else '1.3in'}",
        "fontfamily: mathptmx",
        "header-includes: \\usepackage{xurl}",
        "---",
        "",
    ]
    notes: list[dict[str, object]] = []
    definitions: list[str] = []
    number = 0
    for _section in range(rnd.randint(3, 4)):
        lines += [f"# {writer.title()}", ""]
        for paragraph in range(rnd.randint(2, 4)):
            sentences = [writer.sentence() for _ in range(rnd.randint(3, 6))]
            for at in sorted(rnd.randrange(len(sentences)) for _ in range(rnd.randint(0, 2))):
                number += 1
                text, urls = writer.note(rnd.random() < 0.15)
                shown, plain = render_note(text, urls, markdown=True)
                sentences[at] = sentences[at] + f"[^{number}]"
                definitions.append(f"[^{number}]: {shown}")
                notes.append({"section": 0, "number": number, "text": plain, "urls": urls})
            lines += [" ".join(sentences), ""]
            if paragraph == 0 and rnd.random() < 0.5:
                lines += [f"{i}. {writer.sentence(4, 9)}" for i in range(1, rnd.randint(3, 5))]
                lines.append("")
    text = "\n".join(lines + definitions) + "\n"
    source = Source(f"pandoc-{seed}", "pandoc", seed, text, "pandoc", markdown=True)
    source.notes = notes
    return source


def compile_pdf(source: Source, work: Path) -> Path:
    """The PDF of a source; LaTeX runs twice so that the table of contents is filled."""
    if source.markdown:
        (work / "doc.md").write_text(source.text, encoding="utf-8")
        subprocess.run(
            ["pandoc", "doc.md", "-o", "doc.pdf", "--pdf-engine=pdflatex"],
            cwd=work,
            check=True,
            capture_output=True,
        )
    else:
        (work / "doc.tex").write_text(source.text, encoding="utf-8")
        for _ in range(2):
            subprocess.run(
                [source.engine, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
                cwd=work,
                check=True,
                capture_output=True,
            )
    return work / "doc.pdf"


def convert(pdf: Path, mode: str) -> str:
    if mode == "pdfminer":
        return str(extract_text(str(pdf)))
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if mode == "layout" else [])
    subprocess.run([*args, str(pdf), str(pdf.with_suffix(".txt"))], check=True)
    return pdf.with_suffix(".txt").read_text(encoding="utf-8")


def sources() -> list[Source]:
    built: list[Source] = []
    for seed in TUNED_SEEDS + HELD_OUT_SEEDS:
        for style in STYLES:
            built.append(build_markdown(seed) if style == "pandoc" else build_latex(style, seed))
    return built


def main() -> None:
    for folder in (TEXTS, EXPECTED):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    for source in sources():
        with tempfile.TemporaryDirectory() as work:
            pdf = compile_pdf(source, Path(work))
            for mode in MODES:
                text = convert(pdf, mode)
                (TEXTS / f"{source.name}.{mode}.txt").write_text(text, encoding="utf-8")
        expected = {
            "name": source.name,
            "style": source.style,
            "seed": source.seed,
            "held_out": source.seed in HELD_OUT_SEEDS,
            "restarts": source.style in ("book", "endnotes", "xebook"),
            "notes": source.notes,
            "references": source.references,
            "citations": source.citations,
        }
        (EXPECTED / f"{source.name}.json").write_text(
            json.dumps(expected, indent=1) + "\n", encoding="utf-8"
        )
        print(
            f"{source.name}: {len(source.notes)} notes, {len(source.references)} references",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
