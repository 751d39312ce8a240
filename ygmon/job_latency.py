"""Queue latency as the Monitor returns it (extension `GET /api/admin/jobs/latency`):
how long jobs waited for a worker and how long they ran, per queue and task, over a
window, with each queue's depth and throughput per step.

Figures are per attempt (a retried job counts each of its runs): wait is its start
minus the time it became due, run its end minus its start. p50 / p95 / p99 are exact
(nearest rank over the recorded times) where every bucket of the window kept its
samples, else estimated from the run-time buckets (`exact` False, shown with "~"); never
above the window's largest sample. The registry computes them, so local and remote
answers carry the same figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ygmon.job_history import HistoryWindow, percentile
from ygmon.job_models import CamelModel, Timestamp

QUANTILES = (0.5, 0.95, 0.99)
LATENCY_KINDS = ("wait", "run")


class LatencyFigure(CamelModel):
    ms: float
    exact: bool


class LatencyStats(CamelModel):
    """One kind (wait or run) of one queue (or task) over the window."""

    count: int = 0
    max_ms: float = 0.0
    p50: LatencyFigure | None = None
    p95: LatencyFigure | None = None
    p99: LatencyFigure | None = None

    def at(self, q: float) -> LatencyFigure | None:
        """The figure of quantile `q` (one of QUANTILES)."""
        return {0.5: self.p50, 0.95: self.p95, 0.99: self.p99}.get(q)


class LatencyRow(CamelModel):
    queue: str
    task: str | None = None
    """None: every task of the queue together."""
    wait: LatencyStats
    run: LatencyStats


class QueueFlow(CamelModel):
    """One queue per step of the window, oldest first."""

    queue: str
    depth: list[int | None]
    """Largest waiting count sampled in the step (None: no worker sampled it)."""
    throughput: list[int]
    """Attempts that ended in the step."""


class Latency(CamelModel):
    window: HistoryWindow
    step_seconds: int
    start: Timestamp
    end: Timestamp
    rows: list[LatencyRow]
    flow: list[QueueFlow]


class LatencyShare(CamelModel):
    """How many of a queue's waits (or runs) in the last `minutes` took longer than
    `over_ms`: what a latency target's burn rate reads."""

    queue: str
    kind: str
    over_ms: float
    minutes: int
    count: int
    over: float
    """Estimated inside a run-time bucket (so possibly fractional) unless `exact`."""
    exact: bool


def figure(
    samples: Sequence[float] | None,
    histogram: Sequence[int],
    bounds_ms: Sequence[float],
    q: float,
    max_ms: float,
) -> LatencyFigure | None:
    """Quantile `q` of a window: nearest rank over `samples` when they are all of its
    samples (not None), else percentile() over its buckets; never above `max_ms`."""
    if samples is not None:
        if not samples:
            return None
        ordered = sorted(samples)
        rank = max(1, math.ceil(q * len(ordered) - 1e-9))
        return LatencyFigure(ms=min(ordered[rank - 1], max_ms), exact=True)
    found = percentile(histogram, bounds_ms, q, max_ms)
    return None if found is None else LatencyFigure(ms=found.ms, exact=found.exact)


def share_over(
    samples: Sequence[float] | None,
    histogram: Sequence[int],
    bounds_ms: Sequence[float],
    over_ms: float,
) -> float:
    """How many samples exceed `over_ms`: counted when all are kept, else estimated
    linearly inside the run-time bucket the threshold falls in."""
    if samples is not None:
        return float(sum(1 for ms in samples if ms > over_ms))
    over = 0.0
    for i, n in enumerate(histogram):
        lower = bounds_ms[i - 1] if i else 0.0
        upper = bounds_ms[i] if i < len(bounds_ms) else math.inf
        if lower >= over_ms:
            over += n
        elif upper > over_ms and n:
            over += n * (upper - over_ms) / (upper - lower) if upper != math.inf else n
    return over


MAX_SHARE_MINUTES = 24 * 60
"""The per-minute buckets are kept a day."""


def check_share(kind: str, over_ms: float, minutes: int) -> None:
    """InvalidQueryError naming what a latency_share query got wrong."""
    from ygmon.errors import InvalidQueryError

    problems = []
    if kind not in LATENCY_KINDS:
        problems.append({"field": "kind", "message": f"must be one of {', '.join(LATENCY_KINDS)}"})
    if not (math.isfinite(over_ms) and over_ms > 0):
        problems.append({"field": "overMs", "message": "must be a number above 0"})
    if not 1 <= minutes <= MAX_SHARE_MINUTES:
        problems.append(
            {"field": "minutes", "message": f"must be between 1 and {MAX_SHARE_MINUTES}"}
        )
    if problems:
        raise InvalidQueryError(problems)
