"""Waiting helpers of the search pipeline tests (a module named apart from conftest, so
that test directories run together do not import one another's conftest)."""

from __future__ import annotations

import asyncio

from ygmon.jobs.runtime import JobRuntime

SEARCH_QUEUES = ["search-index-update", "search-index-bulk", "search-index-reindex"]


async def settle(runtime: JobRuntime, timeout: float = 30.0) -> None:
    """Wait (off the event loop) until the search queues are idle."""
    await asyncio.to_thread(runtime.wait_idle, timeout, SEARCH_QUEUES)
