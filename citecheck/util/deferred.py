"""A mapping made only when it is read, and not kept: for large report sections.

The audit's JSON report carries the extract JSON of every text. Built up front, those
dicts lived through probing and analysis for nothing but the report (tens of MB at
10,000 notes); deferred, each is made as the report writes it and dropped after.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any


class DeferredMapping(Mapping[str, Any]):
    """The mapping `make()` returns, made afresh on every read (use `value()` for one read)."""

    def __init__(self, make: Callable[[], Mapping[str, Any]]) -> None:
        self._make = make

    def value(self) -> dict[str, Any]:
        """The mapping as a plain dict, made now."""
        return dict(self._make())

    def __getitem__(self, key: str) -> Any:
        return self._make()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._make())

    def __len__(self) -> int:
        return len(self._make())
