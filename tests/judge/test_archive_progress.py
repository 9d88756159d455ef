"""The archive pass is visible: lookups reported as they happen, with rate and time left."""

from __future__ import annotations

import io

import pytest

from citecheck.cli.check import Progress, archive_line
from citecheck.judge.archive import archive_pass
from citecheck.judge.archiveclient import ArchiveClient, RateLimiter
from citecheck.probe.links import Link
from tests.judge.test_archive import ARTICLE, CITED, _verdict
from tests.support.fakearchive import FakeCapture, serving


def test_the_pass_reports_before_the_first_lookup_and_after_each() -> None:
    dead, gone = CITED, CITED.replace("t869580", "t869581")
    live = "https://www.rand.org/pubs/x.html"
    captures = {dead: [FakeCapture("20111019233000", body=ARTICLE)], gone: []}
    links = [Link(url=u, normalized_url=u) for u in (dead, live, gone)]
    verdicts = [_verdict(dead, "dead"), _verdict(live, "ok"), _verdict(gone, "timeout")]
    heard: list[tuple[int, int]] = []
    with serving(captures) as fake:
        client = ArchiveClient(fake.base, limiter=RateLimiter(1e6), replay_limiter=RateLimiter(1e6))
        archive_pass(verdicts, links, client, on_lookup=lambda *seen: heard.append(seen))
        archive_pass(verdicts, links, client, mode="none", on_lookup=lambda *s: heard.append(s))
    assert heard == [(0, 2), (1, 2), (2, 2)]


@pytest.mark.parametrize(
    ("looked_up", "total", "elapsed", "line"),
    [
        (0, 12, 0.0, "\rarchive 0/12 looked up, about 36 s left"),
        (3, 12, 9.0, "\rarchive 3/12 looked up, 20.0/min, about 27 s left"),
        (6, 12, 36.0, "\rarchive 6/12 looked up, 10.0/min, about 36 s left"),
        (12, 12, 36.0, "\rarchive 12/12 looked up, 20.0/min, done"),
    ],
)
def test_archive_line_gives_rate_and_time_left(
    looked_up: int, total: int, elapsed: float, line: str
) -> None:
    assert archive_line(looked_up, total, elapsed) == line


def test_progress_ends_the_probe_line_and_draws_the_archive_below() -> None:
    stream = io.StringIO()
    progress = Progress(2, stream)
    progress(_verdict(CITED, "dead"))
    progress(_verdict(CITED, "ok"))
    progress.archive(0, 1)
    progress.archive(1, 1)
    progress.finish()
    probes, archive, rest = stream.getvalue().split("\n")
    assert probes.endswith("2/2 ok 1 dead 1\x1b[K")
    assert archive.startswith(
        "\rarchive 0/1 looked up, about 3 s left\x1b[K\rarchive 1/1 looked up"
    )
    assert archive.endswith("done\x1b[K")
    assert rest == ""
