"""What the registry's wait and run buckets should hold, computed from the jobs'
attempts as the registry records them, and what they hold: both keyed by
(bucket start, queue, task, kind)."""

from __future__ import annotations

import json
from collections import Counter

from ygmon.jobs.registry.store.buckets import RUNTIME_BOUNDS_MS
from ygmon.jobs.registry.store.latency_buckets import LatencyBucket
from ygmon.jobs.runtime import JobRuntime


def expected_latency(runtime: JobRuntime, ids: list[str], step: int) -> dict:
    """{(bucket start, queue, task, kind): (samples ms, histogram)} from the jobs'
    attempts as the registry records them (full precision)."""
    out: dict = {}
    for job_id in ids:
        r = runtime.registry.store.get(job_id)
        assert r is not None
        for raw in runtime.registry.store.attempts(job_id):
            a = json.loads(raw)
            due, start, end = float(a["due"]), float(a["start"]), float(a["end"])
            at = int(end // step) * step
            for kind, ms in (("wait", (start - due) * 1000), ("run", (end - start) * 1000)):
                key = (at, r["queue"], r["task"], kind)
                samples, hist = out.setdefault(key, ([], Counter()))
                samples.append(ms)
                hist[sum(ms > b for b in RUNTIME_BOUNDS_MS)] += 1
    return out


def actual_latency(runtime: JobRuntime, step: int) -> dict[tuple, LatencyBucket]:
    now = runtime.registry.now()
    rows = runtime.registry.store.latency_rows(
        step, int(now // step) * step - 2 * step, int(now) + step
    )
    return {(at, q, t, k): b for at, q, t, k, b in rows}


def assert_buckets_hold(expected: dict, actual: dict[tuple, LatencyBucket]) -> None:
    """Bucket by bucket, the samples (to a tenth of a millisecond), their count, sum,
    maximum and histogram are those of the attempts."""
    assert set(actual) == set(expected)
    for key, (samples, hist) in expected.items():
        b = actual[key]
        assert b.n == len(samples) and b.complete, key
        for kept, ms in zip(sorted(b.samples), sorted(samples), strict=True):
            assert abs(kept - ms) <= 0.051, key
        assert abs(b.max_ms - max(samples)) < 0.01, key
        assert abs(b.sum_ms - sum(samples)) < 0.01, key
        assert Counter({i: c for i, c in enumerate(b.histogram) if c}) == hist, key
