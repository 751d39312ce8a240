"""Redis stopped for 10 s under load: the API says 503 with the contract's body and
recovers by itself, the workers reconnect without a traceback or a crash, the TUI shows
the banner and recovers, and no job whose enqueue returned is lost.

Redis runs as OPERATIONS.md says to run it in production (an append-only file), so a
restart keeps what it held; what is lost when Redis loses its data is in that guide.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import pytest
from fault_helpers import UNAVAILABLE, Producer, fault_profile, wait_until
from fault_record import observe
from fault_services import private_redis
from servers import bearer, serve_subprocess

from ygmon.app import YgmonApp
from ygmon.config import Settings
from ygmon.db import Database
from ygmon.db.migrate import upgrade
from ygmon.jobs.runtime import open_runtime
from ygmon.monitor.factory import make_monitor
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.status_banner import StatusBanner

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(150)]

DOWN_SECONDS = 10.0


async def test_redis_stopped_for_10s_under_load_loses_no_job(
    postgres_url: str, namespace: str, tmp_path: Path, start_worker
) -> None:
    db = Database(postgres_url)
    await upgrade(db)
    await db.dispose()
    with private_redis(durable=True) as redis_server:
        profile = fault_profile(postgres_url, redis_server.url, namespace, tmp_path)
        workers = [
            start_worker(profile, "--workers", "2", "--no-schedule", "--queues", "maintenance")
            for _ in range(2)
        ]
        runtime = open_runtime(profile)
        try:
            with serve_subprocess(profile) as (base, token):

                def health() -> httpx.Response:
                    return httpx.get(
                        f"{base}/api/admin/jobs/health", headers=bearer(token), timeout=5
                    )

                app = YgmonApp(
                    make_monitor(Settings("local", profile, None)),
                    target="test",
                    ui=UiConfig(refresh_interval=0.3),
                )
                async with app.run_test(size=(100, 30)) as pilot:
                    with Producer(runtime) as producer:
                        await asyncio.sleep(2)
                        banner = app.screen.query_one(StatusBanner)
                        assert not banner.has_class("-error")
                        assert (await asyncio.to_thread(health)).status_code == 200
                        before = len(producer.accepted)

                        redis_server.stop()
                        stopped = time.monotonic()
                        down = await asyncio.to_thread(health)
                        assert down.status_code == 503 and down.json() == UNAVAILABLE
                        while not banner.has_class("-error"):
                            assert time.monotonic() - stopped < DOWN_SECONDS, "no banner"
                            await pilot.pause(0.1)
                        banner_after = time.monotonic() - stopped
                        assert str(banner.render()).startswith("Cannot reach")
                        await asyncio.sleep(DOWN_SECONDS - (time.monotonic() - stopped))
                        still_down = await asyncio.to_thread(health)
                        assert still_down.status_code == 503, still_down.text
                        refused = producer.refused
                        assert refused > 0, "the producer was never refused: Redis was up"

                        redis_server.start()
                        restarted = time.monotonic()
                        recovered = await asyncio.to_thread(
                            wait_until,
                            lambda: health().status_code == 200,
                            30,
                            "the API to answer again",
                        )
                        while banner.has_class("-error"):
                            assert time.monotonic() - restarted < 20, "the banner stayed"
                            await pilot.pause(0.1)
                        await asyncio.sleep(2)
                    after = len(producer.accepted) - before
            accepted = list(producer.accepted)

            def all_completed() -> bool:
                return all(
                    (runtime.registry.store.get(j) or {}).get("state") == "completed"
                    for j in accepted
                )

            await asyncio.to_thread(wait_until, all_completed, 30, "every accepted job")
            assert after > 0, "nothing was enqueued after the restart"
            for w in workers:
                assert w.proc.poll() is None, "a worker died: " + w.output()[-2000:]
                log = w.output()
                assert "Traceback" not in log, log[-4000:]
                # One line an outage per source, not one per poll.
                assert len(log.splitlines()) < 40, log[-4000:]
        finally:
            runtime.close()
    observe(
        "redis-stopped",
        f"{len(accepted)} jobs accepted, all completed once Redis was back; {refused} "
        f"enqueues refused while down; 503 with the contract's body during the outage; "
        f"banner after {banner_after:.1f} s; API back {recovered:.1f} s after the restart; "
        "workers alive, no traceback in their logs",
    )
