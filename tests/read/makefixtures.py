"""Make reader fixtures at test time: DOCX, ODT and HTML with known notes, and hostile files.

Nothing here is committed as a binary: every test writes what it needs into tmp_path.
Two ways to make a file:
- `pandoc_convert(markdown, path)`: pandoc turns Markdown with `[^n]` notes into DOCX,
  ODT or HTML the way a real writer does (tests skip when pandoc is absent);
- the builders below write the XML by hand, for what pandoc never writes: custom marks,
  tracked changes, content controls, bidi runs, HYPERLINK fields, endnotes, restarts.

Regenerate any fixture by calling these functions, e.g.
`python3 -c "from tests.read.makefixtures import *; docx(Path('x.docx'), [para(run('A'))])"`.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
HYPERLINK_TYPE = REL_TYPE + "hyperlink"


def pandoc_available() -> bool:
    return shutil.which("pandoc") is not None


def pandoc_convert(markdown: str, path: Path, extra: Sequence[str] = ()) -> Path:
    """Write `markdown` through pandoc into `path` (format from the suffix)."""
    subprocess.run(
        ["pandoc", "-f", "markdown", "-o", str(path), *extra],
        input=markdown.encode("utf-8"),
        check=True,
        capture_output=True,
        timeout=60,
    )
    return path


# --- WordprocessingML snippets -------------------------------------------------------------


def run(text: str, *, rtl: bool = False) -> str:
    props = "<w:rPr><w:rtl/></w:rPr>" if rtl else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(*content: str, section: str = "") -> str:
    props = f"<w:pPr>{section}</w:pPr>" if section else ""
    return f"<w:p>{props}{''.join(content)}</w:p>"


def footnote_ref(note_id: int, mark: str | None = None) -> str:
    """A footnote reference; with `mark`, a custom mark that Word shows instead of a number."""
    if mark is None:
        return f'<w:r><w:footnoteReference w:id="{note_id}"/></w:r>'
    return (
        f'<w:r><w:footnoteReference w:customMarkFollows="1" w:id="{note_id}"/>'
        f"<w:t>{escape(mark)}</w:t></w:r>"
    )


def endnote_ref(note_id: int) -> str:
    return f'<w:r><w:endnoteReference w:id="{note_id}"/></w:r>'


def hyperlink(rel_id: str, text: str) -> str:
    return f'<w:hyperlink r:id="{rel_id}">{run(text)}</w:hyperlink>'


def field_link(url: str, text: str, *, split: bool = False) -> str:
    """A HYPERLINK field; `split` spreads its instruction over two runs, as Word often does."""
    instruction = f' HYPERLINK "{url}" '
    if split:
        half = len(instruction) // 2
        pieces = [instruction[:half], instruction[half:]]
    else:
        pieces = [instruction]
    codes = "".join(
        f'<w:r><w:instrText xml:space="preserve">{escape(p)}</w:instrText></w:r>' for p in pieces
    )
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + codes
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + run(text)
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def inserted(*content: str) -> str:
    return f'<w:ins w:id="90" w:author="A" w:date="2024-01-01T00:00:00Z">{"".join(content)}</w:ins>'


def deleted(text: str) -> str:
    return (
        '<w:del w:id="91" w:author="A" w:date="2024-01-01T00:00:00Z">'
        f'<w:r><w:delText xml:space="preserve">{escape(text)}</w:delText></w:r></w:del>'
    )


def content_control(*content: str) -> str:
    return (
        '<w:sdt><w:sdtPr><w:alias w:val="Cite"/><w:placeholder><w:docPart w:val="X"/>'
        f"</w:placeholder></w:sdtPr><w:sdtContent>{''.join(content)}</w:sdtContent></w:sdt>"
    )


def smart_tag(*content: str) -> str:
    return f'<w:smartTag w:uri="urn:x" w:element="place">{"".join(content)}</w:smartTag>'


def bidi(*content: str) -> str:
    return f'<w:dir w:val="rtl">{"".join(content)}</w:dir>'


def section_break(restart: str | None = None, fmt: str | None = None) -> str:
    """A `w:sectPr` for a paragraph's properties: the paragraph ends a section."""
    props = ""
    if fmt:
        props += f'<w:numFmt w:val="{fmt}"/>'
    if restart:
        props += f'<w:numRestart w:val="{restart}"/>'
    return f"<w:sectPr><w:footnotePr>{props}</w:footnotePr></w:sectPr>" if props else "<w:sectPr/>"


def note_xml(kind: str, note_id: int, *paragraphs: str) -> str:
    return f'<w:{kind} w:id="{note_id}">{"".join(paragraphs)}</w:{kind}>'


def note_para(*content: str, kind: str = "footnote") -> str:
    """A note's paragraph beginning with its own reference mark, as Word writes it."""
    return para(f"<w:r><w:{kind}Ref/></w:r>", *content)


def _rels(links: dict[str, str], parts: dict[str, str] | None = None) -> str:
    rows = [
        f'<Relationship Id="{rid}" Type="{HYPERLINK_TYPE}" Target={quoteattr(target)} '
        'TargetMode="External"/>'
        for rid, target in links.items()
    ]
    rows += [
        f'<Relationship Id="p{kind}" Type="{REL_TYPE}{kind}" Target="{target}"/>'
        for kind, target in (parts or {}).items()
    ]
    return f'<?xml version="1.0"?><Relationships xmlns="{REL_NS}">{"".join(rows)}</Relationships>'


def _notes_part(kind: str, notes: Sequence[str]) -> str:
    separators = (
        f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
        f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        f"<w:continuationSeparator/></w:r></w:p></w:{kind}>"
    )
    return (
        f'<?xml version="1.0"?><w:{kind}s xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
        f"{separators}{''.join(notes)}</w:{kind}s>"
    )


def docx(
    path: Path,
    body: Sequence[str],
    *,
    footnotes: Sequence[str] = (),
    endnotes: Sequence[str] = (),
    body_links: dict[str, str] | None = None,
    footnote_links: dict[str, str] | None = None,
    endnote_links: dict[str, str] | None = None,
    settings: str = "",
    final_section: str = "<w:sectPr/>",
) -> Path:
    """A minimal Word package: body paragraphs, notes, relationships, settings."""
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}" '
        f'xmlns:r="{R_NS}"><w:body>{"".join(body)}{final_section}</w:body></w:document>'
    )
    parts = {"footnotes": "footnotes.xml", "endnotes": "endnotes.xml", "settings": "settings.xml"}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(
            "_rels/.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{REL_NS}"><Relationship Id="r1" '
            f'Type="{REL_TYPE}officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr("word/document.xml", document)
        archive.writestr("word/_rels/document.xml.rels", _rels(body_links or {}, parts))
        archive.writestr("word/footnotes.xml", _notes_part("footnote", footnotes))
        archive.writestr("word/_rels/footnotes.xml.rels", _rels(footnote_links or {}))
        archive.writestr("word/endnotes.xml", _notes_part("endnote", endnotes))
        archive.writestr("word/_rels/endnotes.xml.rels", _rels(endnote_links or {}))
        archive.writestr(
            "word/settings.xml",
            f'<?xml version="1.0"?><w:settings xmlns:w="{W_NS}">{settings}</w:settings>',
        )
    return path


# --- OpenDocument ----------------------------------------------------------------------------

ODF_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
}


def odt_note(
    citation: str, *paragraphs: str, note_class: str = "footnote", label: str | None = None
) -> str:
    attribute = f" text:label={quoteattr(label)}" if label is not None else ""
    body = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
    return (
        f'<text:note text:note-class="{note_class}"><text:note-citation{attribute}>'
        f"{escape(citation)}</text:note-citation><text:note-body>{body}</text:note-body>"
        "</text:note>"
    )


def odt_link(url: str, text: str) -> str:
    return f'<text:a xlink:type="simple" xlink:href={quoteattr(url)}>{escape(text)}</text:a>'


def odt(path: Path, body: Sequence[str]) -> Path:
    """A minimal OpenDocument text whose body is the given `text:p`/`text:h` elements."""
    namespaces = " ".join(f'xmlns:{k}="{v}"' for k, v in ODF_NS.items())
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {namespaces}>'
        f"<office:body><office:text>{''.join(body)}</office:text></office:body>"
        "</office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text"
        )  # stored, first: how ODF packages are recognised
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest/>')
    return path


# --- HTML --------------------------------------------------------------------------------------

WORD_EXPORT_HTML = """<html><head><meta charset="utf-8"></head><body>
<div class=WordSection1>
<p class=MsoNormal>First claim.<a href="#_ftn1" name="_ftnref1" title=""><span
class=MsoFootnoteReference>[1]</span></a> Second claim.<a href="#_ftn2"
name="_ftnref2" title=""><sup>[2]</sup></a></p>
</div>
<div><br clear=all><hr align=left size=1 width="33%">
<div id=ftn1>
<p class=MsoFootnoteText><a href="#_ftnref1" name="_ftn1" title=""><span
class=MsoFootnoteReference>[1]</span></a> Jane Roe, <i>A Report</i>, see
<a href="https://example.org/report">the report</a>.</p>
<p class=MsoFootnoteText>Its second paragraph, http://example.org/second.</p>
</div>
<div id=ftn2>
<p class=MsoFootnoteText><a href="#_ftnref2" name="_ftn2" title=""><sup>[2]</sup></a>
Ibid.</p>
</div>
</div>
</body></html>
"""

WIKIPEDIA_HTML = """<!DOCTYPE html>
<html><head><link rel="canonical" href="https://en.wikipedia.org/wiki/Example"></head>
<body>
<p>A fact.<sup id="cite_ref-1" class="reference"><a
href="https://en.wikipedia.org/wiki/Example#cite_note-1">[1]</a></sup> Another
fact.<sup id="cite_ref-roe_2-0" class="reference"><a href="#cite_note-roe-2">[2]</a></sup>
Again.<sup id="cite_ref-roe_2-1" class="reference"><a href="#cite_note-roe-2">[2]</a></sup>
A note.<sup id="cite_ref-3" class="reference"><a href="#cite_note-3">[a]</a></sup>
See <a href="https://example.com/body">a body link</a>.</p>
<h2>References</h2>
<ol class="references">
<li id="cite_note-1"><span class="mw-cite-backlink"><b><a
href="https://en.wikipedia.org/wiki/Example#cite_ref-1">^</a></b></span> <span
class="reference-text"><cite>Doe, J. <a class="external text"
href="https://example.org/one">One</a>.</cite></span></li>
<li id="cite_note-roe-2"><span class="mw-cite-backlink">^ <a
href="#cite_ref-roe_2-0"><sup><i><b>a</b></i></sup></a>
<a href="#cite_ref-roe_2-1"><sup><i><b>b</b></i></sup></a></span> <span
class="reference-text">Roe, R. (2001). <a href="https://example.org/two">Two</a>.</span></li>
<li id="cite_note-3"><span class="mw-cite-backlink"><b><a href="#cite_ref-3">^</a></b></span>
<span class="reference-text">An explanatory note.</span></li>
</ol>
</body></html>
"""


# --- big inputs for bench/read_speed.py ------------------------------------------------------


_WORDS = (
    "state", "report", "policy", "council", "review", "archive", "court", "ministry", "treaty",
    "harbour", "water", "trade", "energy", "union", "regional", "security", "summit", "history",
    "press", "annual", "statement", "origin", "survey",
)  # fmt: skip


def _words(number: int, count: int) -> str:
    """Deterministic varied words, so that zipped fixtures compress like real prose (~4x)."""
    seed = number * 2654435761 % 2**32
    picked = []
    for _ in range(count):
        seed = (seed * 1103515245 + 12345) % 2**31
        picked.append(_WORDS[seed % len(_WORDS)] + ("" if seed % 3 else str(seed % 97)))
    return " ".join(picked)


def note_sentence(number: int) -> str:
    return (
        f"Jane Roe, “{_words(number, 6).title()},” Example Press, June 8, 2010, "
        f"pp. {number}–{number + 3}, https://example.org/{_words(number + 7, 2).replace(' ', '/')}"
        f"/{number}.html."
    )


def body_sentence(number: int) -> str:
    return f"Paragraph {number}: {_words(number + 3, 30)}."


# Bench documents hold two body paragraphs of 30 words before each note's marker (about 70
# words of text per note, a dense scholarly text; poi-stress008.docx has about 120).
def _before(number: int) -> str:
    return body_sentence(number * 7 + 1)


def big_markdown(notes: int) -> str:
    body = "".join(
        f"{_before(n)}\n\n{body_sentence(n)}[^{n}] {body_sentence(n + 1)}\n\n"
        for n in range(1, notes + 1)
    )
    return body + "".join(f"[^{n}]: {note_sentence(n)}\n\n" for n in range(1, notes + 1))


def big_docx(path: Path, notes: int) -> Path:
    body = [
        paragraph
        for n in range(1, notes + 1)
        for paragraph in (para(run(_before(n))), para(run(body_sentence(n)), footnote_ref(n)))
    ]
    footnotes = [
        note_xml("footnote", n, note_para(run(" " + note_sentence(n)), hyperlink("h1", "link")))
        for n in range(1, notes + 1)
    ]
    return docx(path, body, footnotes=footnotes, footnote_links={"h1": "https://example.org/x"})


def big_odt(path: Path, notes: int) -> Path:
    body = [
        f"<text:p>{_before(n)}</text:p>"
        f"<text:p>{body_sentence(n)}{odt_note(str(n), escape(note_sentence(n)))}</text:p>"
        for n in range(1, notes + 1)
    ]
    return odt(path, body)


def big_html(notes: int) -> str:
    body = "".join(
        f'<p>{_before(n)}</p>\n<p>{body_sentence(n)}<a href="#fn{n}" id="fnref{n}">'
        f"<sup>{n}</sup></a></p>\n"
        for n in range(1, notes + 1)
    )
    listing = "".join(
        f'<li id="fn{n}"><p>{escape(note_sentence(n))}<a href="#fnref{n}">↩</a></p></li>\n'
        for n in range(1, notes + 1)
    )
    return f"<html><body>{body}<section><ol>{listing}</ol></section></body></html>"


# --- hostile inputs ----------------------------------------------------------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + f']><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>'
    "</w:body></w:document>"
)


def docx_with_document_xml(path: Path, document_xml: str | bytes) -> Path:
    """A DOCX whose main part is exactly `document_xml` (malformed, a bomb, …)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", document_xml)
    return path


def zip_bomb(path: Path, part: str, megabytes: int) -> Path:
    """A package whose `part` inflates to `megabytes` MB of zeros (a few hundred kB on disk)."""
    block = b"\0" * (1024 * 1024)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open(part, "w", force_zip64=True) as stream,
    ):
        for _ in range(megabytes):
            stream.write(block)
    return path


def many_entries(path: Path, count: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for index in range(count):
            archive.writestr(f"x/{index}", b"")
    return path
