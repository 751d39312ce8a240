"""A profile's latency targets (ygmon.slo_config) beside what the Monitor measured
(ygmon.job_latency): the texts Metrics and the Overview show."""

from __future__ import annotations

from ygmon.job_latency import Latency, LatencyFigure, LatencyRow
from ygmon.slo_config import LatencyTarget
from ygmon.tui.formatting import run_time


def measured(target: LatencyTarget, latency: Latency) -> LatencyFigure | None:
    """The figure the target speaks of, over the answer's window (None: no job)."""
    row = queue_row(latency, target.queue)
    if row is None:
        return None
    return getattr(row, target.kind).at(target.quantile)


def queue_row(latency: Latency, queue: str) -> LatencyRow | None:
    return next((r for r in latency.rows if r.queue == queue and r.task is None), None)


def mark(target: LatencyTarget, figure: LatencyFigure | None) -> str:
    """'ok', 'missed' or 'no jobs'."""
    if figure is None:
        return "no jobs"
    return "ok" if figure.ms < target.below_ms else "missed"


def target_text(target: LatencyTarget, latency: Latency, with_queue: bool = True) -> str:
    """E.g. 'email p95 wait 1.2s/30s ok' (measured, then the target); "~" marks an
    estimate."""
    figure = measured(target, latency)
    name = f"{target.queue} " if with_queue else ""
    value = "-" if figure is None else run_time(figure.ms, figure.exact)
    limit = target.text.rpartition("<")[2].strip()
    which = f"p{round(target.quantile * 100)} {target.kind}"
    return f"{name}{which} {value}/{limit} {mark(target, figure)}"


def summary_text(targets: list[LatencyTarget], latency: Latency) -> str:
    """The Overview's one line: how many targets are met, and the missed ones whole."""
    marks = [mark(t, measured(t, latency)) for t in targets]
    missed = [t for t, m in zip(targets, marks, strict=True) if m == "missed"]
    idle = marks.count("no jobs")
    quiet = f", {idle} without jobs" if idle else ""
    if not missed:
        return f"Targets: {marks.count('ok')}/{len(targets)} met{quiet}, last 1h (7, l)"
    named = " · ".join(target_text(t, latency) for t in missed)
    return f"Targets: {marks.count('ok')}/{len(targets)} met{quiet} · {named}"
