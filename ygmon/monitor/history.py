"""Job history as the Monitor returns it (extension `GET /api/admin/jobs/history`):
completed and failed jobs and their run times, per queue and task, over a window.

The window ends with the step holding "now" and every series has one point per step,
oldest first (zero where nothing finished), so local and remote answers compare
equal and a chart needs no gap filling. Run-time figures are over the whole window:
count, sum, max and the counts per bucket of `bounds_ms` (the last bucket is
everything past the last bound), from which `percentile` estimates p50 / p95.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

from ygmon.monitor.schemas import CamelModel, Timestamp


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


def percentile(histogram: Sequence[int], bounds_ms: Sequence[float], q: float) -> float | None:
    """The run time under which a fraction `q` of the timed runs fall, as the upper
    bound of the bucket holding it (None with no runs; past the last bound, the last
    bound itself: the caller shows it as "> bound")."""
    total = sum(histogram)
    if total == 0:
        return None
    rank = q * total
    seen = 0
    for i, n in enumerate(histogram):
        seen += n
        if seen >= rank and n:
            return float(bounds_ms[min(i, len(bounds_ms) - 1)])
    return float(bounds_ms[-1])
