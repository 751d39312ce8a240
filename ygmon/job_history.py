"""Job history as the Monitor returns it (extension `GET /api/admin/jobs/history`):
completed and failed jobs and their run times, per queue and task, over a window.

The window ends with the step holding "now" and every series has one point per step,
oldest first (zero where nothing finished), so local and remote answers compare
equal and a chart needs no gap filling. Run-time figures are over the whole window:
count, sum, max and the counts per bucket of `bounds_ms` (the last bucket is
everything past the last bound), from which `percentile` gives p50 / p95: exact where
the slowest run decides it, else estimated inside a bucket and never above the max.
Both ends compute it from the same answer, so local and remote show the same figures.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from typing import NamedTuple

from ygmon.job_models import CamelModel, Timestamp


class HistoryWindow(enum.StrEnum):
    HOUR = "1h"
    DAY = "24h"
    MONTH = "30d"


WINDOW_STEPS: dict[HistoryWindow, tuple[int, int]] = {
    HistoryWindow.HOUR: (60, 60),
    HistoryWindow.DAY: (3600, 24),
    HistoryWindow.MONTH: (3600, 720),
}
"""(seconds per step, steps) of each window: minutes for the hour, hours otherwise."""


class HistorySeries(CamelModel):
    """One queue and task over the window."""

    queue: str
    task: str
    completed: list[int]
    failed: list[int]
    runs_timed: int = 0
    total_ms: float = 0.0
    max_ms: float = 0.0
    histogram: list[int]

    @property
    def runs(self) -> int:
        return sum(self.completed) + sum(self.failed)

    @property
    def failures(self) -> int:
        return sum(self.failed)


class History(CamelModel):
    window: HistoryWindow
    step_seconds: int
    start: Timestamp
    end: Timestamp
    bounds_ms: list[float]
    series: list[HistorySeries]

    def per_queue(self) -> dict[str, tuple[list[int], list[int]]]:
        """(completed, failed) per step of each queue, its tasks summed."""
        out: dict[str, tuple[list[int], list[int]]] = {}
        for s in self.series:
            done, failed = out.setdefault(s.queue, ([0] * len(s.completed), [0] * len(s.failed)))
            for i, n in enumerate(s.completed):
                done[i] += n
            for i, n in enumerate(s.failed):
                failed[i] += n
        return out


class Percentile(NamedTuple):
    ms: float
    exact: bool
    """False: estimated from the run-time buckets (shown with "~")."""


def percentile(
    histogram: Sequence[int], bounds_ms: Sequence[float], q: float, max_ms: float
) -> Percentile | None:
    """The run time under which a fraction `q` of the timed runs fall (None with no
    runs), never above `max_ms`, the window's slowest run.

    Exact when it is the slowest run: its nearest rank, ceil(q * runs), is the last
    (p95 of up to 19 runs, p50 of one). Otherwise estimated: interpolated linearly
    inside the bucket holding it, the bucket's top cut to `max_ms` (the last bucket has
    no bound but that). An exact figure for more runs needs their run times, which the
    buckets do not keep."""
    total = sum(histogram)
    if total == 0:
        return None
    if math.ceil(q * total - 1e-9) >= total:
        return Percentile(max_ms, True)
    rank = q * total
    seen = 0
    for i, n in enumerate(histogram):
        if n and seen + n >= rank:
            upper = min(bounds_ms[i] if i < len(bounds_ms) else max_ms, max_ms)
            lower = min(bounds_ms[i - 1] if i else 0.0, upper)
            return Percentile(lower + (upper - lower) * (rank - seen) / n, False)
        seen += n
    return Percentile(max_ms, False)
