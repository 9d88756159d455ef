"""The CLI surface that does not depend on a stage: version, help, input errors."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from citecheck import __version__
from citecheck.cli import main


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
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    command = next(line for line in readme.splitlines() if "pytest" in line)
    assert command.strip() in ci
