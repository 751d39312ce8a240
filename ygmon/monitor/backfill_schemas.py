"""The typed models of a backfill (ygmon extension): a periodic task keyed by a period
re-run over a range of its periods, chosen by their state on the coverage strip.

Modes, as Airflow's backfill: `missing` runs the periods no run is logged for;
`failed` those and the ones whose last run failed; `all` every period of the range.
A period whose run is under way is never started twice.
"""

from __future__ import annotations

import enum
from datetime import date

from pydantic import Field

from ygmon.monitor.coverage_schemas import CoverageState
from ygmon.monitor.schemas import CamelModel, Timestamp

MAX_SLOTS = 2000
"""Periods one backfill may cover (83 days of hours)."""


class BackfillMode(enum.StrEnum):
    MISSING = "missing"
    FAILED = "failed"
    ALL = "all"


RUNS_IN = {
    BackfillMode.MISSING: frozenset({CoverageState.MISSING}),
    BackfillMode.FAILED: frozenset({CoverageState.MISSING, CoverageState.FAILED}),
    BackfillMode.ALL: frozenset(CoverageState) - {CoverageState.RUNNING},
}
"""The period states each mode runs."""


class BackfillRequest(CamelModel):
    name: str
    """The periodic task (aggregate-hourly, -daily, -weekly, -monthly)."""
    first: date
    last: date
    """Periods starting on `first` through `last` (UTC days), both included."""
    mode: BackfillMode = BackfillMode.MISSING
    max_running: int | None = None
    """Jobs of the backfill waiting or running at once; None: the backend's setting."""


class BackfillSlot(CamelModel):
    period_start: Timestamp
    label: str
    state: CoverageState
    """Its state on the coverage strip now."""
    action: str
    """run (the backfill enqueues it) or skip."""


class BackfillPlan(CamelModel):
    """A backfill's dry run (job_id None) or its start: the job that enqueues the runs,
    oldest first, at most `max_running` at once."""

    name: str
    level: str
    mode: BackfillMode
    first: date
    last: date
    max_running: int
    slots: list[BackfillSlot] = Field(default_factory=list)
    """Every period of the range, oldest first, with what the backfill does to it."""
    to_run: int = 0
    dry_run: bool = True
    job_id: str | None = None
    """The backfill's own job (on `maintenance`), whose progress is the runs done."""
