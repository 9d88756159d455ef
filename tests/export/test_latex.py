"""Real LaTeX is the judge: every generated .bib compiles with biblatex+biber and with bibtex;
pandoc (when installed) reads the CSL-JSON.

Fails on any LaTeX error, any undefined citation, any biber warning (data-model validation
included) and any bibtex warning. Skipped, with the reason shown by `-ra`, only where the
programs are absent (.ci/run installs them from Debian's packages).

004 has Chinese titles, which pdflatex cannot set, so both runs use xelatex with the Noto CJK
font. xeCJK is used when its `ctexhook.sty` dependency is installed (Debian ships it in
texlive-lang-chinese, not in texlive-lang-cjk); otherwise Noto Serif CJK SC, which also covers
Latin, is the main font, which sets the Chinese titles just as well for a bibliography.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from citecheck.cite.citing import cite_corpus
from citecheck.cite.extraction import extract_paths
from citecheck.export.bibtex import Style, write_bibtex
from citecheck.export.csl import write_csl_json
from tests.support.paths import REPO_ROOT

ROOT = REPO_ROOT
REFERENCES = ROOT / "references"
CJK_FONT = "Noto Serif CJK SC"
TIMEOUT = 240

pytestmark = pytest.mark.slow


def _require(*programs: str) -> None:
    missing = [p for p in programs if shutil.which(p) is None]
    if missing:
        pytest.skip(f"LaTeX toolchain absent ({', '.join(missing)}); .ci/run installs it")


def _cjk_font_available() -> bool:
    if shutil.which("fc-list") is None:
        return False
    listing = subprocess.run(
        ["fc-list", ":", "family"], capture_output=True, text=True, check=False
    ).stdout
    return CJK_FONT in listing


def _kpse_has(name: str) -> bool:
    if shutil.which("kpsewhich") is None:
        return False
    found = subprocess.run(["kpsewhich", name], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


def _preamble() -> str:
    if _kpse_has("ctexhook.sty"):
        return f"\\usepackage{{xeCJK}}\n\\setCJKmainfont{{{CJK_FONT}}}\n"
    return (
        "\\usepackage{fontspec}\n"
        f"\\setmainfont{{{CJK_FONT}}}[ItalicFont={{{CJK_FONT}}},"
        f" ItalicFeatures={{FakeSlant=0.2}}, BoldItalicFont={{{CJK_FONT} Bold}},"
        " BoldItalicFeatures={FakeSlant=0.2}]\n"
    )


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


def _assert_latex_clean(log: str) -> None:
    errors = [line for line in log.splitlines() if line.startswith("!")]
    assert not errors, errors
    undefined = re.findall(r"(?:Citation|Reference) [`'][^']*' .*undefined", log)
    assert not undefined, undefined
    assert "There were undefined references" not in log
    assert "undefined citations" not in log


def _golden_bibs() -> list[Path]:
    bibs = sorted(REFERENCES.glob("*.bib"))
    assert bibs, "no generated .bib files in references/"
    return bibs


def test_biber_validates_every_bib_against_the_data_model(tmp_path: Path) -> None:
    _require("biber")
    for bib in _golden_bibs():
        shutil.copy(bib, tmp_path / bib.name)
        result = _run(
            ["biber", "--tool", "--validate-datamodel", "-O", bib.stem + ".out.bib", bib.name],
            tmp_path,
        )
        output = result.stdout + result.stderr
        assert result.returncode == 0, output
        warnings = [line for line in output.splitlines() if "WARN" in line or "ERROR" in line]
        assert not warnings, warnings


def test_biblatex_biber_compiles_every_bib(tmp_path: Path) -> None:
    _require("xelatex", "biber")
    if not _cjk_font_available():
        pytest.skip(f"font {CJK_FONT} absent (fonts-noto-cjk)")
    resources = ""
    for bib in _golden_bibs():
        shutil.copy(bib, tmp_path / bib.name)
        resources += f"\\addbibresource{{{bib.name}}}\n"
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n"
        + _preamble()
        + "\\usepackage[backend=biber,style=authoryear]{biblatex}\n"
        + resources
        + "\\begin{document}\n\\nocite{*}\n\\printbibliography\n\\end{document}\n",
        encoding="utf-8",
    )
    latex = ["xelatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
    assert _run(latex, tmp_path).returncode == 0, (tmp_path / "doc.log").read_text()
    biber = _run(["biber", "doc"], tmp_path)
    biber_output = biber.stdout + biber.stderr
    assert biber.returncode == 0, biber_output
    assert not [line for line in biber_output.splitlines() if "WARN" in line or "ERROR" in line]
    for _ in range(2):
        assert _run(latex, tmp_path).returncode == 0
    _assert_latex_clean((tmp_path / "doc.log").read_text(encoding="utf-8", errors="replace"))
    entries = sum(b.read_text(encoding="utf-8").count("\n@") + 1 for b in _golden_bibs())
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    assert bbl.count("\\entry{") == entries


def test_classic_bibtex_compiles_every_bib(tmp_path: Path) -> None:
    _require("xelatex", "bibtex")
    if not _cjk_font_available():
        pytest.skip(f"font {CJK_FONT} absent (fonts-noto-cjk)")
    names = []
    for document in cite_corpus(extract_paths([REFERENCES])):
        if document.works:
            name = Path(document.path).stem + "-classic"
            (tmp_path / f"{name}.bib").write_text(
                write_bibtex(document.works, Style.BIBTEX), encoding="utf-8"
            )
            names.append(name)
    (tmp_path / "classic.tex").write_text(
        "\\documentclass{article}\n"
        + _preamble()
        + "\\usepackage[numbers]{natbib}\n\\usepackage{url}\n"
        + "\\begin{document}\n\\nocite{*}\n\\bibliographystyle{plainnat}\n"
        + f"\\bibliography{{{','.join(names)}}}\n\\end{{document}}\n",
        encoding="utf-8",
    )
    latex = ["xelatex", "-interaction=nonstopmode", "-halt-on-error", "classic.tex"]
    assert _run(latex, tmp_path).returncode == 0
    bibtex = _run(["bibtex", "classic"], tmp_path)
    bibtex_output = bibtex.stdout + bibtex.stderr
    assert bibtex.returncode == 0, bibtex_output
    assert "Warning--" not in bibtex_output, bibtex_output
    for _ in range(2):
        assert _run(latex, tmp_path).returncode == 0
    _assert_latex_clean((tmp_path / "classic.log").read_text(encoding="utf-8", errors="replace"))


def test_pandoc_reads_the_csl_json(tmp_path: Path) -> None:
    """pandoc parses every CSL-JSON item and citeproc renders them without a warning."""
    _require("pandoc")
    documents = cite_corpus(extract_paths([REFERENCES]))
    works = sum(len(d.works) for d in documents)
    bibliography = tmp_path / "corpus.json"
    bibliography.write_text(write_csl_json(documents), encoding="utf-8")
    converted = _run(["pandoc", "-f", "csljson", "-t", "biblatex", str(bibliography)], tmp_path)
    assert converted.returncode == 0, converted.stderr
    assert converted.stdout.count("\n@") + converted.stdout.startswith("@") == works
    (tmp_path / "doc.md").write_text('---\nnocite: "[@*]"\n---\n\nText.\n', encoding="utf-8")
    rendered = _run(
        ["pandoc", "doc.md", "--citeproc", "--bibliography", str(bibliography), "-t", "plain"],
        tmp_path,
    )
    assert rendered.returncode == 0, rendered.stderr
    assert rendered.stderr == ""
    assert "国务院新闻办公室" in rendered.stdout or "White Paper" in rendered.stdout
