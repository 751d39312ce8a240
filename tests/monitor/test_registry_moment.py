"""One refresh, one moment: health, queues and workers asked together share one read of
the registry, so the health line's served queues, the live-worker count and the counts
come from the same instant; a call after any other registry call (a pause) reads again,
so an answer is never older than what the caller did before asking."""

from __future__ import annotations

import asyncio
from pathlib import Path

from servers import TEST_SECRET

from ygmon.config import LocalProfile
from ygmon.monitor.local import LocalMonitor
from ygmon.monitor.registry_moment import RegistryMoment, SharedRead


class CountedMonitor(LocalMonitor):
    """A LocalMonitor that counts its reads of the registry's moment."""

    moments = 0

    async def _read_moment(self) -> RegistryMoment:
        self.moments += 1
        return await super()._read_moment()


def _profile(tmp_path: Path) -> LocalProfile:
    return LocalProfile(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'ygmon.db'}",
        broker_url=f"sqlite:///{tmp_path / 'queue.db'}",
        jwt_secret=TEST_SECRET,
    )


async def test_health_queues_and_workers_asked_together_share_one_read(tmp_path: Path) -> None:
    monitor = CountedMonitor(_profile(tmp_path))
    try:
        health, queues, workers = await asyncio.gather(
            monitor.health(), monitor.queues(), monitor.workers()
        )
        assert monitor.moments == 1
        assert health.groups and queues and workers == []
        # A pause, then a read: the pause is in it (a new read, not a shared old one).
        await monitor.pause_queue("email")
        queues = await monitor.queues()
        assert monitor.moments == 2
        assert {q.name for q in queues if q.paused} == {"email"}
        health = await monitor.health()
        assert monitor.moments == 3, "a call after the last read finished reads again"
        assert health.groups["email"].workers["email"].paused
    finally:
        await monitor.close()


async def test_a_read_started_before_another_call_is_not_shared_after_it() -> None:
    release = asyncio.Event()
    reads: list[int] = []

    async def read() -> RegistryMoment:
        reads.append(len(reads))
        await release.wait()
        return RegistryMoment([], float(len(reads)), {}, [], {})

    shared = SharedRead(read)
    first = asyncio.ensure_future(shared.get())
    same = asyncio.ensure_future(shared.get())
    await asyncio.sleep(0)
    shared.other_call()  # e.g. a pause starts while the first read is under way
    later = asyncio.ensure_future(shared.get())
    await asyncio.sleep(0)
    release.set()
    a, b, c = await asyncio.gather(first, same, later)
    assert a is b and c is not a
    assert len(reads) == 2
