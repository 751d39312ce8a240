"""Local mode under load: the TUI, the API and two workers on one SQLite file for 60 s.
No "database is locked" reaches a user (the API, the TUI) or a job, and the counts at
the end equal what ran."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from fault_helpers import Producer, fault_profile, wait_until
from fault_record import observe
from servers import bearer, serve_subprocess

from ygmon.app import YgmonApp
from ygmon.config import LocalProfile, Settings
from ygmon.db import Database
from ygmon.db.migrate import upgrade
from ygmon.jobs.runtime import open_runtime
from ygmon.monitor.factory import make_monitor
from ygmon.pipelines.search.content import ContentService
from ygmon.pipelines.search.service import index_sizes
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.status_banner import StatusBanner

pytestmark = pytest.mark.timeout(180)

LOAD_SECONDS = 60.0
PATHS = ("/api/admin/jobs/health", "/api/admin/jobs/aggregation/logs", "/api/admin/jobs/queues")


class ApiPoller(threading.Thread):
    """Reads the API as a dashboard would, within the rate limit of docs/CONTRACT.md#rate-limit;
    keeps every status and any body that says 'locked'."""

    def __init__(self, base: str, token: str) -> None:
        super().__init__(name="api-poller", daemon=True)
        self.base, self.token = base, token
        self.statuses: Counter[int] = Counter()
        self.locked: list[str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        with httpx.Client(headers=bearer(self.token), timeout=30) as client:
            n = 0
            while not self.stop.wait(0.7):
                response = client.get(self.base + PATHS[n % len(PATHS)])
                n += 1
                self.statuses[response.status_code] += 1
                if "locked" in response.text:
                    self.locked.append(response.text[:300])


async def test_tui_api_and_two_workers_on_one_sqlite_file_never_see_locked(
    tmp_path: Path, namespace: str, start_worker
) -> None:
    one_file = tmp_path / "ygmon.db"
    profile = fault_profile(
        f"sqlite+aiosqlite:///{one_file}", f"sqlite:///{one_file}", namespace, tmp_path
    )
    db = Database(profile.database_url)
    await upgrade(db)
    queues = "maintenance,search-index-update,search-index-bulk"
    workers = [start_worker(profile, "--no-schedule", "--queues", queues) for _ in range(2)]
    runtime = open_runtime(profile)
    content = ContentService(db, runtime.enqueue)
    created = 0
    banner_errors: list[str] = []
    try:
        with serve_subprocess(profile) as (base, token):
            poller = ApiPoller(base, token)
            poller.start()
            app = YgmonApp(
                make_monitor(Settings("local", profile, None)),
                target="test",
                ui=UiConfig(refresh_interval=0.5),
            )
            async with app.run_test(size=(100, 30)) as pilot:
                with Producer(runtime, every=0.1) as producer:
                    started = time.monotonic()
                    screens = "1234561"
                    while time.monotonic() - started < LOAD_SECONDS:
                        await content.create(
                            "asset", title=f"asset {created}", type="IMAGE",
                            storage_key=f"k/{created}", tags=["load"],
                        )  # fmt: skip
                        created += 1
                        if created % 25 == 0:
                            await pilot.press(screens[(created // 25) % len(screens)])
                        for banner in app.screen.query(StatusBanner):
                            if banner.has_class("-error"):
                                banner_errors.append(str(banner.render()))
                        await asyncio.sleep(0.15)
                poller.stop.set()
                poller.join(30)
        accepted = list(producer.accepted)
        registry = runtime.registry

        def drained() -> bool:
            return all(
                registry.counts(q).waiting + registry.counts(q).active == 0
                for q in ("maintenance", "search-index-update")
            )

        await asyncio.to_thread(wait_until, drained, 60, "the queues to drain")
        states = Counter((registry.store.get(j) or {}).get("state") for j in accepted)
        failed = [
            (job.id, job.error_message)
            for q in ("maintenance", "search-index-update")
            for job in registry.list_jobs(q, None, 0, 5000)[0]
            if job.state.value == "failed"
        ]
        sizes = await index_sizes(db)
    finally:
        runtime.close()
        await db.dispose()

    assert producer.refused == 0, "an enqueue was refused"
    assert states == {"completed": len(accepted)}, states
    assert registry_completed_equal(profile, len(accepted))
    assert not failed, failed
    assert sizes["asset"] == created, (sizes, created)
    assert poller.locked == [] and set(poller.statuses) == {200}, poller.statuses
    assert banner_errors == [], banner_errors[:3]
    for w in workers:
        log = w.output()
        assert "locked" not in log and "Traceback" not in log, log[-4000:]
    observe(
        "sqlite-load",
        f"{LOAD_SECONDS:.0f} s: {len(accepted)} canaries and {created} indexed assets, all "
        f"completed and counted; {sum(poller.statuses.values())} API reads, all 200; the "
        "TUI never showed an error; no 'locked' in any response, job or worker log",
    )


def registry_completed_equal(profile: LocalProfile, canaries: int) -> bool:
    """The registry's maintenance count equals the canaries that ran."""
    runtime = open_runtime(profile)
    try:
        return runtime.registry.counts("maintenance").completed == canaries
    finally:
        runtime.close()
