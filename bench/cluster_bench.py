"""Cluster bench: reading+parsing and probing a synthetic catalogue, in-process and on Dask.

Generates D documents with L cited URLs each over H loopback hosts (a lean server process
answering after a latency and counting, per host, the requests it is answering at once),
then prints:
- reading and parsing throughput (documents/s) in-process and on local clusters of 1, 2
  and 4 worker processes (cluster start-up timed separately, not counted);
- probing wall time in-process and on a 2-worker cluster, and the most requests any host
  saw at once, which must never exceed --per-host;
min and median over --repeat runs. These machines have 2 cores: 4 workers show where
scaling stops.

    python3 bench/cluster_bench.py                      # 400 documents, 10,000 links, 100 hosts
    python3 bench/cluster_bench.py --full               # 2,000 documents, 50,000 links, 500 hosts
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from citecheck.cite.citing import cite_corpus  # noqa: E402
from citecheck.cite.extraction import extract_paths  # noqa: E402
from citecheck.cluster.engine import connected  # noqa: E402
from citecheck.cluster.probing import ClusterProber  # noqa: E402
from citecheck.cluster.reading import read_on_cluster  # noqa: E402
from citecheck.judge.checking import CheckHooks, CheckOptions, check_links  # noqa: E402
from citecheck.probe.links import collect_links, urls_of_documents  # noqa: E402
from citecheck.probe.observation import ProbeSettings  # noqa: E402

RESPONSE = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 44\r\n\r\n"
    b"<html><head><title>Page</title></head></html>"
)[:-1]


class CountingHost(asyncio.Protocol):
    """Answers every request after `latency` s; counts this host's requests in progress."""

    def __init__(self, latency: float, address: str, busy: dict[str, list[int]]) -> None:
        self.latency, self.address, self.busy = latency, address, busy
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            self.buffer = self.buffer[end + 4 :]
            now, most = self.busy[self.address]
            self.busy[self.address] = [now + 1, max(most, now + 1)]
            asyncio.get_running_loop().call_later(self.latency, self.answer)

    def answer(self) -> None:
        now, most = self.busy[self.address]
        self.busy[self.address] = [now - 1, most]
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(RESPONSE)


def _factory(
    latency: float, address: str, busy: dict[str, list[int]]
) -> Callable[[], CountingHost]:
    return lambda: CountingHost(latency, address, busy)


def serve(hosts: int, latency: float, connection: Connection) -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        busy: dict[str, list[int]] = {}
        bases = []
        for number in range(hosts):
            address = f"127.0.{(number + 2) // 250}.{(number + 2) % 250 + 2}"
            busy[address] = [0, 0]
            server = await loop.create_server(
                _factory(latency, address, busy), address, 0, backlog=1024
            )
            bases.append(f"http://{address}:{server.sockets[0].getsockname()[1]}")
        connection.send(bases)
        while True:
            command = await loop.run_in_executor(None, connection.recv)
            if command == "stop":
                return
            connection.send(max(most for _now, most in busy.values()))
            for counts in busy.values():
                counts[1] = 0

    asyncio.run(main())


def write_catalogue(folder: Path, bases: list[str], documents: int, per_document: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(documents):
        notes = [
            f"{i} Jane Author{number} and John Writer, “A Report on Topic {i} of Series"
            f" {number},” Journal of Examples {i % 40}, no. {i % 7} (May {1 + i % 27}, 2015):"
            f" {i}–{i + 9}, {bases[(number * per_document + i) % len(bases)]}/p/{number}/{i}."
            for i in range(1, per_document + 1)
        ]
        body = " ".join(f"Sentence {i} makes a claim.{i}" for i in range(1, per_document + 1))
        (folder / f"article-{number:05d}.txt").write_text(
            body + "\n\nNotes\n\n" + "\n".join(notes) + "\n", encoding="utf-8"
        )


def _reader(client: object, paths: list[Path]) -> Callable[[], object]:
    return lambda: read_on_cluster(client, paths)  # type: ignore[arg-type]


def timed(repeat: int, action: Callable[[], object]) -> tuple[float, float]:
    walls = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        walls.append(time.perf_counter() - started)
    return min(walls), statistics.median(walls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=400)
    parser.add_argument("--per-document", type=int, default=25)
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--latency-ms", type=float, default=20)
    parser.add_argument("--per-host", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--full", action="store_true", help="2,000 documents, 50,000 links")
    args = parser.parse_args()
    if args.full:
        args.documents, args.per_document, args.hosts = 2000, 25, 500
    here, there = multiprocessing.Pipe()
    server = multiprocessing.Process(
        target=serve, args=(args.hosts, args.latency_ms / 1000, there), daemon=True
    )
    server.start()
    bases: list[str] = here.recv()
    links_total = args.documents * args.per_document
    print(
        f"catalogue: {args.documents} documents, {links_total} links, {args.hosts} hosts,"
        f" latency {args.latency_ms:.0f} ms, per-host {args.per_host};"
        f" load {os.getloadavg()[0]:.2f}"
    )
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "texts"
        write_catalogue(folder, bases, args.documents, args.per_document)
        paths = sorted(folder.iterdir())

        def in_process() -> None:
            cite_corpus(extract_paths(paths))

        low, mid = timed(args.repeat, in_process)
        print(
            f"read+parse in-process : {args.documents / mid:8.1f} docs/s"
            f" (min {low:.2f} s, median {mid:.2f} s)"
        )
        for count in (int(n) for n in args.workers.split(",")):
            started = time.perf_counter()
            with connected(f"local:{count}") as client:
                start_up = time.perf_counter() - started
                low, mid = timed(args.repeat, _reader(client, paths))
            print(
                f"read+parse {count} worker(s): {args.documents / mid:8.1f} docs/s"
                f" (min {low:.2f} s, median {mid:.2f} s; cluster start-up {start_up:.1f} s)"
            )
        documents = extract_paths(paths)
        links = collect_links(urls_of_documents(documents))
        settings = ProbeSettings(
            concurrency=args.concurrency, per_host=args.per_host, allow_private=True, timeout=30
        )
        options = CheckOptions(probe=settings, cache_dir=None, archive="none")

        def probe_here() -> None:
            result = check_links(links, options)
            assert all(v.verdict == "ok" for v in result.verdicts), "a link was not ok"

        low, mid = timed(args.repeat, probe_here)
        here.send("most")
        most = here.recv()
        print(
            f"probe in-process      : min {low:.2f} s, median {mid:.2f} s;"
            f" most at once on a host {most}"
        )
        with connected("local:2") as client:
            hooks = CheckHooks(prober=ClusterProber(client))

            def probe_there() -> None:
                result = check_links(links, options, hooks)
                assert all(v.verdict == "ok" for v in result.verdicts), "a link was not ok"

            low, mid = timed(args.repeat, probe_there)
        here.send("most")
        most = here.recv()
        print(
            f"probe on 2 workers    : min {low:.2f} s, median {mid:.2f} s;"
            f" most at once on a host {most}"
        )
        if most > args.per_host:
            print(f"FAIL: a host saw {most} requests at once, over the limit {args.per_host}")
            sys.exit(1)
    here.send("stop")
    server.join(5)


if __name__ == "__main__":
    main()
