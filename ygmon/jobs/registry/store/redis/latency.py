"""Wait and run times and queue depth in the Redis registry (layout in
ygmon.jobs.registry.store.redis.latency_lua): written by the move scripts in the same
run as the moves that close attempts, the depth by the heartbeat's sample; read back a
window at a time in two round trips.
"""

from __future__ import annotations

from collections import defaultdict

import redis

from ygmon.jobs.registry.store.buckets import N_RUNTIME_BUCKETS
from ygmon.jobs.registry.store.latency_buckets import (
    DepthRow,
    LatencyBucket,
    LatencyRow,
    depth_keys,
    parse_samples,
)
from ygmon.jobs.registry.store.redis.bucket_reads import RedisBucketReads


class RedisLatency(RedisBucketReads):
    """Latency and depth buckets of RedisRegistryStore (a mixin: it uses the store's
    client and scripts)."""

    def latency_rows(self, step: int, start: int, end: int) -> list[LatencyRow]:
        """Latency buckets of `step` starting in [start, end), every queue and task."""
        rows: list[LatencyRow] = []
        for at, data in self._hashes("lat", step, start, end):
            per: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)
            for name, value in data.items():
                queue, task, kind, what = name.rsplit("|", 3)
                per[(queue, task, kind)][what] = value
            for (queue, task, kind), v in sorted(per.items()):
                bucket = LatencyBucket(
                    int(v.get("n", 0)),
                    float(v.get("s", 0)),
                    max(0.0, float(v.get("m", 0))),
                    [int(v.get(f"h{i}", 0)) for i in range(N_RUNTIME_BUCKETS)],
                    parse_samples(v.get("x")),
                )
                rows.append((at, queue, task, kind, bucket))
        return rows

    def record_depth(self, now: float, waiting: dict[str, int]) -> None:
        """Each queue's waiting count at `now`, kept as its bucket's largest."""
        if not waiting:
            return
        keys = depth_keys(now)
        args: list[object] = [self.p, len(keys)]
        for step, at in keys:
            args += [step, at]
        for queue, n in waiting.items():
            args += [queue, n]
        try:
            self._depth(args=args)
        except redis.RedisError as exc:
            raise self._fail(exc) from None

    def depth_rows(self, step: int, start: int, end: int) -> list[DepthRow]:
        return [
            (at, queue, int(n))
            for at, data in self._hashes("depth", step, start, end)
            for queue, n in sorted(data.items())
        ]
