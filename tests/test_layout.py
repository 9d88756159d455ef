"""The package layout: one folder per stage, imports only towards earlier stages, no cycles."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import grimp
import pytest

from tests.support.paths import REPO_ROOT

LINT_IMPORTS = shutil.which("lint-imports")

# A module of a stage stays small enough to read in one sitting; the commands and the report
# formats are long lists of options and markup, so they are exempt.
MAX_MODULE_LINES = 800
EXEMPT_FOLDERS = ("cli", "reports")


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [
            (root, sorted(graph.find_modules_directly_imported_by(root)))
        ]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            if children:
                child = children.pop()
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, sorted(graph.find_modules_directly_imported_by(child))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycles() -> None:
    assert _cycles(grimp.build_graph("citecheck")) == []


def test_cycle_finder_finds_a_cycle() -> None:
    """The check above is only worth something if it can fail."""

    class TwoModules:
        modules: ClassVar[set[str]] = {"a", "b", "c"}

        @staticmethod
        def find_modules_directly_imported_by(module: str) -> set[str]:
            return {"a": {"b"}, "b": {"a"}, "c": {"a"}}[module]

    assert _cycles(TwoModules()) == [["a", "b"]]  # type: ignore[arg-type]


@pytest.mark.skipif(
    LINT_IMPORTS is None, reason="import-linter not installed (pip install -e '.[test]')"
)
def test_a_stage_importing_a_later_stage_breaks_the_contract(tmp_path: Path) -> None:
    """A copy of the package where the read stage imports the CLI fails lint-imports, naming it."""
    shutil.copytree(REPO_ROOT / "citecheck", tmp_path / "citecheck")
    shutil.copy(REPO_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    model = tmp_path / "citecheck" / "read" / "model.py"
    model.write_text(model.read_text(encoding="utf-8") + "\nfrom citecheck.cli import main\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    assert LINT_IMPORTS is not None
    result = subprocess.run(
        [LINT_IMPORTS],
        cwd=tmp_path,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert "citecheck.read.model -> citecheck.cli" in result.stdout
    clean = subprocess.run(
        [LINT_IMPORTS], cwd=REPO_ROOT, check=False, capture_output=True, text=True, timeout=120
    )
    assert clean.returncode == 0, clean.stdout


def test_python_entry_point_is_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "citecheck", "--version"],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and "citecheck" in result.stdout


def modules_over(package: Path, limit: int) -> list[tuple[str, int]]:
    """Modules of `package` (outside the exempt folders) longer than `limit` lines."""
    over: list[tuple[str, int]] = []
    for module in sorted(package.rglob("*.py")):
        relative = module.relative_to(package)
        if relative.parts[0] in EXEMPT_FOLDERS:
            continue
        lines = len(module.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            over.append((f"{package.name}/{relative.as_posix()}", lines))
    return over


def test_no_stage_module_is_over_800_lines() -> None:
    over = modules_over(REPO_ROOT / "citecheck", MAX_MODULE_LINES)
    assert not over, f"over {MAX_MODULE_LINES} lines, split along their seams: " + ", ".join(
        f"{name} ({lines} lines)" for name, lines in over
    )


def test_module_size_check_sees_stages_and_skips_cli_and_reports(tmp_path: Path) -> None:
    package = tmp_path / "citecheck"
    for name, lines in (
        ("read/long.py", 801),
        ("read/exact.py", 800),
        ("judge/sites/deep.py", 900),
        ("cli/main.py", 2000),
        ("reports/html.py", 2000),
        ("top.py", 1000),
    ):
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text("x = 1\n" * lines, encoding="utf-8")
    assert modules_over(package, MAX_MODULE_LINES) == [
        ("citecheck/judge/sites/deep.py", 900),
        ("citecheck/read/long.py", 801),
        ("citecheck/top.py", 1000),
    ]
