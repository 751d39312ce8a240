"""Job history buckets, shared by both registry stores: what a bucket holds, how long
each resolution is kept, and how a batch of moves adds up into bucket rows (MinuteBatch,
the latency batch's too).

Per queue and task, every bucket counts the jobs that completed and failed for good
in it, and the sum, maximum and distribution (RUNTIME_BOUNDS_MS) of their run times
(finished minus started of the attempt that ended the job). Buckets are per minute,
kept 24 hours, and per hour, kept 30 days. The stores write them in the same atomic
step as the final move; the retention sweep drops the expired ones.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, Protocol, Self, TypeVar, cast

MINUTE = 60
HOUR = 3600
STEPS = (MINUTE, HOUR)
"""Bucket widths, seconds; each a multiple of MINUTE: a batch sums its jobs per minute
and derives the wider buckets from those (HistoryBatch, the Redis scripts' flush)."""
KEEP_SECONDS = {MINUTE: 24 * HOUR, HOUR: 30 * 24 * HOUR}
"""How long a bucket of each step (seconds) is kept past its start."""

RUNTIME_BOUNDS_MS = (
    10,
    50,
    100,
    250,
    500,
    1_000,
    2_500,
    5_000,
    10_000,
    30_000,
    60_000,
    300_000,
    900_000,
    3_600_000,
)
"""Upper bounds (inclusive) of the run-time buckets; one more bucket holds the rest."""
N_RUNTIME_BUCKETS = len(RUNTIME_BOUNDS_MS) + 1
OUTCOMES = ("completed", "failed")


def runtime_bucket(ms: float) -> int:
    """Index of the run-time bucket holding `ms` (the Lua scripts compute the same)."""
    return bisect_left(RUNTIME_BOUNDS_MS, ms)


def run_ms(started_at: str | float | None, finished_at: float) -> float | None:
    """A job's run time in milliseconds, None when it never started."""
    if started_at in (None, ""):
        return None
    return max(0.0, (finished_at - float(started_at)) * 1000)


@dataclass
class Bucket:
    """One bucket's figures for one queue and task."""

    completed: int = 0
    failed: int = 0
    sum_ms: float = 0.0
    max_ms: float = 0.0
    histogram: list[int] = field(default_factory=lambda: [0] * N_RUNTIME_BUCKETS)

    def add(self, outcome: str, ms: float | None) -> None:
        if outcome == "completed":
            self.completed += 1
        else:
            self.failed += 1
        if ms is not None:
            self.sum_ms += ms
            self.max_ms = max(self.max_ms, ms)
            self.histogram[runtime_bucket(ms)] += 1

    def merge(self, other: Bucket) -> None:
        self.completed += other.completed
        self.failed += other.failed
        self.sum_ms += other.sum_ms
        self.max_ms = max(self.max_ms, other.max_ms)
        for i, n in enumerate(other.histogram):
            self.histogram[i] += n


BucketKey = tuple[int, int, str, str]
"""(step, bucket start, queue, task)."""


class Mergeable(Protocol):
    def merge(self, other: Self) -> None: ...


K = TypeVar("K", bound=tuple)
B = TypeVar("B", bound=Mergeable)


class MinuteBatch(Generic[K, B]):
    """Buckets `B` of a batch of moves, summed so each row is written once: a move adds
    to its subject's minute (one lookup, as in the Lua scripts), and `rows` derives
    every step's buckets from those minutes. History and latency batches alike: the
    subject is (queue, task) or (queue, task, kind), a row's key (step, bucket start,
    subject...)."""

    def __init__(self, empty: Callable[[], B]) -> None:
        self._empty = empty
        self._minutes: dict[tuple, B] = {}

    def _bucket(self, key: tuple) -> B:
        """The bucket of `key` (subject..., minute), made empty when first asked."""
        bucket = self._minutes.get(key)
        if bucket is None:
            bucket = self._minutes[key] = self._empty()
        return bucket

    @property
    def rows(self) -> dict[K, B]:
        rows: dict[K, B] = {}
        for (*subject, minute), b in self._minutes.items():
            for step in STEPS:
                key = cast(K, (step, minute // step * step, *subject))
                into = rows.get(key)
                if into is None:
                    rows[key] = into = self._empty()
                into.merge(b)
        return rows

    def __bool__(self) -> bool:
        return bool(self._minutes)


class HistoryBatch(MinuteBatch[BucketKey, Bucket]):
    """The history rows of a batch of final moves."""

    def __init__(self) -> None:
        super().__init__(Bucket)

    def add(
        self, queue: str, task: str, outcome: str, finished_at: float, started_at: str | None
    ) -> None:
        minute = int(finished_at // MINUTE) * MINUTE
        self._bucket((queue, task, minute)).add(outcome, run_ms(started_at, finished_at))


HistoryRow = tuple[int, str, str, Bucket]
"""(bucket start, queue, task, figures) as a store reads them back."""


def expired_before(step: int, now: float) -> int:
    """Buckets of `step` starting before this are past their retention."""
    return int(now - KEEP_SECONDS[step])
