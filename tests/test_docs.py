"""The README and the guides in docs/ name only things that exist.

Every dotted `citecheck.…` name must import (a module, or an attribute of one), every
`citecheck/…`, `tests/…` or `bench/…` file path must exist, and every relative Markdown link
between the README and docs/*.md must point at an existing file (and heading, when it names
one) or at one of the guides other branches are writing (`PENDING_DOCS`). A module that moves
therefore fails here until its old path is gone from the docs.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from tests.support.paths import REPO_ROOT

DOCS_DIR = REPO_ROOT / "docs"
README = REPO_ROOT / "README.md"

# Guides that other branches are writing and the README already links. Remove a name once its
# file has landed: its links are then checked like any other.
PENDING_DOCS: frozenset[str] = frozenset()

# Dotted words in the docs that are file names, not Python names.
FILE_NAMES = frozenset({"citecheck.toml"})

DOTTED_NAME = re.compile(r"(?<![\w./-])citecheck(?:\.[A-Za-z_]\w*)+")
FILE_PATH = re.compile(r"(?<![\w./-])(?:citecheck|tests|bench)/[\w./*-]*")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"\[[^\]\n]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.MULTILINE)


def documents() -> list[Path]:
    return [README, *sorted(DOCS_DIR.glob("*.md"))]


def resolves(dotted: str) -> bool:
    """Whether `dotted` is a module, or an attribute path inside one."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        module_name = ".".join(parts[:cut])
        try:
            target: object = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name is not None and module_name.startswith(error.name):
                continue  # that module does not exist: try a shorter prefix
            raise
        for attribute in parts[cut:]:
            if not hasattr(target, attribute):
                return False
            target = getattr(target, attribute)
        return True
    return False


def path_exists(path: str) -> bool:
    """Whether a repository path exists; a glob must match something."""
    if "*" in path:
        return any(REPO_ROOT.glob(path))
    return (REPO_ROOT / path).exists()


def names_a_file(path: str) -> bool:
    """A folder (trailing /) or a file with a suffix; `citecheck/VERSION` is a User-Agent."""
    return path.endswith("/") or "." in path.rsplit("/", 1)[-1]


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = heading.replace("`", "").strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return {slug(h) for h in HEADING.findall(text)}


def link_problem(target: str, source: Path) -> str | None:
    """Why a relative link from `source` is broken, or None when it is fine."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", target):
        return None  # an absolute URL: not ours to check
    file_part, _, anchor = target.partition("#")
    resolved = (source.parent / file_part).resolve() if file_part else source
    try:
        relative = resolved.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return f"link {target!r} leaves the repository"
    if relative in PENDING_DOCS:
        return None
    if not resolved.exists():
        return f"link {target!r}: no file {relative}"
    if anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
        return f"link {target!r}: no heading #{anchor} in {relative}"
    return None


def problems(text: str, source: Path) -> list[str]:
    """Every name, path and link in a Markdown text (standing at `source`) that is wrong."""
    found: list[str] = []
    for name in sorted(set(DOTTED_NAME.findall(text)) - FILE_NAMES):
        if not resolves(name):
            found.append(f"{name}: no such module or attribute")
    for match in sorted({m.rstrip(".") for m in FILE_PATH.findall(text)}):
        if names_a_file(match) and not path_exists(match):
            found.append(f"{match}: no such file")
    prose = CODE_SPAN.sub("", FENCE.sub("", text))
    for target in LINK.findall(prose):
        problem = link_problem(target, source)
        if problem is not None:
            found.append(problem)
    return found


@pytest.mark.parametrize("doc", documents(), ids=lambda p: p.relative_to(REPO_ROOT).as_posix())
def test_names_paths_and_links_resolve(doc: Path) -> None:
    assert problems(doc.read_text(encoding="utf-8"), doc) == []


SYNTHETIC = DOCS_DIR / "synthetic.md"  # where the synthetic texts below pretend to stand


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("`citecheck.documents.read_document`", ["citecheck.documents.read_document: no such"]),
        ("see citecheck.read.document.no_such_function.", ["citecheck.read.document.no_such"]),
        ("`citecheck.reports.ReportFormat.PDF`", ["citecheck.reports.ReportFormat.PDF: no such"]),
        ("`citecheck/citations.py`", ["citecheck/citations.py: no such file"]),
        ("run tests/test_cli.py.", ["tests/test_cli.py: no such file"]),
        ("`tests/golden/extract/*.yaml`", ["tests/golden/extract/*.yaml: no such file"]),
        ("[a guide](nowhere.md)", ["link 'nowhere.md': no file docs/nowhere.md"]),
        ("[readers](readerz.md)", ["link 'readerz.md': no file docs/readerz.md"]),
        ("[up](../../outside.md)", ["link '../../outside.md' leaves the repository"]),
        (
            "[extracting](extracting.md#no-such-heading)",
            ["link 'extracting.md#no-such-heading': no heading #no-such-heading"],
        ),
    ],
)
def test_a_wrong_name_path_or_link_is_reported(text: str, expected: list[str]) -> None:
    found = problems(text, SYNTHETIC)
    assert len(found) == len(expected), found
    for problem, start in zip(found, expected, strict=True):
        assert problem.startswith(start), problem


@pytest.mark.parametrize(
    "text",
    [
        "`citecheck.read.formats.read_noted` and `citecheck.judge.sites.un`",
        "`citecheck.reports.render(citecheck.reports.ReportFormat.JSON, result)`",
        "`citecheck/read/notes.py`, `tests/cli/test_end_to_end.py`, `tests/support/`",
        "`tests/golden/extract/*.json`, the User-Agent `citecheck/VERSION`",
        "`[tool.citecheck.flapping]` in `citecheck.toml`",
        "[readers](readers.md), [extracting](extracting.md#what-extract-reports)",
        "[front page](../README.md#from-python), [site](https://example.org/x.md)",
        "`[not a link](nowhere.md)` in code",
    ],
)
def test_right_names_paths_and_links_pass(text: str) -> None:
    assert problems(text, SYNTHETIC) == []


def test_readme_links_every_guide() -> None:
    """Each file in docs/, and each guide still being written, is reachable from the README."""
    linked = {
        (README.parent / target.partition("#")[0]).resolve().relative_to(REPO_ROOT).as_posix()
        for target in LINK.findall(README.read_text(encoding="utf-8"))
        if not re.match(r"^[a-z][a-z0-9+.-]*:", target)
    }
    guides = {p.relative_to(REPO_ROOT).as_posix() for p in DOCS_DIR.glob("*.md")} | PENDING_DOCS
    assert guides - linked == set()


def test_readme_python_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's Python example works as printed, from the repository root (offline)."""
    blocks = re.findall(r"^```python\n(.*?)^```", README.read_text(encoding="utf-8"), re.M | re.S)
    assert blocks
    monkeypatch.chdir(REPO_ROOT)
    for block in blocks:
        namespace: dict[str, object] = {}
        exec(compile(block, "README.md", "exec"), namespace)
    assert namespace["noted"] and namespace["links"] and namespace["bib"]
