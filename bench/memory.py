"""Peak memory of `citecheck audit` and of `citecheck check` for the same N loopback links.

The audit of 10,000 links must peak under 120 MB and within 1.3 times the check's peak
(issue 15). Both run on bench/probe_throughput.py's loopback web (40 hosts, 50 ms,
concurrency 64, 8 per host), without a cache or an archive pass; the peak is each
child's own VmHWM, polled from /proc (probe_throughput.timed).

    python3 bench/memory.py [--urls 10000]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from probe_throughput import endnoted_texts, loopback_web, timed  # bench/ is on sys.path

from tests.support.paths import (
    REPO_ROOT,  # importable: probe_throughput put the repository on sys.path
)

SETTINGS = ["--concurrency", "64", "--per-host", "8", "--no-cache", "--allow-private"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--urls", type=int, default=10000)
    arguments = parser.parse_args()
    n = arguments.urls
    with loopback_web(40, 0.05, n) as (urls, _), tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        url_file = scratch / "urls.txt"
        url_file.write_text("\n".join(urls) + "\n", encoding="utf-8")
        texts = endnoted_texts(urls, scratch)
        report, checked = scratch / "report.json", scratch / "check.json"
        audit = timed(
            "audit",
            [sys.executable, "-m", "citecheck", "audit", *map(str, texts), *SETTINGS,
             "--archive", "none", "--quiet", "--format", "json", "-o", str(report)],
            REPO_ROOT,
        )  # fmt: skip
        check = timed(
            "check",
            [sys.executable, "-m", "citecheck", "check", "--urls", str(url_file), *SETTINGS,
             "--archive", "none", "--quiet", "-o", str(checked)],
            REPO_ROOT,
        )  # fmt: skip
        links = json.loads(report.read_text(encoding="utf-8"))["summary"]["links"]
        ok = sum(1 for v in json.loads(checked.read_text(encoding="utf-8"))["links"])
    ratio = audit.peak_mb / check.peak_mb
    print(
        f"{n} URLs: audit of {len(texts)} texts ({links} links) peak {audit.peak_mb:.1f} MB, "
        f"wall {audit.wall:.1f} s; check ({ok} links) peak {check.peak_mb:.1f} MB, wall "
        f"{check.wall:.1f} s; audit/check {ratio:.2f} (target < 120 MB and <= 1.3: "
        f"{'met' if audit.peak_mb < 120 and ratio <= 1.3 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
