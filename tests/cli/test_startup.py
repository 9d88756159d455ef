"""Start-up and shutdown: a check loads only what it uses, and exit skips the last GC passes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.cli.test_cli import modules_loaded_by
from tests.support.paths import REPO_ROOT

UNUSED_WITHOUT_CACHE = ("sqlite3", "citecheck.probe.cache", "citecheck.probe.cachewriter")
UNUSED_WITHOUT_LOOKUPS = ("citecheck.judge.archiveclient", "citecheck.judge.archivesave")


def test_check_without_cache_loads_neither_the_cache_nor_the_archive_client(
    tmp_path: Path,
) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text("https://example.org/a\n", encoding="utf-8")
    arguments = ["check", "--urls", str(urls), "--offline", "--no-cache", "-o", str(tmp_path / "o")]
    modules = modules_loaded_by(arguments, tmp_path)
    assert "citecheck.judge.checking" in modules
    assert [m for m in UNUSED_WITHOUT_CACHE + UNUSED_WITHOUT_LOOKUPS if m in modules] == []


def test_check_with_a_cache_loads_it(tmp_path: Path) -> None:
    """The other side of the test above, so that it cannot pass by loading nothing."""
    urls = tmp_path / "urls.txt"
    urls.write_text("https://example.org/a\n", encoding="utf-8")
    arguments = ["check", "--urls", str(urls), "--offline", "--cache", str(tmp_path / "c")]
    assert "citecheck.probe.cache" in modules_loaded_by(arguments, tmp_path)


def test_the_entry_point_freezes_the_heap_before_the_interpreter_exits(tmp_path: Path) -> None:
    script = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0))\n"
        "sys.argv = ['citecheck', '--version']\n"
        "from citecheck.cli.main import run\n"
        "run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "frozen True"
