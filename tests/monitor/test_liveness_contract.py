"""Liveness and progress over both monitors: workers live, late and gone, a paused
queue with no live worker, one served only by a late worker. LocalMonitor, RemoteMonitor
(a real `ygmon serve`) and `ygmon status --json` (local and remote) say the same."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from servers import local_settings, remote_settings, seeded_profile, serve_on_loopback

from ygmon.commands.status import collect, gather
from ygmon.jobs.runtime import open_runtime
from ygmon.monitor.factory import make_monitor

# Long enough that no state changes between two reads on a busy machine: late from 4 s
# (two missed beats, fixed), gone from 600 s here.
GONE_AFTER, STALLED_AFTER = 600.0, 3600.0


def _beat(runtime, worker_id: str, queues: list[str], age: float) -> None:
    now = runtime.registry.now()
    runtime.registry.store.beat(
        {
            "id": worker_id,
            "host": "h",
            "pid": str(len(worker_id)),
            "queues": queues,  # type: ignore[dict-item]
            "concurrency": "1",
            "started_at": repr(now - 4000),
            "last_heartbeat": repr(now - age),
        }
    )


async def test_local_and_remote_agree_on_liveness_and_progress(tmp_path: Path) -> None:
    # Seeding runs its own event loop: off this one's thread.
    profile = await asyncio.to_thread(
        seeded_profile, tmp_path, worker_gone_after=GONE_AFTER, stalled_after=STALLED_AFTER
    )
    runtime = open_runtime(profile)
    try:
        # A beat "from the future" stays live however slow the machine is.
        _beat(runtime, "live", ["notification-delivery"], -60)
        _beat(runtime, "late", ["email"], 60)
        _beat(runtime, "gone", ["maintenance"], 1200)
        local = make_monitor(local_settings(profile))
        await local.pause_queue("maintenance")
        with serve_on_loopback(profile) as (base_url, token):
            remote = make_monitor(remote_settings(base_url, token))
            try:
                answers = []
                for monitor in (local, remote):
                    workers = {w.id: w.liveness for w in await monitor.workers()}
                    assert workers == {"live": "live", "late": "late", "gone": "gone"}
                    health = await monitor.health()
                    paused = health.groups["maintenance"].workers["maintenance"]
                    assert health.groups["maintenance"].healthy is False
                    assert (paused.paused, paused.is_running) == (True, False)
                    assert paused.error.startswith("paused since ")
                    assert "no live worker" in paused.error and paused.paused_at is not None
                    email = health.groups["email"]
                    assert email.healthy is True and email.workers["email"].late is True
                    assert (
                        health.groups["notifications"].workers["notification-delivery"].late is None
                    )
                    answers.append(
                        (health.to_json(), [w.to_json() for w in await monitor.workers()])
                    )
                assert answers[0] == answers[1]
                openapi = httpx.get(f"{base_url}/openapi.json", timeout=30).json()
                status = openapi["components"]["schemas"]["WorkerStatus"]["properties"]
                for field in ("paused", "pausedAt", "pausedBy", "late"):
                    assert status[field].get("x-ygmon-extension") is True, field
                assert "x-ygmon-extension" not in status["isRunning"]

                local_doc = await asyncio.to_thread(collect, local_settings(profile))
                remote_doc = await gather(remote_settings(base_url, token))
                assert local_doc["health"] == remote_doc["health"] == answers[0][0]
                for doc in (local_doc, remote_doc):
                    got = {w["id"]: (w["liveness"], round(w["beatAge"])) for w in doc["workers"]}
                    assert got["gone"][0] == "gone" and 1150 < got["gone"][1] < 1300
                    assert got["late"][0] == "late" and got["live"][0] == "live"
            finally:
                await remote.close()
                await local.close()
    finally:
        runtime.close()
