"""Configuration files and the baseline of accepted findings."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from citecheck.cli.config import (
    ConfigError,
    find_config,
    load_baseline,
    load_config,
    write_baseline,
)
from citecheck.findings.finding import Finding, FindingKind, Severity
from citecheck.read.model import Place

PYPROJECT = """
[project]
name = "thesis"

[tool.citecheck]
paths = ["chapters"]
exclude-urls = ["^https?://localhost", "paywall\\\\.example"]
fail-on = ["dead-link", "date-mismatch"]
baseline = "citecheck-baseline.json"
cache = ".cache/citecheck"
timeout = 20

per-host = 2
concurrency = 8

[tool.citecheck.flapping]
min-failures = 3
min-days = 2
"""


def test_pyproject_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / "chapters").mkdir()
    path = find_config(tmp_path / "chapters")
    assert path == tmp_path / "pyproject.toml"
    config = load_config(path)
    assert config.paths == (str(tmp_path / "chapters"),)
    assert config.excluded("http://localhost:8000/x")
    assert config.excluded("https://paywall.example/a")
    assert not config.excluded("https://www.un.org/a")
    assert config.fail_on == frozenset({FindingKind.DEAD_LINK, FindingKind.DATE_MISMATCH})
    assert config.baseline == str(tmp_path / "citecheck-baseline.json")
    assert config.cache == str(tmp_path / ".cache/citecheck")
    assert config.timeout == 20.0
    assert (config.per_host, config.concurrency) == (2, 8)
    assert config.flapping.min_failures == 3
    assert config.flapping.min_span == timedelta(days=2)


def test_citecheck_toml_wins_and_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n", encoding="utf-8")
    assert find_config(tmp_path) is None
    (tmp_path / "citecheck.toml").write_text('paths = ["texts"]\n', encoding="utf-8")
    path = find_config(tmp_path)
    assert path == tmp_path / "citecheck.toml"
    assert load_config(path).paths == (str(tmp_path / "texts"),)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("pathz = []", "pathz: unknown key"),
        ("paths = 'references'", "paths: must be a list of strings"),
        ("exclude-urls = ['(']", "exclude-urls: bad pattern '('"),
        ("fail-on = ['dead']", "fail-on: unknown finding kind 'dead'"),
        ("timeout = -1", "timeout: must be a number of seconds from 0.01 to 86400"),
        ("per-host = 0", "per-host: must be a positive integer"),
        ("concurrency = true", "concurrency: must be a positive integer"),
        ("[flapping]\nmin-days = 'one'", "flapping.min-days: must be a number of days"),
        ("paths = [", "not valid TOML"),
    ],
)
def test_bad_config_names_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "citecheck.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_baseline_round_trip(tmp_path: Path) -> None:
    finding = Finding(
        FindingKind.DEAD_LINK,
        Severity.HIGH,
        "gone",
        (Place("a.txt", 1, 5),),
        subject="http://x.org/a",
    )
    path = tmp_path / "baseline.json"
    assert load_baseline(path) == frozenset()
    write_baseline(path, [finding, finding])
    assert load_baseline(path) == {finding.fingerprint}
    assert '"message": "gone"' in path.read_text(encoding="utf-8")


def test_bad_baseline(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text('{"schema": 1}', encoding="utf-8")
    with pytest.raises(ConfigError, match="not a citecheck baseline"):
        load_baseline(path)
