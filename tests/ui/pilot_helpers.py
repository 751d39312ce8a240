"""Waiting in Pilot tests: for the workers, for a condition with a timeout, or for keys
pressed one by one (a snapshot's run_before)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerCancelled


async def _workers_done(app: App) -> None:
    """Wait for every worker. A screen replaced meanwhile (a profile switch) cancels its
    poll, and a cancelled worker is as settled as a finished one; a failed one still
    fails the test."""
    results = await asyncio.gather(*(w.wait() for w in app.workers), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, WorkerCancelled):
            raise result


async def settle(pilot: Pilot) -> None:
    """Let messages run, then wait for every worker (polls run in workers), twice: what
    the first round's results post (a table's rows, then its column widths) is handled
    by the second, where a loaded machine can leave it pending after one."""
    for _ in range(2):
        await pilot.pause()
        await _workers_done(pilot.app)
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


def select_row(app: App, key: str) -> None:
    """Put the screen's table cursor on the row of `key` (a queue, a schedule)."""
    from ygmon.widgets.keyed_table import KeyedTable

    table = app.screen.query_one(KeyedTable)
    table.move_cursor(row=table.get_row_index(key))


async def open_job(pilot: Pilot, queue: str, job_id: str) -> None:
    """From anywhere: the Queues screen, `queue`'s jobs, then the job `job_id`."""
    from ygmon.screens.queue_jobs import QueueJobsScreen
    from ygmon.widgets.keyed_table import KeyedTable

    app = pilot.app
    await pilot.press("2")
    await settle(pilot)
    table = app.screen.query_one(KeyedTable)
    table.move_cursor(row=table.get_row_index(queue))
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, QueueJobsScreen)
    jobs = app.screen.query_one(KeyedTable)
    jobs.move_cursor(row=jobs.get_row_index(job_id))
    await pilot.press("enter")
    await settle(pilot)
