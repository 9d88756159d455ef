"""`citecheck audit --cluster`: the same report as in-process, on a local Dask cluster."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from citecheck.cli.main import main
from citecheck.cluster.probing import shard_by_host
from citecheck.probe.links import CitedUrl, collect_links
from citecheck.read.model import Place
from tests.cluster.catalogue import build_hosts, write_catalogue
from tests.support.fakeweb import FakeWeb
from tests.support.paths import REPO_ROOT

pytest.importorskip("distributed")


@pytest.mark.parametrize(
    ("counts", "shards", "expected_loads"),
    [
        ({"a": 5, "b": 3, "c": 2}, 2, [5, 5]),
        ({"a": 1}, 3, [1]),
        ({"a": 4, "b": 4, "c": 4, "d": 1}, 3, [5, 4, 4]),
    ],
)
def test_hosts_are_whole_and_balanced(
    counts: dict[str, int], shards: int, expected_loads: list[int]
) -> None:
    urls = [
        CitedUrl(f"http://{host}.test/{i}", Place("d"))
        for host, n in counts.items()
        for i in range(n)
    ]
    out = shard_by_host(collect_links(urls), shards)
    assert sorted((len(s) for s in out), reverse=True) == expected_loads
    for host in counts:
        holding = [s for s in out if any(f"//{host}.test/" in link.normalized_url for link in s)]
        assert len(holding) == 1  # every link of a host in one shard


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("catalogue")
    with FakeWeb() as web:
        bases = build_hosts(web, 6, delay=0.05)
        write_catalogue(folder / "texts", bases, documents=12, links_per_document=5)
        yield folder / "texts"


def _audit(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        main,
        [
            "audit",
            "--allow-private",
            "--timeout",
            "5",
            "-q",
            "--format",
            "json",
            "--archive",
            "none",
            *args,
        ],
        catch_exceptions=False,
    )
    assert result.exit_code in (0, 1), result.output
    payload: dict[str, Any] = json.loads(result.stdout)
    return payload


def _without_times(report: Any) -> Any:
    """The report with its clock readings removed (they differ between any two runs)."""
    if isinstance(report, dict):
        return {
            k: _without_times(v)
            for k, v in report.items()
            if k not in {"generated_at", "checked_at", "at"}
        }
    if isinstance(report, list):
        return [_without_times(v) for v in report]
    return report


def test_cluster_and_in_process_reports_are_identical(catalogue: Path, tmp_path: Path) -> None:
    alone = _audit(str(catalogue), "--cache", str(tmp_path / "a"))
    spread = _audit(str(catalogue), "--cache", str(tmp_path / "b"), "--cluster", "local:2")
    assert len(alone["links"]) == 60
    assert _without_times(spread) == _without_times(alone)


def test_the_five_texts_give_the_same_report_offline(tmp_path: Path) -> None:
    texts = str(REPO_ROOT / "references")
    alone = _audit(texts, "--offline", "--cache", str(tmp_path / "a"))
    spread = _audit(texts, "--offline", "--cache", str(tmp_path / "b"), "--cluster", "local:2")
    assert _without_times(spread) == _without_times(alone)
    assert len(alone["findings"]) > 0


@pytest.fixture(scope="module")
def slow_web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeWeb, Path]]:
    """Hosts that answer after 0.25 s: with one request per host at a time, probing takes
    several seconds, so a worker can be killed while it is in the middle of its shard."""
    folder = tmp_path_factory.mktemp("slow")
    with FakeWeb() as web:
        bases = build_hosts(web, 4, delay=0.25)
        write_catalogue(folder / "texts", bases, documents=8, links_per_document=5, seed=3)
        yield web, folder / "texts"


def test_a_killed_worker_loses_nothing(slow_web: tuple[FakeWeb, Path], postgres_url: str) -> None:
    """Kill one worker mid-probe: Dask runs its shard again, the report is complete, and the
    shared store passes its integrity check."""
    from distributed import Client  # noqa: PLC0415

    from citecheck.cluster import engine  # noqa: PLC0415
    from citecheck.probe.pgstore import PostgresStore  # noqa: PLC0415

    web, catalogue = slow_web
    killed: list[float] = []
    original = engine.connected

    def connected_and_kill_one(address: str, **kwargs: Any) -> Any:
        manager = original(address, **kwargs)

        class Killing:
            def __enter__(self) -> Client:
                client: Client = manager.__enter__()

                def kill_later() -> None:
                    deadline = time.monotonic() + 60
                    while len(web.requests) < 6 and time.monotonic() < deadline:
                        time.sleep(0.05)  # until probing is under way on both workers
                    pids = client.run(os.getpid)
                    os.kill(sorted(pids.values())[0], signal.SIGKILL)
                    killed.append(time.monotonic())

                threading.Thread(target=kill_later, daemon=True).start()
                return client

            def __exit__(self, *exc: Any) -> None:
                manager.__exit__(*exc)

        return Killing()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "connected", connected_and_kill_one)
        report = _audit(
            str(catalogue), "--per-host", "1", "--cache", postgres_url, "--cluster", "local:2"
        )
    finished = time.monotonic()
    assert killed and killed[0] < finished - 0.5, "the worker was not killed mid-audit"
    verdicts = [link["verdict"] for link in report["links"]]
    assert len(verdicts) == 40
    requests = sum(len(web.requests_to(host)) for host in web.hosts.values())
    assert requests > 40  # the killed worker's shard was probed again elsewhere
    assert "unchecked" not in verdicts
    with PostgresStore(postgres_url) as store:
        assert store.integrity_problems() == []
        urls = [link["normalized_url"] for link in report["links"]]
        assert set(store.latest(urls)) == set(urls)


def test_without_cluster_nothing_imports_dask(tmp_path: Path) -> None:
    """An ordinary audit runs in-process exactly as before: Dask is never loaded."""
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from citecheck.cli.main import main\n"
        f"CliRunner().invoke(main, ['audit', {str(REPO_ROOT / 'references')!r}, '--offline',"
        f" '-q', '--cache', {str(tmp_path)!r}])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed',"
        " 'psycopg')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("local:0", "--cluster local:0: the worker count must be 1 to 64"),
        ("local:x", "--cluster local:x: the worker count must be 1 to 64"),
        ("tcp://127.0.0.1:9", "--cluster tcp://127.0.0.1:9: cannot connect"),
    ],
)
def test_an_unusable_cluster_is_one_line_and_exit_2(
    address: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from citecheck.cluster import engine  # noqa: PLC0415

    monkeypatch.setattr(engine, "CONNECT_TIMEOUT", 2.0)
    result = CliRunner().invoke(
        main,
        ["audit", str(REPO_ROOT / "references"), "--offline", "-q", "--cache", str(tmp_path),
         "--cluster", address],
    )  # fmt: skip
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_the_cluster_can_be_configured(tmp_path: Path) -> None:
    from citecheck.cli.config import load_config  # noqa: PLC0415

    path = tmp_path / "citecheck.toml"
    path.write_text('cluster = "tcp://scheduler:8786"\ncache = "postgresql://u@db/c"\n')
    config = load_config(path)
    assert config.cluster == "tcp://scheduler:8786"
    assert config.cache == "postgresql://u@db/c"


def test_reading_keeps_a_bounded_window_of_batches(catalogue: Path) -> None:
    """No more than `window` reading batches are ever out on the cluster at once."""
    from citecheck.cluster.engine import connected  # noqa: PLC0415
    from citecheck.cluster.reading import read_on_cluster  # noqa: PLC0415

    paths = sorted(catalogue.iterdir())
    counts = {"submitted": 0, "returned": 0, "most_out": 0}

    class Watched:
        def __init__(self, client: Any) -> None:
            self.client = client

        def scheduler_info(self) -> Any:
            return self.client.scheduler_info()

        def submit(self, *args: Any, **kwargs: Any) -> Any:
            counts["submitted"] += 1
            out = counts["submitted"] - counts["returned"]
            counts["most_out"] = max(counts["most_out"], out)
            return self.client.submit(*args, **kwargs)

    def returned(_read: int, _total: int) -> None:
        counts["returned"] += 1

    with connected("local:1") as client:
        corpus, cited = read_on_cluster(
            Watched(client),  # type: ignore[arg-type]
            paths,
            batch_size=1,
            window=2,
            on_batch=returned,
        )
    assert [d.path for d in corpus.documents] == [str(p) for p in paths]  # in the order given
    assert len(cited) == len(paths) and counts["submitted"] == len(paths)
    assert counts["most_out"] == 2
