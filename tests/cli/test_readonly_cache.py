"""A cache on read-only storage still answers `--offline` (issue 14, item 11): it is opened
read-only, and an audit that cannot save its state says so and still reports."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from citecheck.probe.cache import ObservationCache
from citecheck.probe.observation import Observation
from tests.support.unprivileged import run_unprivileged, shared_folder

URL = "http://www.example.fr/cyber-defense.html"
RUN = """
import json, sys
from click.testing import CliRunner
from citecheck.cli.main import main
def run(*args):
    result = CliRunner().invoke(main, list(args))
    return {"exit": result.exit_code, "stdout": result.stdout, "stderr": result.stderr}
"""
WARM_UP = (
    RUN
    + """
run("check", "--urls", sys.argv[1], "--cache", sys.argv[3], "--offline")
run("audit", "--urls", sys.argv[1], "--cache", sys.argv[3], "--offline", "--format", "json")
"""
)


@pytest.fixture
def locked_cache() -> Iterator[tuple[Path, Path, Path]]:
    """A URL file, a cache folder holding one observation of it (now read-only), and a
    writable scratch folder."""
    base = shared_folder()
    try:
        urls = base / "urls.txt"
        urls.write_text(URL + "\n", encoding="utf-8")
        cache = base / "cache"
        with ObservationCache(cache) as store:
            seen = Observation(url=URL, checked_at="2026-12-01T00:00:00Z", status=200)
            store.record(URL, seen)
        cache.chmod(0o555)
        scratch = base / "scratch"
        scratch.mkdir(mode=0o777)
        scratch.chmod(0o777)
        yield urls, cache, scratch
    finally:
        (base / "cache").chmod(0o755)
        shutil.rmtree(base)


def test_offline_check_and_audit_read_a_read_only_cache(
    locked_cache: tuple[Path, Path, Path],
) -> None:
    urls, cache, scratch = locked_cache
    before = sorted(p.name for p in cache.iterdir())
    snippet = """
print(json.dumps([
    run("check", "--urls", sys.argv[1], "--cache", sys.argv[2], "--offline"),
    run("audit", "--urls", sys.argv[1], "--cache", sys.argv[2], "--offline", "--format", "json"),
]))
"""
    done = run_unprivileged(
        RUN + snippet, str(urls), str(cache), str(scratch / "warm"), warm_up=WARM_UP
    )
    assert done.returncode == 0, done.stderr
    check, audit = json.loads(done.stdout)
    assert check["exit"] == 0, check["stderr"]
    assert [link["verdict"] for link in json.loads(check["stdout"])["links"]] == ["ok"]
    assert audit["exit"] == 0, audit["stderr"]
    assert "audit state not saved" in audit["stderr"]
    assert audit["stderr"].count("\n") == 1
    assert sorted(p.name for p in cache.iterdir()) == before


def test_read_only_open_creates_nothing_and_refuses_to_record(tmp_path: Path) -> None:
    with ObservationCache(tmp_path / "none", read_only=True) as empty:
        assert empty.latest([URL]) == {}
        assert empty.history(URL) == []
    assert not (tmp_path / "none").exists()
    with ObservationCache(tmp_path / "c") as store:
        store.record(URL, Observation(url=URL, checked_at="2026-12-01T00:00:00Z", status=200))
    with ObservationCache(tmp_path / "c", read_only=True) as reader:
        assert reader.latest([URL])[URL].status == 200
        with pytest.raises(Exception, match="opened read-only"):
            reader.record(URL, Observation(url=URL, checked_at="2026-12-02T00:00:00Z"))
