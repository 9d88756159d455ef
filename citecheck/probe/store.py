"""Where observations are kept: the embedded SQLite cache, or a shared PostgreSQL database.

Both keep the same thing (observations, never verdicts; every probe a new row, so the
history of a link tells "failed once" from "dead for weeks") behind the same methods, so
the check job does not know which one it writes to. `--cache DIR` opens SQLite in DIR;
`--cache postgresql://…` opens PostgreSQL, shared by every worker of a cluster and by
repeated audits.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self

from citecheck.probe.observation import Observation

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class ObservationStore(Protocol):
    """What the check job needs from a store of observations."""

    def record(self, normalized_url: str, observation: Observation) -> None: ...

    def record_many(self, items: Iterable[tuple[str, Observation]]) -> None: ...

    def latest(self, normalized_urls: Iterable[str]) -> dict[str, Observation]: ...

    def history(self, normalized_url: str) -> list[Observation]: ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...


def is_database_url(location: str | Path) -> bool:
    """Whether `--cache` names a PostgreSQL database rather than a folder."""
    return isinstance(location, str) and location.startswith(POSTGRES_SCHEMES)


def open_store(location: str | Path) -> ObservationStore:
    """The store at `location`: a PostgreSQL URL, or a folder for the SQLite cache.

    The PostgreSQL driver is imported only when a database URL is given.
    """
    if is_database_url(location):
        from citecheck.probe.pgstore import PostgresStore  # noqa: PLC0415 - psycopg on demand

        return PostgresStore(str(location))
    from citecheck.probe.cache import ObservationCache  # noqa: PLC0415

    return ObservationCache(Path(location))
