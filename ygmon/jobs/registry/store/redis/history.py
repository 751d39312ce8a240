"""Job history in the Redis registry: one hash per step and bucket start (see
ygmon.jobs.registry.store.redis.lua for the layout), written by the move scripts in the same run as
the final moves they count, read back a window at a time in two round trips.
"""

from __future__ import annotations

from collections import defaultdict

import redis

from ygmon.jobs.registry.store.buckets import (
    N_RUNTIME_BUCKETS,
    STEPS,
    Bucket,
    HistoryRow,
    expired_before,
)
from ygmon.jobs.registry.store.redis.bucket_reads import RedisBucketReads


class RedisHistory(RedisBucketReads):
    """History buckets of RedisRegistryStore (a mixin: it uses the store's client)."""

    def history_rows(self, step: int, start: int, end: int) -> list[HistoryRow]:
        """Buckets of `step` starting in [start, end), every queue and task."""
        rows: list[HistoryRow] = []
        for at, data in self._hashes("hist", step, start, end):
            per_task: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
            for name, value in data.items():
                queue, task, what = name.rsplit("|", 2)
                per_task[(queue, task)][what] = value
            for (queue, task), v in sorted(per_task.items()):
                rows.append(
                    (
                        at,
                        queue,
                        task,
                        Bucket(
                            int(v.get("c", 0)),
                            int(v.get("f", 0)),
                            float(v.get("s", 0)),
                            float(v.get("m", 0)),
                            [int(v.get(f"h{i}", 0)) for i in range(N_RUNTIME_BUCKETS)],
                        ),
                    )
                )
        return rows

    def trim_history(self, now: float) -> int:
        """Drop the history, latency and depth buckets past their retention; returns
        how many went."""
        cuts: list[object] = []
        for step in STEPS:
            cuts += [step, expired_before(step, now)]
        try:
            return sum(
                int(self._trim_history(args=[f"{self.p}{kind}:", *cuts]))
                for kind in ("hist", "lat", "depth")
            )
        except redis.RedisError as exc:
            raise self._fail(exc) from None
