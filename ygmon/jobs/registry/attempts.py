"""A job's attempts as the registry keeps them (ygmon.jobs.registry.store.base.ATTEMPT)
turned into the contract's Attempt models, and the entries the registry's own moves
(stalled-job sweep, shutdown) write."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from ygmon.job_models import Attempt


def entry(end: float, outcome: str, error: str | None = None) -> str:
    """An ATTEMPT field written by a move outside the running thread (no log)."""
    data: dict[str, Any] = {"end": repr(end), "outcome": outcome}
    if error is not None:
        data["error"] = error
    return json.dumps(data)


def _float(value: Any) -> float | None:
    if value in (None, ""):
        return None
    return float(value)


def _ts(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def _span(start: float | None, end: float | None) -> float | None:
    return None if start is None or end is None else round(max(0.0, end - start), 3)


def parse(raw: str) -> Attempt:
    data = json.loads(raw)
    due, start, end = _float(data.get("due")), _float(data.get("start")), _float(data.get("end"))
    return Attempt(
        number=int(data["n"]) if data.get("n") not in (None, "") else None,
        due_at=_ts(due),
        started_at=_ts(start),
        finished_at=_ts(end),
        wait_seconds=_span(due, start),
        run_seconds=_span(start, end),
        worker_id=data.get("worker"),
        outcome=data.get("outcome") or "unknown",
        error=data.get("error"),
        log=data.get("log"),
        log_cut=int(data.get("cut") or 0),
    )


def parse_all(raws: list[str]) -> list[Attempt]:
    return [parse(raw) for raw in raws]
