"""`citecheck check` end to end against the local fake web."""

from __future__ import annotations

import contextlib
import io
import json
import os
import pty
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from citecheck.cli.check import Progress, run_check
from citecheck.cli.main import main
from citecheck.judge.checking import CheckHooks
from citecheck.judge.verdicts import LinkVerdict
from tests.support.fakeweb import (
    FakeHost,
    FakeWeb,
    no_real_network,  # noqa: F401 - a fixture, used by pytestmark
    page,
    redirect,
)
from tests.support.paths import REPO_ROOT

pytestmark = pytest.mark.usefixtures("no_real_network")


@pytest.fixture(scope="module")
def web() -> Iterator[FakeWeb]:
    with FakeWeb() as running:
        site = running.add_host()
        site.route("/ok", page("Fine"))
        site.route("/also-ok", page("Fine too"))
        site.route("/moved", redirect("/new"))
        site.route("/new", page("New"))
        site.route("/gone", page("Gone", status=410))
        yield running


@pytest.fixture
def site(web: FakeWeb) -> FakeHost:
    return next(iter(web.hosts.values()))


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["check", "--allow-private", "--timeout", "2", *args])


def url_file(tmp_path: Path, *urls: str) -> Path:
    path = tmp_path / "urls.txt"
    path.write_text("\n".join(urls) + "\n", encoding="utf-8")
    return path


def test_json_output_has_the_promised_shape(tmp_path: Path, site: FakeHost) -> None:
    urls = url_file(tmp_path, site.address_url("/gone"), site.address_url("/ok#top"))
    result = run("--urls", str(urls), "--no-cache")
    assert result.exit_code == 1, result.output
    payload = json.loads(result.stdout)
    assert list(payload) == ["links", "summary"]
    gone = payload["links"][0]
    assert set(gone) == {
        "url",
        "normalized_url",
        "verdict",
        "status",
        "final_url",
        "redirects",
        "reason",
        "archive_url",
        "archive_timestamp",
        "rule",
        "successor_url",
        "suggested_for",
        "checked_at",
        "cited_in",
    }
    assert (gone["verdict"], gone["status"], gone["reason"]) == ("dead", 410, "HTTP 410")
    assert gone["cited_in"] == [{"document": str(urls), "note": None, "line": 1}]
    assert gone["checked_at"].endswith("Z")
    assert payload["links"][1]["url"] == site.address_url("/ok#top")
    assert payload["links"][1]["normalized_url"] == site.address_url("/ok")
    assert payload["summary"] == {
        "ok": 1,
        "redirected": 0,
        "dead": 1,
        "soft-404": 0,
        "blocked": 0,
        "timeout": 0,
        "error": 0,
        "unchecked": 0,
    }


def test_each_address_is_probed_once_however_often_cited(
    tmp_path: Path, web: FakeWeb, site: FakeHost
) -> None:
    before = len(web.requests)
    spelled = site.address_url("/also-ok").replace("http://", "HTTP://")
    urls = url_file(tmp_path, site.address_url("/also-ok"), spelled, site.address_url("/also-ok#x"))
    result = run("--urls", str(urls), "--no-cache")
    payload = json.loads(result.stdout)
    assert len(payload["links"]) == 1
    assert [c["line"] for c in payload["links"][0]["cited_in"]] == [1, 2, 3]
    assert len(web.requests) - before == 1


def test_bib_url_fields_are_checked(tmp_path: Path, site: FakeHost) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(f"@online{{a,\n  url = {{{site.address_url('/ok')}}},\n}}\n", encoding="utf-8")
    result = run(str(bib), "--no-cache")
    assert result.exit_code == 0, result.output
    link = json.loads(result.stdout)["links"][0]
    assert (link["verdict"], link["cited_in"][0]["line"]) == ("ok", 2)


def test_text_format_lists_what_needs_attention(tmp_path: Path, site: FakeHost) -> None:
    urls = url_file(tmp_path, site.address_url("/ok"), site.address_url("/moved"))
    result = run("--urls", str(urls), "--no-cache", "--format", "text")
    assert result.exit_code == 0
    assert result.stdout == (
        f"redirected {site.address_url('/moved')}\n"
        f"{'':<10} moved permanently to {site.address_url('/new')}\n"
        f"{'':<10} cited at {urls}:2\n"
        "2 link(s): ok 1, redirected 1\n"
    )


def test_a_fresh_cache_answers_without_any_request(
    tmp_path: Path, web: FakeWeb, site: FakeHost
) -> None:
    urls = url_file(tmp_path, site.address_url("/ok"), site.address_url("/gone"))
    cache = tmp_path / "cache"
    first = run("--urls", str(urls), "--cache", str(cache))
    before = len(web.requests)
    second = run("--urls", str(urls), "--cache", str(cache))
    assert len(web.requests) == before
    assert json.loads(second.stdout) == json.loads(first.stdout)
    third = run("--urls", str(urls), "--cache", str(cache), "--max-age", "0")
    assert len(web.requests) == before + 2
    assert third.exit_code == 1


def test_offline_answers_from_the_cache_alone(tmp_path: Path, web: FakeWeb, site: FakeHost) -> None:
    cache = tmp_path / "cache"
    run("--urls", str(url_file(tmp_path, site.address_url("/ok"))), "--cache", str(cache))
    before = len(web.requests)
    urls = url_file(tmp_path, site.address_url("/ok"), site.address_url("/never-probed"))
    result = run("--urls", str(urls), "--cache", str(cache), "--offline", "--max-age", "0")
    assert len(web.requests) == before
    assert result.exit_code == 0
    links = json.loads(result.stdout)["links"]
    assert [(link["verdict"], link["reason"]) for link in links] == [
        ("ok", "HTTP 200"),
        ("unchecked", "offline, not in cache"),
    ]


def test_no_cache_writes_nothing(
    tmp_path: Path, site: FakeHost, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run("--urls", str(url_file(tmp_path, site.address_url("/ok"))), "--no-cache")
    assert not (tmp_path / "cache").exists()


def test_default_cache_is_cache_folder(
    tmp_path: Path, site: FakeHost, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run("--urls", str(url_file(tmp_path, site.address_url("/ok"))))
    assert (tmp_path / "cache" / "observations.sqlite3").is_file()


async def unreachable() -> bool:
    return False


def test_offline_network_warns_once_and_reports_nothing_dead(
    tmp_path: Path, web: FakeWeb, capsys: pytest.CaptureFixture[str]
) -> None:
    urls = url_file(tmp_path, *(f"http://site{n}.example/" for n in range(10)))
    status = run_check(
        paths=(),
        url_files=(urls,),
        output_format="json",
        output=None,
        timeout=1,
        concurrency=4,
        per_host=2,
        user_agent=None,
        allow_private=False,
        head_first=False,
        cache_dir=tmp_path / "cache",
        no_cache=False,
        max_age="7d",
        max_failed_age="1d",
        offline=False,
        quiet=True,
        hooks=CheckHooks(resolver=web.resolver(), network_canary=unreachable),
    )
    captured = capsys.readouterr()
    assert status == 0
    assert captured.err.count("network unreachable") == 1
    assert captured.err.startswith("citecheck: warning:")
    payload = json.loads(captured.out)
    assert {k: v for k, v in payload["summary"].items() if v} == {"unchecked": 10}
    assert {link["reason"] for link in payload["links"]} == {"network unreachable"}
    assert not any((tmp_path / "cache").glob("*.sqlite3")) or _cache_is_empty(tmp_path / "cache")


def _cache_is_empty(directory: Path) -> bool:
    with sqlite3.connect(directory / "observations.sqlite3") as db:
        return bool(db.execute("SELECT count(*) FROM observations").fetchone() == (0,))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--urls", "/nonexistent/urls.txt"], "/nonexistent/urls.txt: no such file"),
        (["/nonexistent/refs.bib"], "/nonexistent/refs.bib: no such file"),
        (["--urls", "URLS", "--max-age", "soon"], "'soon' is not an age"),
        (["--urls", "URLS", "--concurrency", "0"], "--concurrency"),
        (
            ["--urls", "URLS", "--exclude", ".", "-o", "/nonexistent/dir/out.json"],
            "/nonexistent/dir/out.json: cannot write: no such folder",
        ),
        (["--urls", "URLS", "--exclude", "(unclosed"], "'(unclosed': missing ), unterminated"),
    ],
)
def test_unusable_input_exits_2_with_one_line(
    tmp_path: Path, args: list[str], message: str
) -> None:
    urls = url_file(tmp_path, "http://a.org/")
    result = run(*[str(urls) if a == "URLS" else a for a in args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_broken_cache_exits_2(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "observations.sqlite3").write_bytes(b"garbage" * 1000)
    result = run("--urls", str(url_file(tmp_path, "http://a.org/")), "--cache", str(cache))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "observations.sqlite3: cannot use as a cache" in result.stderr


def test_progress_shows_counts_per_verdict() -> None:
    stream = io.StringIO()
    progress = Progress(2, stream)
    progress(LinkVerdict("u", "u", "ok", ""))
    progress(LinkVerdict("v", "v", "dead", ""))
    progress.finish()
    assert stream.getvalue().rstrip("\n").endswith("] 2/2 ok 1 dead 1\x1b[K")


def test_progress_is_quiet_when_piped(tmp_path: Path, site: FakeHost) -> None:
    result = run("--urls", str(url_file(tmp_path, site.address_url("/ok"))), "--no-cache")
    assert result.stderr == ""


def test_excluded_urls_are_unchecked_and_never_requested(
    tmp_path: Path, web: FakeWeb, site: FakeHost
) -> None:
    before = len(web.requests)
    urls = url_file(tmp_path, site.address_url("/gone"), site.address_url("/ok"))
    result = run("--urls", str(urls), "--no-cache", "--exclude", "/gone$")
    assert result.exit_code == 0
    links = json.loads(result.stdout)["links"]
    assert [(link["verdict"], link["reason"]) for link in links] == [
        ("unchecked", "excluded by configuration"),
        ("ok", "HTTP 200"),
    ]
    assert [r.path for r in web.requests[before:]] == ["/ok"]


def test_urls_of_a_text_carry_note_and_line(tmp_path: Path, site: FakeHost) -> None:
    text = tmp_path / "essay.txt"
    text.write_text(
        "Cyber diplomacy matters.1 So do norms.2\n"
        "\n"
        f"1 A report, {site.address_url('/gone')}.\n"
        f"2 Another, {site.address_url('/ok')}.\n",
        encoding="utf-8",
    )
    result = run(str(text), "--no-cache")
    assert result.exit_code == 1, result.output
    links = json.loads(result.stdout)["links"]
    assert [(link["verdict"], link["cited_in"]) for link in links] == [
        ("dead", [{"document": str(text), "note": 1, "line": 3}]),
        ("ok", [{"document": str(text), "note": 2, "line": 4}]),
    ]


def test_progress_bar_is_drawn_on_a_terminal(tmp_path: Path, site: FakeHost) -> None:
    urls = url_file(tmp_path, site.address_url("/ok"), site.address_url("/gone"))
    controller, terminal = pty.openpty()
    root = REPO_ROOT
    command = [sys.executable, "-m", "citecheck", "check", "--urls", str(urls), "--no-cache"]
    with subprocess.Popen(
        [*command, "--allow-private", "-o", str(tmp_path / "out.json")],
        cwd=root,
        stderr=terminal,
        env={**os.environ, "PYTHONPATH": str(root)},
    ) as process:
        os.close(terminal)
        drawn = b""
        with contextlib.suppress(OSError):  # EIO once the child has closed the terminal
            while chunk := os.read(controller, 4096):
                drawn += chunk
        assert process.wait(30) == 1
    os.close(controller)
    assert b"] 2/2 ok 1 dead 1" in drawn
