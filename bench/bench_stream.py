"""The remote app on the live stream (issue 23) against today's polling client, same run.

A real `ygmon serve` subprocess over a fresh SQLite profile (a few waiting and failed
jobs); the clients count every request they send (an httpx transport that counts),
which is what the server's rate limit sees.

(a) Requests per minute of an idle remote Overview (default 2 s refresh), over
    YGMON_BENCH_IDLE seconds (60): live <= 4 (polling: about 97).
(b) Requests for a tour of every screen (1-9, 0, A, a logs page, a queue's jobs, a
    job, a search): live <= 25.
(c) Enqueue on the server -> visible in the remote monitor's copy, p95 < 1 s; the
    baseline polls queues() every 2 s as the Overview does.
(d) The server's CPU over YGMON_BENCH_IDLE seconds with 50 open streams against 1:
    <= 1.5x.

    .venv/bin/python -m bench stream
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil
from httpx_sse import aconnect_sse

from bench.child_env import child_env
from bench.figure import Figure
from ygmon.api.auth import issue_token
from ygmon.config import LocalProfile, RemoteProfile

SECRET = "bench-stream-secret-" + "x" * 32
IDLE = float(os.environ.get("YGMON_BENCH_IDLE", "60"))
SAMPLES = 20
STREAMS = 50


class CountingTransport(httpx.AsyncHTTPTransport):
    def __init__(self) -> None:
        super().__init__()
        self.sent = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent += 1
        return await super().handle_async_request(request)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _profile(directory: Path) -> LocalProfile:
    from ygmon.db import Database
    from ygmon.db.migrate import upgrade
    from ygmon.jobs.runtime import open_runtime

    profile = LocalProfile(
        database_url=f"sqlite+aiosqlite:///{directory / 'ygmon.db'}",
        broker_url=f"sqlite:///{directory / 'queue.db'}",
        namespace="benchstream",
        jwt_secret=SECRET,
        max_streams=STREAMS + 5,
    )

    async def migrate() -> None:
        db = Database(profile.database_url)
        await upgrade(db)
        await db.dispose()

    asyncio.run(migrate())
    with open_runtime(profile) as rt:
        for n in range(5):
            rt.enqueue("canary", job_id=f"bench-{n}")
    return profile


@contextmanager
def _serve(profile: LocalProfile) -> Iterator[tuple[str, int]]:
    """`ygmon serve` in a subprocess; yields (base URL, pid)."""
    directory = Path(tempfile.mkdtemp(prefix="bench-stream-"))
    config = directory / "ygmon.toml"
    lines = ["[profiles.local]"]
    for key, value in profile.table(changed_only=True).items():
        if isinstance(value, str | int | float | bool):
            lines.append(f"{key} = {json.dumps(value)}")
    config.write_text("\n".join(lines) + "\n")
    env = child_env()
    env["YGMON_CONFIG"] = str(config)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ygmon.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(base + "/openapi.json", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("ygmon serve did not start") from None
                time.sleep(0.1)
        yield base, proc.pid
    finally:
        proc.terminate()
        proc.wait(20)


def _token(user: str) -> str:
    return issue_token(SECRET, "ADMIN", user, 3600)


def _remote(base: str, user: str, live: bool, transport: CountingTransport):
    from ygmon.monitor.remote import RemoteMonitor

    profile = RemoteProfile(api_url=base, token=_token(user), timeout=30)
    return RemoteMonitor(profile, live=live, transport=transport)


async def _app_requests(base: str, user: str, live: bool) -> tuple[float, int]:
    """(requests per minute idle on the Overview, requests for the tour)."""
    from ygmon.app import YgmonApp
    from ygmon.tui.ui_config import UiConfig
    from ygmon.widgets.keyed_table import KeyedTable

    counter = CountingTransport()
    app = YgmonApp(_remote(base, user, live, counter), target="bench", ui=UiConfig())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(1)
        start, began = counter.sent, time.monotonic()
        await asyncio.sleep(IDLE)
        per_minute = (counter.sent - start) * 60 / (time.monotonic() - began)
        start = counter.sent

        async def settle() -> None:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()

        for key in "123456790A":  # 8 (Search) last: its query box takes keys
            await pilot.press(key)
            await settle()
        await pilot.press("3", "pagedown")
        await settle()
        await pilot.press("2")
        await settle()
        table = app.screen.query_one(KeyedTable)
        table.move_cursor(row=table.get_row_index("maintenance"))
        await pilot.press("enter")
        await settle()
        await pilot.press("enter", "escape", "escape", "8")
        await settle()
        await pilot.press(*"canary")
        await pilot.pause(1.5)
        await settle()
        tour = counter.sent - start
    return per_minute, tour


async def _visible_latency(base: str, profile: LocalProfile, live: bool) -> list[float]:
    """Seconds from each enqueue to the client seeing it: in the live copy, or (today's
    client) at its next Overview poll, every 2 s on its own clock."""
    from ygmon.jobs.runtime import open_runtime

    monitor = _remote(base, "latency-live" if live else "latency-poll", live, CountingTransport())
    seen_count = 0

    def waiting(queues) -> int:
        return next(q.waiting for q in queues if q.name == "maintenance")

    async def poll() -> None:
        nonlocal seen_count
        while True:
            if live:
                assert monitor.live is not None
                seen_count = waiting(monitor.live.values["queues"])
                await asyncio.sleep(0.01)
            else:
                seen_count = waiting(await monitor.queues())
                await asyncio.sleep(2.0)

    seen: list[float] = []
    try:
        seen_count = waiting(await monitor.queues())
        watcher = asyncio.create_task(poll())
        with open_runtime(profile) as rt:
            for n in range(SAMPLES):
                await asyncio.sleep(0.37 + (n % 7) * 0.29)  # in step with no interval
                before = seen_count
                enqueued = time.monotonic()
                await asyncio.to_thread(rt.enqueue, "canary", job_id=f"seen-{live}-{n}")
                while seen_count <= before:
                    await asyncio.sleep(0.01)
                seen.append(time.monotonic() - enqueued)
        watcher.cancel()
    finally:
        await monitor.close()
    return seen


async def _hold_streams(base: str, count: int, seconds: float, pid: int) -> float:
    """Server CPU seconds while `count` streams are held for `seconds`."""
    process = psutil.Process(pid)
    opened = asyncio.Event()
    ready = 0

    async def one(n: int) -> None:
        nonlocal ready
        headers = {"Authorization": f"Bearer {_token(f'viewer-{n}')}"}
        timeout = httpx.Timeout(30, read=60)
        async with (
            httpx.AsyncClient(base_url=base, headers=headers, timeout=timeout) as client,
            aconnect_sse(client, "GET", "/api/admin/jobs/stream") as source,
        ):
            async for _event in source.aiter_sse():
                ready += 1 if not opened.is_set() else 0
                if ready >= count:
                    opened.set()

    tasks = [asyncio.create_task(one(n)) for n in range(count)]
    try:
        await asyncio.wait_for(opened.wait(), 120)
        await asyncio.sleep(2)
        before = sum(process.cpu_times()[:2])
        await asyncio.sleep(seconds)
        return sum(process.cpu_times()[:2]) - before
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="bench-stream-") as tmp:
        profile = _profile(Path(tmp))
        with _serve(profile) as (base, pid):
            live_idle, live_tour = asyncio.run(_app_requests(base, "app-live", True))
            poll_idle, poll_tour = asyncio.run(_app_requests(base, "app-poll", False))
            live_seen = asyncio.run(_visible_latency(base, profile, True))
            poll_seen = asyncio.run(_visible_latency(base, profile, False))
            one = asyncio.run(_hold_streams(base, 1, IDLE, pid))
            many = asyncio.run(_hold_streams(base, STREAMS, IDLE, pid))
    return [
        Figure(
            f"(a) requests/min, idle remote Overview, live ({IDLE:g} s)",
            live_idle,
            "req/min",
            "polling client",
            poll_idle,
            "<= 4",
            live_idle <= 4,
        ),
        Figure(
            "(b) requests for a tour of every screen, live",
            live_tour,
            "requests",
            "polling client",
            poll_tour,
            "<= 25",
            live_tour <= 25,
        ),
        Figure(
            f"(c) enqueue -> visible p95, live ({SAMPLES} jobs)",
            _p95(live_seen),
            "s",
            "polling every 2 s",
            _p95(poll_seen),
            "< 1 s",
            _p95(live_seen) < 1,
        ),
        Figure(
            f"(d) server CPU over {IDLE:g} s, {STREAMS} streams",
            many,
            "CPU s",
            "1 stream",
            one,
            "<= 1.5x",
            many <= 1.5 * one,
        ),
    ]
