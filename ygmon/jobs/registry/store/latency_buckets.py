"""Wait-time and run-time buckets, shared by both registry stores: what a bucket holds,
how a batch of closed attempts adds up into bucket rows, and each queue's waiting count.

Every attempt that ends (completed, failed, retried, stalled, interrupted) gives two
samples to the queue and task it ran for: its wait (start minus the time it became
due) and its run (end minus start), both in the bucket of the minute it ended, since
the move that ends it is the first that knows both. A bucket counts its samples and
keeps their sum, maximum and distribution (RUNTIME_BOUNDS_MS), and the samples
themselves while it holds at most SAMPLE_CAP of them: a window whose buckets all kept
theirs gives exact percentiles. Buckets are per minute, kept 24 hours, and per hour,
kept 30 days (history's STEPS and KEEP_SECONDS), written in the same atomic step as
the moves they count; the retention sweep drops them with the history buckets.

A queue's waiting count is sampled (its largest value in the bucket) by each worker's
heartbeat once a minute, into buckets of the same steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ygmon.jobs.registry.store.buckets import (
    MINUTE,
    N_RUNTIME_BUCKETS,
    STEPS,
    MinuteBatch,
    runtime_bucket,
)

SAMPLE_CAP = 100
"""Samples a bucket keeps at most; past it the bucket keeps only its distribution."""
KINDS = ("wait", "run")


@dataclass
class LatencyBucket:
    """One bucket's samples of one kind (wait or run) for one queue and task."""

    n: int = 0
    sum_ms: float = 0.0
    max_ms: float = 0.0
    histogram: list[int] = field(default_factory=lambda: [0] * N_RUNTIME_BUCKETS)
    samples: list[float] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Whether every sample counted is kept (so percentiles over it are exact)."""
        return len(self.samples) == self.n

    def add(self, ms: float) -> None:
        self.n += 1
        self.sum_ms += ms
        self.max_ms = max(self.max_ms, ms)
        self.histogram[runtime_bucket(ms)] += 1
        if self.n <= SAMPLE_CAP:
            self.samples.append(round(ms, 1))

    def merge(self, other: LatencyBucket) -> None:
        """Add `other`'s figures; the samples stay only while the sum keeps them all,
        as the stores' upserts do."""
        if self.n + other.n <= SAMPLE_CAP:
            self.samples = self.samples + other.samples
        self.n += other.n
        self.sum_ms += other.sum_ms
        self.max_ms = max(self.max_ms, other.max_ms)
        for i, n in enumerate(other.histogram):
            self.histogram[i] += n


def samples_text(samples: list[float]) -> str:
    """Samples as the stores keep them: milliseconds to a tenth, comma-separated."""
    return ",".join(f"{ms:.1f}" for ms in samples)


def parse_samples(text: str | None) -> list[float]:
    return [float(v) for v in text.split(",")] if text else []


LatencyKey = tuple[int, int, str, str, str]
"""(step, bucket start, queue, task, kind)."""
LatencyRow = tuple[int, str, str, str, LatencyBucket]
"""(bucket start, queue, task, kind, figures) as a store reads them back."""
DepthRow = tuple[int, str, int]
"""(bucket start, queue, largest waiting count sampled in it)."""


def _seconds(value: str | float | None) -> float | None:
    return None if value in (None, "") else float(value)  # type: ignore[arg-type]


class LatencyBatch(MinuteBatch[LatencyKey, LatencyBucket]):
    """The latency rows of a batch of closed attempts."""

    def __init__(self) -> None:
        super().__init__(LatencyBucket)

    def close(
        self,
        queue: str,
        task: str,
        due: str | float | None,
        start: str | float | None,
        end: str | float | None,
    ) -> None:
        """An attempt that ended at `end`, taken at `start`, due at `due` (the record's
        strings or epoch seconds); an attempt never started gives nothing."""
        s, e = _seconds(start), _seconds(end)
        if s is None or e is None:
            return
        minute = int(e // MINUTE) * MINUTE
        d = _seconds(due)
        if d is not None:
            self._bucket((queue, task, "wait", minute)).add(max(0.0, s - d) * 1000)
        self._bucket((queue, task, "run", minute)).add(max(0.0, e - s) * 1000)


def depth_keys(now: float) -> list[tuple[int, int]]:
    """(step, bucket start) of each step's bucket holding `now`."""
    return [(step, int(now) // step * step) for step in STEPS]
