"""The CLI surface that does not depend on a stage: version, help, input errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from citecheck import __version__
from citecheck.cite.evaluation import DEFAULT_LABELS
from citecheck.cli.main import (
    DEFAULT_ARCHIVE_CACHE_DIR,
    DEFAULT_ARCHIVE_ENDPOINT,
    DEFAULT_LABELS_PATH,
    REPORT_FORMATS,
    STYLE_CHOICES,
    main,
)
from citecheck.export.bibtex import Style
from citecheck.judge import archiveclient, wayback
from citecheck.probe.cache import DATABASE_NAME
from citecheck.reports import ReportFormat
from tests.support.paths import REPO_ROOT


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_help_lists_extract() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "extract" in result.output


def test_binary_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(bytes(range(256)) * 4)
    result = CliRunner().invoke(main, ["extract", str(path)])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "photo.txt: binary file" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_readme_test_command_is_what_ci_runs() -> None:
    root = REPO_ROOT
    readme = (root / "README.md").read_text(encoding="utf-8")
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    command = next(line for line in readme.splitlines() if "pytest" in line)
    assert command.strip() in ci


HEAVY_MODULES = (
    "citecheck.cite.citing",
    "citecheck.cite.parse",
    "citecheck.cite.split",
    "bibtexparser",
    "requests",
    "aiohttp",
    "citecheck.probe.fetch",
    "pycrfsuite",
)


def modules_loaded_by(arguments: list[str], cwd: Path) -> set[str]:
    """The modules a fresh interpreter has loaded after running `citecheck ARGUMENTS`."""
    script = (
        "import sys\n"
        "from citecheck.cli.main import main\n"
        "try:\n"
        f"    main({arguments!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('\\n'.join(sys.modules), file=sys.stderr)\n"
    )
    root = REPO_ROOT
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        check=True,
    )
    return set(done.stderr.split())


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY_MODULES or m in HEAVY_MODULES)


@pytest.mark.parametrize("arguments", [["--version"], ["--help"], ["check", "--help"]])
def test_version_and_help_load_no_stage(arguments: list[str], tmp_path: Path) -> None:
    modules = modules_loaded_by(arguments, tmp_path)
    assert "citecheck.cli.main" in modules
    assert heavy(modules) == []


def test_offline_check_of_url_file_loads_neither_parser_nor_aiohttp(tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text("https://example.org/a\n", encoding="utf-8")
    arguments = ["check", "--urls", str(urls), "--offline", "--cache", str(tmp_path / "c")]
    modules = modules_loaded_by(arguments, tmp_path)
    assert "citecheck.judge.checking" in modules
    assert heavy(modules) == []


def test_spelled_out_option_values_match_their_modules() -> None:
    assert tuple(style.value for style in Style) == STYLE_CHOICES
    assert Style.BIBLATEX.value == STYLE_CHOICES[0]
    assert DEFAULT_LABELS == DEFAULT_LABELS_PATH
    assert tuple(f.value for f in ReportFormat) == REPORT_FORMATS
    assert wayback.DEFAULT_ENDPOINT == DEFAULT_ARCHIVE_ENDPOINT
    assert archiveclient.DEFAULT_CACHE_DIR == DEFAULT_ARCHIVE_CACHE_DIR


def test_unusable_cache_is_one_line_and_exit_2(tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text("https://example.org/a\n", encoding="utf-8")
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    (cache_dir / DATABASE_NAME).write_bytes(b"not a database, " * 512)
    arguments = ["check", "--urls", str(urls), "--offline", "--cache", str(cache_dir)]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 2
    assert result.stderr.startswith("citecheck: error: ")
    assert result.stderr.strip().count("\n") == 0
