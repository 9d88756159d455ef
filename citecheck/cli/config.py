"""Configuration: `[tool.citecheck]` in pyproject.toml, or the top level of citecheck.toml.

Command-line options override the file; the file overrides the defaults. An
unknown key or a value of the wrong type is a `ConfigError` naming the file
and the key, so a typo is never silently ignored. The baseline file lists the
fingerprints of accepted findings, so a team can adopt citecheck without
fixing everything on day one.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from citecheck.findings.finding import Finding, FindingKind, parse_kinds
from citecheck.findings.linkhealth import DEFAULT_POLICY, FlappingPolicy
from citecheck.read.model import DocumentError
from citecheck.util.atomic import write_text_atomic
from citecheck.util.quoting import quoted

# Bounds beyond which a value is a mistake (and, for days, overflows timedelta and datetime).
MAX_DAYS = 36525
MAX_TIMEOUT_SECONDS = 86400.0
CONFIG_FILES = ("citecheck.toml", "pyproject.toml")
BASELINE_SCHEMA = 1


class ConfigError(DocumentError):
    """A configuration or baseline file that cannot be used; the message is one line naming it."""


@dataclass(frozen=True)
class Config:
    source: str | None = None
    paths: tuple[str, ...] = ()
    exclude_urls: tuple[re.Pattern[str], ...] = ()
    per_host: int | None = None
    concurrency: int | None = None
    fail_on: frozenset[FindingKind] | None = None
    baseline: str | None = None
    cache: str | None = None
    timeout: float | None = None
    cluster: str | None = None  # a Dask scheduler address, or local:N
    flapping: FlappingPolicy = DEFAULT_POLICY

    def excluded(self, url: str) -> bool:
        return any(pattern.search(url) for pattern in self.exclude_urls)


KNOWN_KEYS = frozenset(
    {
        "paths",
        "exclude-urls",
        "per-host",
        "concurrency",
        "fail-on",
        "baseline",
        "cache",
        "timeout",
        "cluster",
        "flapping",
    }
)


def find_config(start: Path) -> Path | None:
    """citecheck.toml, or a pyproject.toml with a [tool.citecheck] table, in `start` or above."""
    for folder in (start.resolve(), *start.resolve().parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file() and (name == "citecheck.toml" or _has_table(candidate)):
                return candidate
    return None


def _has_table(pyproject: Path) -> bool:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False
    return isinstance(data.get("tool"), dict) and "citecheck" in data["tool"]


def load_config(path: Path) -> Config:
    """Read and check one configuration file; relative paths in it are relative to its folder."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{quoted(path)}: cannot read: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{quoted(path)}: not valid TOML: {error}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("citecheck", {}) if isinstance(tool, dict) else None
        if not isinstance(table, dict):
            raise ConfigError(f"{quoted(path)}: [tool.citecheck] must be a table")
        data = table
    return parse_config(data, path)


def parse_config(data: Mapping[str, Any], path: Path) -> Config:
    def fail(key: str, problem: str) -> ConfigError:
        return ConfigError(f"{quoted(path)}: {key}: {problem}")

    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        raise fail(unknown[0], f"unknown key (known: {', '.join(sorted(KNOWN_KEYS))})")
    base = path.parent

    def strings(key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(key, "must be a list of strings")
        return tuple(value)

    def optional_path(key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise fail(key, "must be a string")
        if "://" in value or value == "local" or value.startswith("local:"):
            return value  # a database URL or a cluster address, not a path
        return str(base / value)

    patterns: list[re.Pattern[str]] = []
    for text in strings("exclude-urls"):
        try:
            patterns.append(re.compile(text))
        except re.error as error:
            raise fail("exclude-urls", f"bad pattern {text!r}: {error}") from None
    fail_on = None
    if "fail-on" in data:
        try:
            fail_on = parse_kinds(",".join(strings("fail-on")))
        except ValueError as error:
            raise fail("fail-on", str(error)) from None
    timeout = data.get("timeout")
    if timeout is not None and not _number_within(timeout, 0.01, MAX_TIMEOUT_SECONDS):
        raise fail("timeout", f"must be a number of seconds from 0.01 to {MAX_TIMEOUT_SECONDS:g}")
    return Config(
        source=str(path),
        paths=tuple(str(base / p) for p in strings("paths")),
        exclude_urls=tuple(patterns),
        per_host=_positive_int(data, "per-host", fail),
        concurrency=_positive_int(data, "concurrency", fail),
        fail_on=fail_on,
        baseline=optional_path("baseline"),
        cache=optional_path("cache"),
        cluster=optional_path("cluster"),
        timeout=float(timeout) if timeout is not None else None,
        flapping=_flapping(data.get("flapping", {}), fail),
    )


def _number_within(value: Any, low: float, high: float) -> bool:
    """Whether `value` is a real number (not a bool, nan or inf) from `low` to `high`."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    return math.isfinite(value) and low <= value <= high


def _positive_int(data: Mapping[str, Any], key: str, fail: Any) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise fail(key, "must be a positive integer")
    return value


def _flapping(value: Any, fail: Any) -> FlappingPolicy:
    if not isinstance(value, dict) or set(value) - {"min-failures", "min-days"}:
        raise fail("flapping", "takes only min-failures (integer) and min-days (number)")
    failures = value.get("min-failures", 2)
    days = value.get("min-days", 1)
    if not isinstance(failures, int) or isinstance(failures, bool) or failures < 1:
        raise fail("flapping.min-failures", "must be a positive integer")
    if not _number_within(days, 0, MAX_DAYS):
        raise fail("flapping.min-days", f"must be a number of days from 0 to {MAX_DAYS}")
    return FlappingPolicy(min_failures=failures, min_span=timedelta(days=days))


def load_baseline(path: Path) -> frozenset[str]:
    """The fingerprints of accepted findings; a missing file accepts nothing."""
    if not path.exists():
        return frozenset()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("schema") != BASELINE_SCHEMA:
            raise ConfigError(f"{quoted(path)}: unknown baseline schema {data.get('schema')!r}")
        return frozenset(str(entry["fingerprint"]) for entry in data["accepted"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ConfigError(f"{quoted(path)}: not a citecheck baseline ({error})") from None


def write_baseline(path: Path, findings: Iterable[Finding]) -> None:
    """Accept every given finding; the kind and message are kept so a person can review the file."""
    accepted = sorted(
        (
            {"fingerprint": f.fingerprint, "kind": f.kind.value, "message": f.message}
            for f in findings
        ),
        key=lambda entry: (entry["kind"], entry["fingerprint"]),
    )
    unique = list({entry["fingerprint"]: entry for entry in accepted}.values())
    payload = {"schema": BASELINE_SCHEMA, "accepted": unique}
    write_text_atomic(path, json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
