"""SARIF 2.1.0 output: valid against the OASIS schema, one rule per kind, stable fingerprints."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from citecheck.findings.finding import FindingKind
from citecheck.read.model import Place
from citecheck.reports import ReportFormat, render
from citecheck.reports.sarif import FINGERPRINT_KEY
from tests.support.paths import TESTS_DIR
from tests.support.reportsample import sample_result

SCHEMA = json.loads((TESTS_DIR / "support" / "sarif" / "sarif-schema-2.1.0.json").read_text())


def sarif(result: Any = None) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render(ReportFormat.SARIF, result or sample_result()))
    return data


def test_valid_against_the_sarif_2_1_0_schema() -> None:
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(sarif()), key=lambda e: list(e.absolute_path))
    assert errors == []


def test_the_schema_catches_a_broken_log() -> None:
    """Without this, a schema that accepts anything would pass the test above."""
    broken = sarif()
    broken["runs"][0]["results"][0]["level"] = "fatal"
    del broken["runs"][0]["tool"]
    assert list(jsonschema.Draft7Validator(SCHEMA).iter_errors(broken))


def test_a_rule_per_kind_and_results_point_at_file_and_line() -> None:
    result = sample_result()
    run = sarif(result)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [k.value for k in FindingKind]
    assert len(run["results"]) == len(result.findings)
    for entry, finding in zip(run["results"], result.findings, strict=True):
        assert rules[entry["ruleIndex"]]["id"] == entry["ruleId"] == finding.kind.value
        physical = entry["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"] == {
            "uri": finding.places[0].document,
            "uriBaseId": "%SRCROOT%",
        }
        assert physical["region"] == {"startLine": finding.places[0].line}
        assert entry["partialFingerprints"] == {FINGERPRINT_KEY: finding.fingerprint}
    levels = {e["ruleId"]: e["level"] for e in run["results"]}
    assert levels["dead-link"] == "error" and levels["blocked"] == "note"
    assert levels["symbol-mismatch"] == "warning"


def test_fingerprints_survive_a_moved_line() -> None:
    result = sample_result()
    moved = replace(
        result,
        findings=tuple(
            replace(f, places=tuple(replace(p, line=(p.line or 0) + 7) for p in f.places))
            for f in result.findings
        ),
    )
    before = [e["partialFingerprints"] for e in sarif(result)["runs"][0]["results"]]
    after = [e["partialFingerprints"] for e in sarif(moved)["runs"][0]["results"]]
    assert before == after
    assert len({json.dumps(f) for f in before}) == len(before)  # one per finding


def test_a_pdf_place_gives_its_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = sample_result()
    first = result.findings[0]
    paged = replace(first, places=(Place(str(tmp_path / "book.pdf"), 4, None, page=12),))
    monkeypatch.chdir(tmp_path)
    entry = sarif(replace(result, findings=(paged,)))["runs"][0]["results"][0]
    (where,) = entry["locations"]
    assert where["physicalLocation"] == {
        "artifactLocation": {"uri": "book.pdf", "uriBaseId": "%SRCROOT%"}
    }
    assert where["message"] == {"text": "p. 12"}
    assert where["properties"] == {"note": 4, "page": 12}
    validator = jsonschema.Draft7Validator(SCHEMA)
    assert list(validator.iter_errors(sarif(replace(result, findings=(paged,))))) == []


def test_report_command_writes_sarif(tmp_path: Path) -> None:
    from click.testing import CliRunner  # noqa: PLC0415

    from citecheck.cli.main import main  # noqa: PLC0415

    audit = tmp_path / "audit.json"
    audit.write_text(render(ReportFormat.JSON, sample_result()), encoding="utf-8")
    out = tmp_path / "citecheck.sarif"
    ran = CliRunner().invoke(main, ["report", str(audit), "--format", "sarif", "-o", str(out)])
    assert ran.exit_code == 1  # the sample fails; the SARIF is written all the same
    assert json.loads(out.read_text(encoding="utf-8")) == sarif()
