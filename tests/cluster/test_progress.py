"""The cluster audit's progress line: documents, links, host queues, time left."""

from __future__ import annotations

import io

import pytest

from citecheck.cluster.progress import ClusterProgress, eta


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("done", "total", "elapsed", "expected"),
    [(0, 10, 5.0, "?"), (5, 10, 5.0, "5s"), (1, 100, 2.0, "3m18s"), (10, 10, 9.0, "0s")],
)
def test_time_left_at_the_current_rate(
    done: int, total: int, elapsed: float, expected: str
) -> None:
    assert eta(done, total, elapsed) == expected


def test_progress_rewrites_one_line_on_a_terminal() -> None:
    screen = Terminal()
    shown = ClusterProgress(screen)
    shown.documents(3, 12)
    shown.probing(2, 8, 150, 600, 5)
    shown.finish()
    text = screen.getvalue()
    assert "documents read 3/12" in text
    assert "links probed 150/600, host queues waiting 5 (2/8 shards)" in text
    assert text.count("\r\x1b[2K") == 2 and text.endswith("\n")


def test_progress_is_quiet_when_piped() -> None:
    piped = io.StringIO()
    shown = ClusterProgress(piped)
    shown.documents(1, 2)
    shown.finish()
    assert piped.getvalue() == ""
