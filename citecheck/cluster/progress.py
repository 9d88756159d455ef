"""Progress of a cluster audit on the client's terminal: documents read, links probed, the
host queues still waiting, and the time left at the current rate. Quiet when not a terminal."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TextIO


def eta(done: int, total: int, elapsed: float) -> str:
    """`1m05s` at the current rate; `?` before anything is done."""
    if done <= 0 or total <= done:
        return "?" if done <= 0 else "0s"
    left = elapsed / done * (total - done)
    minutes, seconds = divmod(round(left), 60)
    return f"{minutes}m{seconds:02d}s" if minutes else f"{seconds}s"


@dataclass
class ClusterProgress:
    """One status line, rewritten in place (`\\r`) as reading and probing advance."""

    stream: TextIO
    started: float = field(default_factory=time.monotonic)
    phase_started: float = field(default_factory=time.monotonic)
    phase: str = ""

    def _show(self, text: str) -> None:
        if self.stream.isatty():
            self.stream.write("\r\x1b[2K" + text)
            self.stream.flush()

    def _phase(self, name: str) -> float:
        if self.phase != name:
            self.phase, self.phase_started = name, time.monotonic()
        return time.monotonic() - self.phase_started

    def documents(self, read: int, total: int) -> None:
        elapsed = self._phase("read")
        self._show(f"citecheck: documents read {read}/{total}, {eta(read, total, elapsed)} left")

    def probing(
        self, shards_done: int, shards: int, links_done: int, links: int, hosts_waiting: int
    ) -> None:
        elapsed = self._phase("probe")
        self._show(
            f"citecheck: links probed {links_done}/{links}, host queues waiting {hosts_waiting}"
            f" ({shards_done}/{shards} shards), {eta(links_done, links, elapsed)} left"
        )

    def finish(self) -> None:
        if self.stream.isatty() and self.phase:
            self.stream.write("\n")
            self.stream.flush()
