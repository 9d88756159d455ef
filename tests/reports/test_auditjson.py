"""A JSON audit read back renders exactly as the audit it came from."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from citecheck.cli.main import main
from citecheck.reports import ReportFormat, render
from citecheck.reports.load import AuditFileError, load_audit
from tests.support.reportsample import sample_result


@pytest.mark.parametrize("report_format", list(ReportFormat))
def test_round_trip_renders_the_same(tmp_path: Path, report_format: ReportFormat) -> None:
    original = sample_result()
    original = replace(original, accepted=original.findings[:1], findings=original.findings[1:])
    path = tmp_path / "audit.json"
    path.write_text(render(ReportFormat.JSON, original), encoding="utf-8")
    loaded = load_audit(path)
    assert render(report_format, loaded) == render(report_format, original)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not JSON"),
        ('{"schema": 2}', "not a citecheck audit of schema 1 (schema 2)"),
        ("[]", "not a citecheck audit of schema 1"),
        ('{"schema": 1, "findings": []}', "not a valid audit: (top): 'generated_at' is a required"),
    ],
)
def test_bad_audit_files_are_one_line_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "audit.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AuditFileError) as raised:
        load_audit(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)


def _audit_file(tmp_path: Path) -> Path:
    path = tmp_path / "audit.json"
    path.write_text(render(ReportFormat.JSON, sample_result()), encoding="utf-8")
    return path


def test_report_command_renders_and_keeps_the_exit_status(tmp_path: Path) -> None:
    path = _audit_file(tmp_path)
    result = CliRunner().invoke(main, ["report", str(path), "--format", "markdown"])
    assert result.exit_code == 1  # the sample has a dead link and a soft 404
    assert result.stdout == render(ReportFormat.MARKDOWN, sample_result())
    quiet = CliRunner().invoke(main, ["report", str(path), "--fail-on", "none"])
    assert quiet.exit_code == 0
    coloured = CliRunner().invoke(main, ["report", str(path), "--color"])
    assert "\x1b[31m" in coloured.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [(["missing.json"], "missing.json: cannot read"), (["--fail-on", "dead"], "unknown finding")],
)
def test_report_command_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    path = _audit_file(tmp_path)
    arguments = args if args[0].endswith(".json") else [str(path), *args]
    result = CliRunner().invoke(main, ["report", *arguments])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_the_published_schema_is_the_one_the_loader_uses() -> None:
    from citecheck.reports.load import audit_schema  # noqa: PLC0415
    from tests.support.paths import REPO_ROOT  # noqa: PLC0415

    published = json.loads((REPO_ROOT / "docs" / "audit-schema.json").read_text("utf-8"))
    assert published == audit_schema()


@pytest.mark.parametrize("changes", [True, False])
def test_every_audit_we_write_validates(changes: bool) -> None:
    from citecheck.reports.load import schema_problem  # noqa: PLC0415

    data = json.loads(render(ReportFormat.JSON, sample_result(changes=changes)))
    assert schema_problem(data) is None
