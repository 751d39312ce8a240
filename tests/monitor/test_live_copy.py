"""The live monitors: the remote one on the server's stream (ygmon.monitor.remote_live),
the local one on the same change feed (ygmon.monitor.local_live). Both answer every topic
as its polled endpoint does; the local one reads each topic once per interval whoever
asks; the remote copy's reads cost no request, answers outside the stream are reused or
revalidated with ETags, and without the stream it polls one snapshot."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from servers import (
    FIXED_NOW,
    TEST_SECRET,
    bearer,
    fixed_clock,
    local_settings,
    remote_settings,
    serve_on_loopback,
    sqlite_profile,
)

from ygmon.api.auth import issue_token
from ygmon.config import LocalProfile
from ygmon.monitor.change_feed import ChangeFeed
from ygmon.monitor.factory import make_monitor
from ygmon.monitor.live_topics import TOPICS
from ygmon.monitor.local import LocalMonitor
from ygmon.monitor.local_live import LiveLocalMonitor
from ygmon.monitor.remote import RemoteMonitor
from ygmon.monitor.remote_live import LinkMode


def _used(base_url: str, token: str) -> int:
    """Requests `token`'s user spent in the last minute (this one not counted)."""
    response = httpx.get(base_url + "/api/admin/jobs/health", headers=bearer(token))
    return 100 - int(response.headers["X-RateLimit-Remaining"]) - 1


async def _wait(check, deadline: float = 30) -> None:
    end = time.monotonic() + deadline
    while not check():
        assert time.monotonic() < end, "not within the deadline"
        await asyncio.sleep(0.1)


async def test_the_live_copy_answers_as_the_local_monitor(
    seeded: LocalProfile, server: tuple[str, str]
) -> None:
    port = int(server[0].rsplit(":", 1)[1])
    local = make_monitor(local_settings(seeded.replace(serve_port=port)), clock=fixed_clock)
    remote = make_monitor(remote_settings(*server), live=True)
    try:
        assert isinstance(remote, RemoteMonitor)
        for name, topic in TOPICS.items():
            got, want = await topic.read(remote), await topic.read(local)
            if topic.clock is not None:
                # A copy held a second or more has its clock moved on by whole seconds
                # (Topic.rebase): a loaded machine holds it that long. The rest is equal.
                for held, read in zip(got, want, strict=True):
                    moved = (
                        getattr(held, topic.clock) - getattr(read, topic.clock)
                    ).total_seconds()
                    assert moved == int(moved) and 0 <= moved <= 30, (name, moved)
                got = [item.model_copy(update={topic.clock: None}) for item in got]
                want = [item.model_copy(update={topic.clock: None}) for item in want]
            assert got == want, name
        assert remote.link() is not None and remote.link().mode is LinkMode.LIVE
    finally:
        await local.close()
        await remote.close()


@pytest.mark.parametrize("kind", ["local", "remote"])
async def test_the_live_feed_answers_as_the_polled_endpoints(
    seeded: LocalProfile, server: tuple[str, str], kind: str
) -> None:
    base_url, token = server
    port = int(base_url.rsplit(":", 1)[1])
    if kind == "local":
        settings = local_settings(seeded.replace(serve_port=port))
    else:
        settings = remote_settings(*server)
    monitor = make_monitor(settings, clock=fixed_clock, live=True)
    try:
        async with httpx.AsyncClient(base_url=base_url, headers=bearer(token)) as client:
            for name, topic in TOPICS.items():
                answer = (await client.get("/api/admin/jobs" + topic.endpoint)).json()
                polled = answer["pagination"]["total"] if name == "failedCount" else answer["data"]
                held = await topic.read(monitor)
                # The schedules' clock is the read's own time, not what they say.
                assert topic.steady(held) == topic.steady(topic.decode(polled)), name
    finally:
        await monitor.close()


async def test_the_local_feed_reads_each_topic_once_per_interval(bare: LocalProfile) -> None:
    monitor = make_monitor(local_settings(bare), live=True)
    assert isinstance(monitor, LiveLocalMonitor)
    try:
        began = time.monotonic()
        # Five screens (and the alert watch, the health's own look at the workers) at once.
        for _ in range(3):
            await asyncio.gather(*(t.read(monitor) for _ in range(5) for t in TOPICS.values()))
        elapsed = time.monotonic() - began
        reads = monitor.feed.topic_reads
        # failedCount is the total of a failed_jobs() page, which is read as asked.
        assert set(reads) == set(TOPICS) - {"failedCount"}
        assert max(reads.values()) <= 1 + elapsed / monitor.feed.every
        # This monitor's own action shows at the next read, not an interval later.
        await monitor.pause_queue("maintenance")
        assert next(q for q in await monitor.queues() if q.name == "maintenance").paused
    finally:
        await monitor.close()


async def test_a_finished_job_makes_the_local_feed_read_every_topic_anew(
    bare: LocalProfile,
) -> None:
    """What jobs write (the index, the stats) may change when one finishes: a topic read
    a moment before that is read again at the next ask, not an interval later."""
    from ygmon.jobs.runtime import open_runtime
    from ygmon.jobs.worker import in_process_worker

    def one_canary() -> None:
        with (
            open_runtime(bare) as rt,
            in_process_worker(bare, ["maintenance"], runtime=rt),
        ):
            rt.enqueue("canary")
            rt.wait_idle(30, ["maintenance"])

    monitor = make_monitor(local_settings(bare), live=True)
    assert isinstance(monitor, LiveLocalMonitor)
    reads = monitor.feed.topic_reads
    try:
        await monitor.queues()
        await asyncio.to_thread(one_canary)
        await asyncio.sleep(monitor.feed.every)  # the counts are due again
        await monitor.search_index_overview()
        before = reads["searchIndexOverview"]
        done = next(q for q in await monitor.queues() if q.name == "maintenance").completed
        assert done == 1
        await monitor.search_index_overview()
        assert reads["searchIndexOverview"] == before + 1
    finally:
        await monitor.close()


@pytest.fixture
def bare(tmp_path: Path) -> LocalProfile:
    """A migrated profile without jobs (seeded outside the test's event loop)."""
    return sqlite_profile(tmp_path)


async def test_reads_cost_no_request_and_changes_arrive(bare: LocalProfile) -> None:
    from ygmon.jobs.runtime import open_runtime

    profile = bare
    with serve_on_loopback(profile) as (base_url, _):
        token = issue_token(TEST_SECRET, "ADMIN", "live-reader", 600)
        monitor = RemoteMonitor(remote_settings(base_url, token).profile, live=True)
        try:
            await monitor.queues()
            for _ in range(20):  # a screen polling every refresh, screens switched
                await asyncio.gather(monitor.health(), monitor.queues(), monitor.workers())
                await monitor.history()
                await monitor.schedules()
            page = await monitor.jobs("maintenance")
            assert await monitor.jobs("maintenance") == page  # reused: nothing changed
            assert _used(base_url, token) == 2  # the stream and the job list
            with open_runtime(profile) as rt:
                rt.enqueue("canary", job_id="seen-live")

            def waiting() -> int:
                held = monitor.live.values["queues"] if monitor.live else []
                return next(q.waiting for q in held if q.name == "maintenance")

            await _wait(lambda: waiting() == 1)
            # A job topic changed: the list is asked again (a 200, it changed too).
            assert [j.id for j in (await monitor.jobs("maintenance")).data] == ["seen-live"]
            assert _used(base_url, token) == 4  # + the check above and the new list
        finally:
            await monitor.close()


async def test_without_a_stream_it_polls_one_snapshot(bare: LocalProfile) -> None:
    profile = bare.replace(max_streams=0)
    with serve_on_loopback(profile) as (base_url, _):
        token = issue_token(TEST_SECRET, "ADMIN", "poller", 600)
        settings = remote_settings(base_url, token, refresh_interval=1.0)
        monitor = RemoteMonitor(settings.profile, live=True)
        try:
            queues = await monitor.queues()
            assert monitor.link() is not None and monitor.link().mode is LinkMode.POLLING
            assert monitor.link().interval == 1.0
            began = time.monotonic()
            for _ in range(30):
                assert await monitor.queues() == queues
                await monitor.health()
                await asyncio.sleep(0.1)
            elapsed = time.monotonic() - began
            # One GET /stream (404), then one snapshot per interval, whatever the reads.
            assert _used(base_url, token) <= 2 + elapsed / 1.0 + 1
        finally:
            await monitor.close()


async def test_the_stream_outlives_the_servers_keep_alive_comments(
    bare: LocalProfile, monkeypatch: pytest.MonkeyPatch
) -> None:
    # httpx-sse gives the blank line after a comment as an empty event once an id was
    # seen: the client took it for a broken event and reconnected at every ping (15 s).
    # The ping's interval is beside the point here, so it comes every 0.3 s.
    from ygmon.api import routes_stream

    monkeypatch.setattr(routes_stream, "PING_EVERY", 0.3)
    with serve_on_loopback(bare) as (base_url, _):
        token = issue_token(TEST_SECRET, "ADMIN", "live-pinged", 600)
        monitor = RemoteMonitor(remote_settings(base_url, token).profile, live=True)
        try:
            await monitor.queues()
            modes = set()
            for _ in range(20):  # two seconds: a handful of comments
                link = monitor.link()
                assert link is not None
                modes.add(link.mode)
                await asyncio.sleep(0.1)
            assert modes == {LinkMode.LIVE}
            assert _used(base_url, token) == 1  # the one stream, never opened again
        finally:
            await monitor.close()


async def test_the_schedules_clock_alone_is_no_change(bare: LocalProfile) -> None:
    # An idle server's schedules differ at every read only in checkedAt (the read's own
    # time): as a change, it sent every viewer an event every 5 s for nothing.
    now = [FIXED_NOW + timedelta(seconds=20)]
    monitor = LocalMonitor(bare, clock=lambda: now[0])
    feed = ChangeFeed(monitor, every=0, slow_every=0)
    try:
        await feed.fresh(["schedules"])
        first, seq = feed.value("schedules"), feed.seq
        now[0] += timedelta(seconds=1)
        await feed.fresh(["schedules"])
        assert feed.value("schedules")[0].checked_at == first[0].checked_at + timedelta(seconds=1)
        assert feed.seq == seq
        await monitor.pause_queue("maintenance")  # what a schedule says changes: an event
        await feed.fresh(["schedules"])
        assert feed.seq == seq + 1
        # A copy held 3.2 s since its read moves the clock on by whole seconds.
        moved = TOPICS["schedules"].rebase(first, 3.2)
        assert moved[0].checked_at == first[0].checked_at + timedelta(seconds=3)
    finally:
        await monitor.close()
