"""No network at all: a real run in a fresh network namespace (`unshare -n`, loopback
down, no routes, no DNS) finishes promptly, says "network unreachable" once, leaves every
link unchecked, claims nothing dead and exits 0. Nothing here can reach the real web:
the namespace has no network to reach it with.

Skipped, with the reason, where unprivileged namespaces are not available.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import REPO_ROOT

ROOT = REPO_ROOT
GUARD_SECONDS = 60  # the run takes about a second; the guard only catches a hang


def _namespaces_work() -> bool:
    if shutil.which("unshare") is None:
        return False
    try:
        done = subprocess.run(
            ["unshare", "-n", "true"], capture_output=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


pytestmark = pytest.mark.skipif(
    not _namespaces_work(), reason="cannot create a network namespace (unshare -n) here"
)


def run_without_network(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["unshare", "-n", sys.executable, "-m", "citecheck", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=GUARD_SECONDS,
        check=False,
    )


def test_checking_the_corpus_offline_claims_nothing_dead(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    done = run_without_network("check", "--cache", str(cache_dir), "--format", "json")
    assert "Traceback" not in done.stderr
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("network unreachable") == 1
    report = json.loads(done.stdout)
    assert len(report["links"]) > 100
    counts = {word: count for word, count in report["summary"].items() if count}
    assert counts == {"unchecked": len(report["links"])}
    assert {link["reason"] for link in report["links"]} == {"network unreachable"}


def test_a_url_list_offline_is_unchecked_not_dead(tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text(
        "https://www.un.org/disarmament/ict-security/\n"
        "http://www.fmprc.gov.cn/mfa_eng/\n"
        "https://does-not-exist.example/\n"
    )
    done = run_without_network("check", "--urls", str(urls), "--no-cache", "--format", "text")
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("network unreachable") == 1
    assert "dead" not in done.stdout
    assert done.stdout.rstrip().endswith("3 link(s): unchecked 3")


def test_an_audit_offline_still_reports_dates_and_duplicates(tmp_path: Path) -> None:
    done = run_without_network("audit", "--cache", str(tmp_path / "cache"), "--format", "json")
    assert "Traceback" not in done.stderr
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("network unreachable") == 1
    summary = json.loads(done.stdout)["summary"]
    assert summary["verdicts"] == {"unchecked": summary["links"]}
    assert summary["findings"]["dead-link"] == summary["findings"]["soft-404"] == 0
    assert summary["findings"]["date-mismatch"] > 0
    assert summary["findings"]["duplicate-source"] > 0
