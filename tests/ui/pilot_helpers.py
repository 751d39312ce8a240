"""Waiting in Pilot tests: for the workers, for a condition with a timeout, or for keys
pressed one by one (a snapshot's run_before)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from textual.pilot import Pilot


async def settle(pilot: Pilot) -> None:
    """Let messages run, then wait for every worker (polls run in workers)."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met within the timeout")
        await pilot.pause(0.05)


def keys_then_settle(*keys: str) -> Callable[[Pilot], Awaitable[None]]:
    """A snapshot's run_before: settle, then each key pressed and settled in turn."""

    async def run(pilot: Pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run
