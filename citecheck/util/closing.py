"""`with` support for anything that has a `close()`: one definition, not one per class."""

from __future__ import annotations

from types import TracebackType
from typing import Self


class ClosesOnExit:
    """A base for resources (caches, stores, writers): `with x:` calls `x.close()` at the end,
    whether the block finished or raised."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
