"""`citecheck audit` and `extract` on a folder mixing .docx, .odt, .html, .md and .txt.

Links live on the local fake web (127.0.0.x only). The DOCX note's URL exists only as a
hyperlink target, so finding it dead proves the reader's URLs reach the prober.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from citecheck.cli.main import main
from tests.read.makefixtures import (
    docx,
    footnote_ref,
    hyperlink,
    note_para,
    note_xml,
    odt,
    odt_link,
    odt_note,
    para,
    run,
)
from tests.support.fakeweb import FakeHost, FakeWeb, page


@pytest.fixture(scope="module")
def site() -> Iterator[FakeHost]:
    with FakeWeb() as web:
        host = web.add_host()
        host.route("/ok", page("Fine"))
        host.route("/gone", page("Gone", status=410))
        yield host


def mixed_folder(folder: Path, site: FakeHost) -> dict[str, str]:
    """One text per format, each citing one dead URL; returns file name -> dead URL."""
    dead = {name: site.address_url(f"/gone?{name}") for name in ("docx", "odt", "html", "md")}
    docx(
        folder / "essay.docx",
        [para(run("Intro.")), para(run("A claim."), footnote_ref(1))],
        footnotes=[note_xml("footnote", 1, note_para(run(" Roe, "), hyperlink("h", "report")))],
        footnote_links={"h": dead["docx"]},
    )
    odt(
        folder / "essay.odt",
        [f"<text:p>A claim.{odt_note('1', 'Doe, ' + odt_link(dead['odt'], 'page'))}</text:p>"],
    )
    (folder / "essay.html").write_text(
        '<html><body>\n<p>A claim.<a href="#fn1" id="r1">1</a></p>\n<ol>\n'
        f'<li id="fn1">Lee, <a href="{dead["html"]}">site</a>. <a href="#r1">↩</a></li>\n'
        "</ol></body></html>\n",
        encoding="utf-8",
    )
    (folder / "essay.md").write_text(
        f"A claim.[^1]\n\n[^1]: Kim, <{dead['md']}>.\n", encoding="utf-8"
    )
    (folder / "essay.txt").write_text(
        f"A claim.1\n\n1 Ann, {site.address_url('/ok')}.\n", encoding="utf-8"
    )
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 truncated")
    return dead


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_audit_reads_every_format_and_reports_positions(tmp_path: Path, site: FakeHost) -> None:
    folder = tmp_path / "texts"
    folder.mkdir()
    dead = mixed_folder(folder, site)
    result = invoke(
        "audit", str(folder), "--allow-private", "--timeout", "2", "-q", "--no-cache",
        "--archive", "none", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output  # a first failure is a suspect, not yet dead
    payload: dict[str, Any] = json.loads(result.stdout)
    dead_places = {
        place["document"].rsplit("/", 1)[-1]: (place.get("note"), place.get("line"))
        for finding in payload["findings"]
        if finding["kind"] in ("dead-link", "suspect-link")
        for place in finding["places"]
    }
    assert dead_places == {
        "essay.docx": (1, 2),  # body paragraph 2 holds the reference
        "essay.odt": (1, 1),
        "essay.html": (1, 4),  # the source line of the note's <li>
        "essay.md": (1, 3),  # the source line of the definition
    }
    assert len(dead) == 4
    assert any("broken.docx: damaged zip" in p for p in payload["problems"])
    assert "broken.docx: damaged zip" in result.stderr


def test_extract_json_and_bibtex_on_the_folder(tmp_path: Path, site: FakeHost) -> None:
    folder = tmp_path / "texts"
    folder.mkdir()
    dead = mixed_folder(folder, site)
    result = invoke("extract", str(folder), "--format", "json")
    assert result.exit_code == 0, result.output
    urls = {
        Path(d["path"]).suffix: [u for n in d["notes"] for u in n["urls"]]
        for d in json.loads(result.stdout)["documents"]
    }
    assert urls == {
        ".docx": [dead["docx"]],
        ".html": [dead["html"]],
        ".md": [dead["md"]],
        ".odt": [dead["odt"]],
        ".txt": [site.address_url("/ok")],
    }
    bibtex = invoke("extract", str(folder), "--format", "bibtex")
    assert bibtex.exit_code == 0, bibtex.output
    # URLs written in a note's text reach its works, and so does one that is only a
    # hyperlink target (the DOCX note's, the ODT's and the HTML's: their text shows words)
    for url in (dead["md"], dead["docx"], dead["odt"], dead["html"]):
        assert url in bibtex.stdout


def test_check_probes_every_format_and_skips_the_broken_file(
    tmp_path: Path, site: FakeHost
) -> None:
    folder = tmp_path / "texts"
    folder.mkdir()
    dead = mixed_folder(folder, site)
    result = CliRunner().invoke(
        main,
        ["check", str(folder), "--allow-private", "--timeout", "2", "-q", "--no-cache",
         "--archive", "none"],
    )  # fmt: skip
    assert result.exit_code == 1, result.output  # dead links
    assert "citecheck: warning: " in result.stderr
    assert "broken.docx: damaged zip" in result.stderr
    for url in dead.values():
        assert url in result.stdout


PDFLATEX = shutil.which("pdflatex")


def latex_source(url: str) -> str:
    """An article whose one footnote cites `url` (line 5 of the source)."""
    return (
        "\\documentclass{article}\n"
        "\\usepackage{url}\n"
        "\\begin{document}\n"
        "A claim that needs a source.\n"
        f"Another claim.\\footnote{{Roe, The Report, 2010, \\url{{{url}}}.}}\n"
        "\\end{document}\n"
    )


@pytest.mark.skipif(PDFLATEX is None, reason="pdflatex not installed (.ci/run installs texlive)")
def test_audit_of_a_folder_with_every_format_points_at_lines_and_pages(
    tmp_path: Path, site: FakeHost
) -> None:
    """.docx, .odt, .html, .md, .txt, .tex and .pdf in one folder: every dead link is found,
    at its line (its page for the PDF)."""
    folder = tmp_path / "texts"
    folder.mkdir()
    mixed_folder(folder, site)
    (folder / "essay.tex").write_text(latex_source(site.address_url("/gone?tex")))
    build = tmp_path / "build"
    build.mkdir()
    (build / "paper.tex").write_text(latex_source(site.address_url("/gone?pdf")))
    assert PDFLATEX is not None
    subprocess.run(
        [PDFLATEX, "-interaction=nonstopmode", "paper.tex"],
        cwd=build, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    shutil.copy(build / "paper.pdf", folder / "essay.pdf")
    result = invoke(
        "audit", str(folder), "--allow-private", "--timeout", "2", "-q", "--no-cache",
        "--archive", "none", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    payload: dict[str, Any] = json.loads(result.stdout)
    places = {
        place["document"].rsplit("/", 1)[-1]: (
            place.get("note"),
            place.get("line"),
            place.get("page"),
        )
        for finding in payload["findings"]
        if finding["kind"] in ("dead-link", "suspect-link")
        for place in finding["places"]
    }
    assert places["essay.tex"] == (1, 5, None)  # the source line of \footnote
    assert places["essay.pdf"][0] == 1 and places["essay.pdf"][2] == 1  # note 1 on page 1
    assert set(places) == {
        "essay.docx", "essay.odt", "essay.html", "essay.md", "essay.tex", "essay.pdf"
    }  # fmt: skip
