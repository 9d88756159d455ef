"""How long an observation stands before its link is probed again.

A module of its own so that `check --no-cache` can set freshness without loading
the cache (SQLite) at all; `citecheck.probe.cache` re-exports both names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from citecheck.probe.observation import Observation


@dataclass(frozen=True)
class Freshness:
    """How long an observation stands before the link is probed again."""

    live: timedelta = timedelta(days=7)
    failed: timedelta = timedelta(days=1)

    def is_fresh(self, observation: Observation, now: datetime) -> bool:
        """Live answers (2xx/3xx) last `live`; anything else lasts `failed` (at most `live`)."""
        seen = parse_timestamp(observation.checked_at)
        if seen is None:
            return False
        live = observation.error is None and observation.status is not None
        live = live and 200 <= (observation.status or 0) < 400
        limit = self.live if live else min(self.failed, self.live)
        return now - seen <= limit


def parse_timestamp(text: str) -> datetime | None:
    """An ISO timestamp as an aware datetime (UTC when it names no zone), None if unreadable."""
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)
