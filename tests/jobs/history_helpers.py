"""What the registry's history should hold, computed from the job records alone, and
what it holds: both as {(bucket start, queue, task): (completed, failed, histogram)}."""

from __future__ import annotations

from collections import Counter

from ygmon.jobs.registry.store.buckets import RUNTIME_BOUNDS_MS
from ygmon.jobs.runtime import JobRuntime


def expected_buckets(runtime: JobRuntime, ids: list[str], step: int) -> dict:
    """Bucket figures computed from the job records alone (raw store fields, full
    precision): {(bucket start, queue, task): (completed, failed, histogram Counter)}."""
    out: dict = {}
    for job_id in ids:
        r = runtime.registry.store.get(job_id)
        assert r is not None and r["state"] in ("completed", "failed"), (job_id, r)
        finished = float(r["finished_at"])
        key = (int(finished // step) * step, r["queue"], r["task"])
        hist = out.setdefault(key, [0, 0, Counter()])[2]
        if r["state"] == "completed":
            out[key][0] += 1
        else:
            out[key][1] += 1
        ms = (finished - float(r["started_at"])) * 1000
        # The bucket index the other way round from the store: bounds it is past.
        hist[sum(ms > b for b in RUNTIME_BOUNDS_MS)] += 1
    return {key: tuple(value) for key, value in out.items()}


def actual_buckets(runtime: JobRuntime, step: int) -> dict:
    now = runtime.registry.now()
    rows = runtime.registry.store.history_rows(
        step, int(now // step) * step - 2 * step, int(now) + step
    )
    return {
        (at, q, t): (b.completed, b.failed, Counter({i: n for i, n in enumerate(b.histogram) if n}))
        for at, q, t, b in rows
    }
