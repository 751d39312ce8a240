"""Liveness with the DEFAULT settings, on real worker processes: a SIGKILLed worker's
group turns not-healthy within 10 s in health, the API and `ygmon status --json`,
while its jobs go back to waiting only after stalled_after (30 s); a SIGSTOPped worker
reads late or gone in `ygmon status` within 10 s; a paused queue with waiting jobs and
no live worker is not healthy. On SQLite and on Redis + Postgres."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fault_helpers import wait_until
from fault_record import observe
from processes import write_profile_config
from servers import bearer, local_settings, serve_on_loopback

from ygmon.config import LocalProfile
from ygmon.db import Database
from ygmon.db.migrate import upgrade
from ygmon.jobs.runtime import open_runtime
from ygmon.liveness import HEARTBEAT_INTERVAL
from ygmon.monitor.factory import make_monitor

pytestmark = pytest.mark.timeout(150)

PROMISE = 10.0
"""Seconds within which every reader shows a SIGKILLed worker's group not healthy."""
DEFAULTS = LocalProfile()
GROUP = "maintenance"  # the killed worker's: one queue, nobody else serves it


def _profile(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> LocalProfile:
    """Only where things live: every timing setting keeps its default."""
    fixture = request.getfixturevalue
    where = (
        {
            "database_url": f"sqlite+aiosqlite:///{tmp_path / 'ygmon.db'}",
            "broker_url": f"sqlite:///{tmp_path / 'queue.db'}",
        }
        if backend == "sqlite"
        else {
            "database_url": fixture("postgres_url"),
            "broker_url": fixture("redis_url"),
            "namespace": fixture("namespace"),
        }
    )
    return LocalProfile(**where, media_dir=str(tmp_path / "media"))


def _start(config: Path, tmp_path: Path, *sets: list[str]) -> list[tuple[subprocess.Popen, str]]:
    """Start one `ygmon worker` per argument list at once; (process, id) once each runs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("YGMON_")}
    started = []
    for n, args in enumerate(sets):
        log = tmp_path / f"worker-{n}.log"
        with log.open("wb") as out:
            cmd = [sys.executable, "-m", "ygmon.cli", "--config", str(config), "worker", *args]
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        started.append((proc, log))
    out = []
    for proc, log in started:
        wait_until(lambda log=log: "running" in log.read_text(errors="replace"), 60, "a worker")
        out.append((proc, log.read_text().split(" running")[0].split("worker ")[-1].strip()))
    return out


def _status(config: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YGMON_")}
    cmd = [sys.executable, "-m", "ygmon.cli", "--config", str(config), "status", *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout


@pytest.mark.parametrize("backend", ["sqlite", "redis+postgres"])
@pytest.mark.xdist_group("sleepy-b")
def test_killed_and_frozen_workers_with_default_settings(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    # The Postgres fixture runs its own event loop: the profile is made outside one.
    profile = _profile(backend, tmp_path, request)
    asyncio.run(_killed_and_frozen(backend, profile, tmp_path))


async def _killed_and_frozen(backend: str, profile: LocalProfile, tmp_path: Path) -> None:
    assert (profile.stalled_after, profile.worker_gone_after) == (
        DEFAULTS.stalled_after,
        DEFAULTS.worker_gone_after,
    )
    db = Database(profile.database_url)
    await upgrade(db)
    await db.dispose()
    config = write_profile_config(profile, tmp_path / "ygmon.toml")
    runtime = open_runtime(profile)
    monitor = make_monitor(local_settings(profile))
    procs: list[subprocess.Popen] = []
    try:
        (killed, killed_id), (_sweeper, _), (frozen, frozen_id) = _start(
            config,
            tmp_path,
            ["--no-schedule", "--queues", GROUP, "--workers", "2"],
            ["--no-schedule", "--queues", "email"],
            ["--no-schedule", "--queues", "search-index-update"],
        )
        procs = [killed, _sweeper, frozen]
        held = [runtime.enqueue("canary", seconds=300) for _ in range(2)]
        registry = runtime.registry

        def on_killed(job_id: str) -> bool:
            record = registry.store.get(job_id) or {}
            return record.get("state") == "active" and record.get("worker_id") == killed_id

        wait_until(lambda: all(on_killed(j) for j in held), 30, "the killed worker's jobs")
        with serve_on_loopback(profile) as (base, token):

            def all_live() -> bool:
                doc = json.loads(_status(config, "--json"))
                return [w["liveness"] for w in doc["workers"]] == ["live"] * 3

            # On a loaded machine a beat may slip: start from three workers read as live.
            wait_until(all_live, 60, "three live workers")
            assert (await monitor.health()).groups[GROUP].healthy

            killed.send_signal(signal.SIGKILL)
            killed.wait(10)
            frozen.send_signal(signal.SIGSTOP)
            killed_at = time.monotonic()
            seen: dict[str, str] = {}

            def api_down() -> bool:
                answer = httpx.get(f"{base}/api/admin/jobs/health", headers=bearer(token))
                return answer.json()["data"][GROUP]["healthy"] is False

            said: dict[str, str] = {}

            def status_json_down() -> bool:
                # A `ygmon status` process may take many seconds on a loaded machine: its
                # answer is judged by the beat age it read, not by when it came.
                doc = json.loads(_status(config, "--json"))
                dead = next(w for w in doc["workers"] if w["id"] == killed_id)
                gone = dead["liveness"] == "gone"
                if abs(dead["beatAge"] - DEFAULTS.worker_gone_after) > 0.2:
                    assert gone == (dead["beatAge"] > DEFAULTS.worker_gone_after), dead
                if gone:
                    assert doc["health"][GROUP]["healthy"] is False, doc["health"][GROUP]
                    said["status --json"] = f"gone at beat age {dead['beatAge']:.1f} s"
                return gone

            def status_text_frozen() -> bool:
                line = next(x for x in _status(config).splitlines() if frozen_id in x)
                # The HEARTBEAT column, from its word on (the worker's id and threads
                # before it say nothing about liveness).
                found = re.search(r"(LATE|GONE)\b.*", line)
                if found:
                    said["status (frozen)"] = found.group(0).strip()
                return found is not None

            async def health_down() -> bool:
                return not (await monitor.health()).groups[GROUP].healthy

            async def agreed(name: str, check, timed: bool = True) -> None:
                # Each reader polls on its own: a slow `ygmon status` on a loaded machine
                # delays no other. A read that started within the promise keeps it; the
                # figure recorded is when its answer came (an upper bound).
                while True:
                    started = time.monotonic() - killed_at
                    if timed:
                        assert started < PROMISE, f"{name}: not down {started:.1f} s after kill"
                    else:
                        assert started < DEFAULTS.stalled_after, name
                    if await check():
                        seen[name] = f"{started:.1f}-{time.monotonic() - killed_at:.1f} s"
                        return
                    await asyncio.sleep(0.2)

            def threaded(check):
                return lambda: asyncio.to_thread(check)

            await asyncio.gather(
                agreed("health", health_down),
                agreed("API", threaded(api_down)),
                agreed("status --json", threaded(status_json_down), timed=False),
                agreed("status (frozen)", threaded(status_text_frozen), timed=False),
            )
            frozen.send_signal(signal.SIGCONT)
            # Not before stalled_after: well past the promise, the jobs are still its own.
            assert all(on_killed(j) for j in held)

            # Paused with waiting jobs and no live worker: not healthy, and says why.
            await monitor.pause_queue(GROUP)
            runtime.enqueue("canary", seconds=0)
            answer = httpx.get(f"{base}/api/admin/jobs/health", headers=bearer(token))
            status = answer.json()["data"][GROUP]
            assert status["healthy"] is False
            queue = status["workers"][GROUP]
            assert queue["paused"] is True and queue["isRunning"] is False
            assert queue["error"].startswith("paused since ") and "no live worker" in queue["error"]

            wait_until(
                lambda: not any(on_killed(j) for j in held),
                DEFAULTS.stalled_after + 30,
                "the killed worker's jobs to be taken back",
                step=0.2,
            )
            taken = time.monotonic() - killed_at
            # Its last beat was at most one interval before the kill.
            assert taken >= DEFAULTS.stalled_after - HEARTBEAT_INTERVAL - 0.5, taken
            assert {registry.store.get(j)["state"] for j in held} == {"waiting"}
            assert "GONE" not in next(x for x in _status(config).splitlines() if frozen_id in x), (
                "the thawed worker beats again"
            )
    finally:
        await monitor.close()
        runtime.close()
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGCONT)
                proc.kill()
            proc.wait(10)
    load = os.getloadavg()[0]
    observe(
        "worker-killed",
        f"{backend}, default settings, load {load:.0f} on {os.cpu_count()} cores: the killed "
        f"worker's group seen not healthy (read started-answered after the kill) in health "
        f"{seen['health']}, API {seen['API']}; `ygmon status --json` said "
        f"{said['status --json']}; the frozen worker in `ygmon status`: "
        f"{said['status (frozen)']}; its 2 jobs back to waiting after "
        f"{taken:.1f} s from the kill (stalled_after {DEFAULTS.stalled_after:g} s from its "
        f"last heartbeat, up to {HEARTBEAT_INTERVAL:g} s before the kill); paused with waiting "
        "jobs and no live worker: not healthy",
        variant=backend,
    )
