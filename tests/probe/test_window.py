"""The bounded window of probe tasks: hosts interleaved, never more than the window at once."""

from __future__ import annotations

import asyncio

import pytest

from citecheck.probe.window import interleaved, run_windowed


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ([], []),
        (["a"], [0]),
        (["a", "a", "b", "c", "b"], [0, 2, 3, 1, 4]),
        (["a", "a", "a", "b"], [0, 3, 1, 2]),
        (["b", "a", "b", "a"], [0, 1, 2, 3]),
    ],
)
def test_interleaved_takes_one_of_each_host_in_turn(keys: list[str], expected: list[int]) -> None:
    assert interleaved(keys) == expected


def test_at_most_the_window_runs_at_once_and_every_item_is_done_in_order() -> None:
    running, peak, started = 0, 0, []

    async def work(item: int) -> int:
        nonlocal running, peak
        started.append(item)
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.001 * (item % 3))
        running -= 1
        if item == 7:
            raise ValueError("a failure is left out, not raised")
        return item * 10

    async def main() -> dict[int, int]:
        items = list(range(50))
        return await run_windowed(items, work, list(reversed(items)), 6, asyncio.Event())

    results = asyncio.run(main())
    assert peak == 6
    assert started[:6] == [49, 48, 47, 46, 45, 44]
    assert results == {i: i * 10 for i in range(50) if i != 7}


def test_stop_cancels_what_runs_and_starts_nothing_more() -> None:
    started: list[int] = []

    async def main() -> dict[int, int]:
        stop = asyncio.Event()

        async def work(item: int) -> int:
            started.append(item)
            if item == 3:
                stop.set()
                return item
            await asyncio.sleep(10)
            return item

        items = list(range(100))
        return await asyncio.wait_for(run_windowed(items, work, items, 4, stop), 5)

    assert asyncio.run(main()) == {3: 3}
    assert started == [0, 1, 2, 3]
