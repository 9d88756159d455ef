"""A synthetic back catalogue: small texts whose notes cite pages on loopback hosts.

Used by the cluster tests and by bench/cluster_bench.py. Deterministic for a seed.
"""

from __future__ import annotations

import random
from pathlib import Path

from tests.support.fakeweb import FakeWeb, page

ROUTES = ("/ok", "/gone", "/moved")


def build_hosts(web: FakeWeb, count: int, delay: float = 0.0) -> list[str]:
    """`count` hosts answering /ok (200), /gone (410) and /moved (301 to /ok); base URLs."""
    bases = []
    for _ in range(count):
        host = web.add_host()
        host.route("/ok", page("Fine", delay=delay))
        host.route("/gone", page("Gone", status=410, delay=delay))
        host.route("/moved", page("Moved", status=200, delay=delay))
        bases.append(host.address_url(""))
    return bases


def write_catalogue(
    folder: Path, bases: list[str], documents: int, links_per_document: int, seed: int = 7
) -> list[Path]:
    """`documents` texts, each with `links_per_document` numbered notes citing one URL."""
    chooser = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number in range(documents):
        body = " ".join(f"Claim {i}.{i}" for i in range(1, links_per_document + 1))
        notes = []
        for i in range(1, links_per_document + 1):
            base = chooser.choice(bases)
            route = chooser.choice(ROUTES)
            notes.append(
                f"{i} Author {number}-{i}, “Report {number} {i},” Example Press,"
                f" May {1 + i % 27}, 2015, {base}{route}?doc={number}&note={i}."
            )
        path = folder / f"article-{number:04d}.txt"
        path.write_text(body + "\n\nNotes\n\n" + "\n".join(notes) + "\n", encoding="utf-8")
        written.append(path)
    return written
