"""The registry's history answer: a store's bucket rows over a window, as the Monitor's
History model (one point per step for each queue and task that ran in the window).

Reading a window costs one query on SQLite and one pipeline on Redis, whatever the
number of queues and tasks.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from ygmon.job_history import History, HistorySeries
from ygmon.jobs.registry.store.buckets import (
    N_RUNTIME_BUCKETS,
    RUNTIME_BOUNDS_MS,
    HistoryRow,
)
from ygmon.jobs.registry.window_read import WindowRead


class HistoryStore(Protocol):
    def history_rows(self, step: int, start: int, end: int) -> list[HistoryRow]: ...


def build_history(store: HistoryStore, read: WindowRead) -> History:
    step, steps, start, end = read.step, read.steps, read.start, read.end
    series: dict[tuple[str, str], dict] = {}
    for at, q, t, b in store.history_rows(step, start, end):
        if not read.keeps(q, t):
            continue
        s = series.get((q, t))
        if s is None:
            s = series[(q, t)] = {
                "queue": q,
                "task": t,
                "completed": [0] * steps,
                "failed": [0] * steps,
                "runs_timed": 0,
                "total_ms": 0.0,
                "max_ms": 0.0,
                "histogram": [0] * N_RUNTIME_BUCKETS,
            }
        i = (at - start) // step
        s["completed"][i] += b.completed
        s["failed"][i] += b.failed
        s["runs_timed"] += sum(b.histogram)
        s["total_ms"] += b.sum_ms
        s["max_ms"] = max(s["max_ms"], b.max_ms)
        for j, n in enumerate(b.histogram):
            s["histogram"][j] += n
    return History(
        window=read.window,
        step_seconds=step,
        start=datetime.fromtimestamp(start, UTC),
        end=datetime.fromtimestamp(end, UTC),
        bounds_ms=[float(b) for b in RUNTIME_BOUNDS_MS],
        series=[
            HistorySeries(
                **{**s, "total_ms": round(s["total_ms"], 3), "max_ms": round(s["max_ms"], 3)}
            )
            for _, s in sorted(series.items())
        ],
    )
