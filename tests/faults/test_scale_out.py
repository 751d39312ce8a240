"""Scale-out: three workers, as if on three hosts, on one Redis and one Postgres; one is
SIGKILLed half-way through 2,000 jobs of mixed queues, pipelines included, with the
default settings: the survivors take its jobs back after stalled_after (30 s) and a sweep."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections import Counter
from pathlib import Path

import pytest
from fault_helpers import fault_profile, queues_except, wait_until
from fault_record import observe

from ygmon.config import LocalProfile
from ygmon.db import Database
from ygmon.db.migrate import upgrade
from ygmon.job_history import HistoryWindow
from ygmon.jobs.runtime import open_runtime
from ygmon.jobs.tasks import task_spec
from ygmon.liveness import HEARTBEAT_INTERVAL

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.timeout(240)]

STALLED_AFTER = LocalProfile().stalled_after
SWEEP = HEARTBEAT_INTERVAL  # ygmon.jobs.worker: sweeps with each heartbeat
JOBS = 2000
ONLY_ON_C = "blog-scheduled-publishing"


def _jobs() -> list[tuple[str, dict]]:
    """2,000 (task, kwargs): canaries on `maintenance`, search updates and enrichment,
    fewer than 1,000 a queue so that retention (docs/CONTRACT.md#retention) keeps all."""
    kinds = itertools.cycle(["canary"] * 8 + ["search-index-update"] * 7 + ["enrich-events"] * 5)
    jobs = []
    for n, task in zip(range(JOBS), kinds, strict=False):
        if task == "canary":
            jobs.append((task, {"seconds": 0.02}))
        elif task == "search-index-update":
            jobs.append((task, {"entity": "asset", "entity_id": f"missing-{n}"}))
        else:
            jobs.append((task, {"event_ids": [str(uuid.uuid4())]}))
    return jobs


def test_three_workers_one_killed_every_job_completes_exactly_once(
    postgres_url: str, redis_url: str, namespace: str, tmp_path: Path, start_worker
) -> None:
    profile = fault_profile(postgres_url, redis_url, namespace, tmp_path)
    assert profile.stalled_after == STALLED_AFTER

    async def migrate() -> None:
        db = Database(postgres_url)
        await upgrade(db)
        await db.dispose()

    asyncio.run(migrate())
    shared = queues_except(ONLY_ON_C)
    a = start_worker(profile, "--workers", "2", "--no-schedule", "--queues", shared,
                     "--host-name", "host-a")  # fmt: skip
    b = start_worker(profile, "--workers", "2", "--no-schedule", "--queues", shared,
                     "--host-name", "host-b")  # fmt: skip
    c = start_worker(profile, "--workers", "2", "--no-schedule", "--host-name", "host-c")
    assert len({a.worker_id, b.worker_id, c.worker_id}) == 3
    assert [w.worker_id.split(":")[0] for w in (a, b, c)] == ["host-a", "host-b", "host-c"]

    runtime = open_runtime(profile)
    registry = runtime.registry
    try:
        ids = {runtime.enqueue(task, **kwargs): task for task, kwargs in _jobs()}
        per_queue = Counter(task_spec(task).queue for task in ids.values())

        def completed() -> int:
            return sum(registry.counts(q).completed for q in per_queue)

        wait_until(lambda: completed() >= JOBS // 2, 60, "half the jobs to complete")
        c.kill()

        def held_by_c(job_id: str) -> bool:
            record = registry.store.get(job_id) or {}
            return record.get("state") == "active" and record.get("worker_id") == c.worker_id

        # Listed once C is dead: exactly the jobs it held, which nobody else will finish.
        on_c = [j for j in registry.store.ids_in(None, "active", 10_000) if held_by_c(j)]
        assert on_c, "the killed worker held no job: the test proves nothing"

        def taken_back() -> bool:
            return not any(held_by_c(j) for j in on_c)

        taken = wait_until(
            taken_back, STALLED_AFTER + 15, "the stalled jobs to be taken back", step=0.05
        )
        assert taken <= STALLED_AFTER + SWEEP + 0.5, taken

        wait_until(
            lambda: completed() >= JOBS,
            60,
            "every job to complete",
            step=0.2,
            detail=lambda: [s for s in registry.queue_stats() if s.name in per_queue],
        )
        records = [registry.store.get(job_id) for job_id in ids]
        assert Counter(r["state"] for r in records) == {"completed": JOBS}
        assert sum(registry.counts(q).failed for q in per_queue) == 0
        for queue, n in per_queue.items():
            assert registry.counts(queue).completed == n, queue
        # The history counts each finish: a job completed twice would count twice.
        history = registry.history(HistoryWindow.HOUR)
        finished = sum(sum(s.completed) for s in history.series if s.queue in per_queue)
        assert finished == JOBS
        rerun = sum(1 for r in records if int(r["stalled_count"] or 0) > 0)
        # Exactly the jobs C held when it died ran again.
        assert rerun == len(on_c)
        hosts = Counter(r["worker_id"].split(":")[0] for r in records)
        assert set(hosts) == {"host-a", "host-b", "host-c"}
        for w in (a, b):
            assert "Traceback" not in w.output(), w.output()[-3000:]
    finally:
        runtime.close()
    observe(
        "scale-out",
        f"{JOBS} of {JOBS} completed once (history: {finished}); {len(on_c)} jobs held by "
        f"the killed worker taken back in {taken:.1f} s (bound {STALLED_AFTER + SWEEP:g} s); "
        "by host: " + ", ".join(f"{h} {n}" for h, n in sorted(hosts.items())),
    )
