"""The registry's latency answers: a store's latency and depth buckets over a window as
the Monitor's Latency model (ygmon.job_latency), and the share of slow waits or runs
over the last minutes that a latency target's burn rate reads.

Reading a window costs two queries on SQLite and four round trips on Redis, whatever
the number of queues and tasks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from ygmon.job_latency import (
    QUANTILES,
    Latency,
    LatencyRow,
    LatencyShare,
    LatencyStats,
    QueueFlow,
    figure,
    share_over,
)
from ygmon.jobs.registry.store.buckets import MINUTE, N_RUNTIME_BUCKETS, RUNTIME_BOUNDS_MS
from ygmon.jobs.registry.store.latency_buckets import DepthRow, LatencyBucket
from ygmon.jobs.registry.store.latency_buckets import LatencyRow as Row
from ygmon.jobs.registry.window_read import WindowRead

BOUNDS = [float(b) for b in RUNTIME_BOUNDS_MS]


class LatencyStore(Protocol):
    def latency_rows(self, step: int, start: int, end: int) -> list[Row]: ...

    def depth_rows(self, step: int, start: int, end: int) -> list[DepthRow]: ...


@dataclass
class _Sum:
    """Buckets of one queue (or task) and kind summed over a window."""

    n: int = 0
    max_ms: float = 0.0
    histogram: list[int] = field(default_factory=lambda: [0] * N_RUNTIME_BUCKETS)
    samples: list[float] = field(default_factory=list)
    complete: bool = True

    def add(self, b: LatencyBucket) -> None:
        self.n += b.n
        self.max_ms = max(self.max_ms, b.max_ms)
        for i, n in enumerate(b.histogram):
            self.histogram[i] += n
        self.complete = self.complete and b.complete
        if self.complete:
            self.samples += b.samples

    @property
    def kept(self) -> list[float] | None:
        return self.samples if self.complete else None

    def stats(self) -> LatencyStats:
        if not self.n:
            return LatencyStats()
        found = {
            q: figure(self.kept, self.histogram, BOUNDS, q, round(self.max_ms, 1))
            for q in QUANTILES
        }
        return LatencyStats(
            count=self.n,
            max_ms=round(self.max_ms, 1),
            p50=found[0.5],
            p95=found[0.95],
            p99=found[0.99],
        )


def build_latency(store: LatencyStore, read: WindowRead) -> Latency:
    step, steps, start, end = read.step, read.steps, read.start, read.end
    sums: dict[tuple[str, str | None, str], _Sum] = {}
    throughput: dict[str, list[int]] = {}
    for at, q, t, kind, b in store.latency_rows(step, start, end):
        if not read.keeps(q, t):
            continue
        for key in ((q, t, kind), (q, None, kind)):
            sums.setdefault(key, _Sum()).add(b)
        if kind == "run":
            throughput.setdefault(q, [0] * steps)[(at - start) // step] += b.n
    depth: dict[str, list[int | None]] = {}
    if read.task is None:
        for at, q, n in store.depth_rows(step, start, end):
            if read.queue is None or q == read.queue:
                depth.setdefault(q, [None] * steps)[(at - start) // step] = n
    subjects = sorted({(q, t) for q, t, _ in sums}, key=lambda s: (s[0], s[1] or ""))
    return Latency(
        window=read.window,
        step_seconds=step,
        start=datetime.fromtimestamp(start, UTC),
        end=datetime.fromtimestamp(end, UTC),
        rows=[
            LatencyRow(
                queue=q,
                task=t,
                wait=sums.get((q, t, "wait"), _Sum()).stats(),
                run=sums.get((q, t, "run"), _Sum()).stats(),
            )
            for q, t in subjects
        ],
        flow=[
            QueueFlow(
                queue=q,
                depth=depth.get(q, [None] * steps),
                throughput=throughput.get(q, [0] * steps),
            )
            for q in sorted(depth.keys() | throughput.keys())
        ],
    )


def latency_share(
    store: LatencyStore, queue: str, kind: str, over_ms: float, minutes: int, now: float
) -> LatencyShare:
    """`queue`'s waits (kind 'wait') or runs ('run') of the last `minutes` (whole
    minutes, the current one included) and how many took longer than `over_ms`."""
    end = (int(now) // MINUTE + 1) * MINUTE
    total = _Sum()
    for _, q, _, k, b in store.latency_rows(MINUTE, end - minutes * MINUTE, end):
        if q == queue and k == kind:
            total.add(b)
    over = share_over(total.kept, total.histogram, BOUNDS, over_ms)
    return LatencyShare(
        queue=queue,
        kind=kind,
        over_ms=over_ms,
        minutes=minutes,
        count=total.n,
        over=round(over, 3),
        exact=total.complete,
    )
