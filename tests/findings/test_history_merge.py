"""Audits sharing one cache keep every audit's history (issue 14, item 12): the state file
is read, merged and written under a lock, so concurrent audits never erase each other."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

from citecheck.findings.history import (
    AuditState,
    load_state,
    merge_histories,
    record_state,
)
from citecheck.findings.linkhealth import AuditRecord
from tests.support.fakeweb import FakeRequest, FakeResponse, FakeWeb, page
from tests.support.paths import REPO_ROOT

URL = "http://www.example.org/a"
AUDITS = 4


def test_merge_histories_unites_by_time_and_keeps_the_newest() -> None:
    first = {URL: (AuditRecord("2026-12-01T00:00:00Z", "dead"),)}
    second = {
        URL: (
            AuditRecord("2026-12-01T00:00:00Z", "dead"),
            AuditRecord("2026-12-02T00:00:00Z", "ok"),
        ),
        "http://b.org/": (AuditRecord("2026-11-30T00:00:00Z", "ok"),),
    }
    assert merge_histories(first, second) == {
        "http://b.org/": (AuditRecord("2026-11-30T00:00:00Z", "ok"),),
        URL: (
            AuditRecord("2026-12-01T00:00:00Z", "dead"),
            AuditRecord("2026-12-02T00:00:00Z", "ok"),
        ),
    }
    many = {URL: tuple(AuditRecord(f"2026-01-{d:02d}T00:00:00Z", "dead") for d in range(1, 31))}
    kept = merge_histories(many)[URL]
    assert len(kept) == 20 and kept[-1].at == "2026-01-30T00:00:00Z"


def _save_one(path: str, number: int, start: multiprocessing.synchronize.Barrier) -> None:
    """One audit that read an empty state, then saves its own record at the same moment."""
    state = AuditState(
        audited_at=f"2026-12-0{number + 1}T00:00:00Z",
        history={URL: (AuditRecord(f"2026-12-0{number + 1}T00:00:00Z", "dead"),)},
    )
    start.wait(30)
    record_state(Path(path), state)


def test_four_processes_saving_at_once_keep_four_records(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    start = context.Barrier(AUDITS)
    path = tmp_path / "audit-state.json"
    workers = [context.Process(target=_save_one, args=(str(path), n, start)) for n in range(AUDITS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    state = load_state(path)
    assert isinstance(state, AuditState)
    assert [r.at for r in state.history[URL]] == [
        f"2026-12-0{n + 1}T00:00:00Z" for n in range(AUDITS)
    ]


def test_four_concurrent_audits_on_one_cache_keep_four_records(tmp_path: Path) -> None:
    """Four `citecheck audit` processes, started a second apart (so each observation has its
    own time), are held by the server until all four have asked, then finish together."""
    arrived: list[float] = []
    release = asyncio.Event()

    async def held(request: FakeRequest) -> FakeResponse:
        arrived.append(time.monotonic())
        if len(arrived) >= AUDITS:
            release.set()
        await asyncio.wait_for(release.wait(), 120)
        return page("Held until every audit asked")

    with FakeWeb() as web:
        site = web.add_host()
        site.route("/a", held)
        url = site.address_url("/a")
        text = tmp_path / "essay.txt"  # a text of our own, else audit reads the bundled corpus
        text.write_text(f"A claim.1\n\n1 See the page, {url}, seen 1 December 2026.\n")
        audits = []
        for number in range(AUDITS):
            audits.append(
                subprocess.Popen(
                    [sys.executable, "-m", "citecheck", "audit", str(text),
                     "--cache", str(tmp_path / "cache"), "--allow-private", "--max-age", "0",
                     "--timeout", "120", "--format", "json",
                     "-o", str(tmp_path / f"audit{number}.json")],
                    env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )  # fmt: skip
            deadline = time.monotonic() + 60
            while len(arrived) <= number and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(1.05 - time.time() % 1)  # the next probe starts in a new second
        for audit in audits:
            _, errors = audit.communicate(timeout=180)
            assert audit.returncode == 0, errors
    state = load_state(tmp_path / "cache" / "audit-state.json")
    assert isinstance(state, AuditState)
    records = state.history[url]
    assert len(records) == AUDITS, records
    assert len({r.at for r in records}) == AUDITS
    assert all(r.verdict == "ok" for r in records)
    assert all(json.loads((tmp_path / f"audit{n}.json").read_text()) for n in range(AUDITS))
