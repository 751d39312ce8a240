"""The models of queue control, schedules and alerts, camelCase on the wire as the
contract's models are (ygmon.monitor.schemas)."""

from __future__ import annotations

from typing import Literal

from ygmon.monitor.schemas import CamelModel, Timestamp


class QueuePause(CamelModel):
    """A queue's pause state after pause_queue / resume_queue."""

    queue: str
    paused: bool
    paused_at: Timestamp | None = None
    paused_by: str | None = None


ScheduleTrigger = Literal["schedule", "catch-up", "late-events", "manual"]
"""How a run of a periodic task started (ygmon.jobs.schedule_runs.TRIGGERS)."""


class ScheduleRun(CamelModel):
    """The latest run of a periodic task that one trigger started."""

    trigger: ScheduleTrigger
    at: Timestamp
    job_id: str
    outcome: str | None = None
    """Its job's state; None when the job has left the registry's retention."""


class ScheduleInfo(CamelModel):
    """One periodic task: its cron, its last run and outcome, its next and missed runs."""

    name: str
    """The task's name (`ygmon enqueue` and trigger_schedule take it)."""
    queue: str
    cron: str
    last_run_at: Timestamp | None = None
    """The latest run of any trigger: scheduled, catch-up, late events or by hand."""
    last_trigger: ScheduleTrigger | None = None
    last_job_id: str | None = None
    last_outcome: str | None = None
    """The last run's job state (waiting, active, completed, failed...), None when the
    job has left the registry's retention or there was no run."""
    last_error: str | None = None
    next_run_at: Timestamp
    missed: int = 0
    """Slots that should have started more than the grace period ago and did not."""
    missed_since: Timestamp | None = None
    """The first of them."""
    paused: bool = False
    """Its queue is paused: runs are enqueued and wait."""
    checked_at: Timestamp
    """The backend's time when this was read (missed runs are relative to it)."""
    runs: list[ScheduleRun] = []
    """The latest run of each trigger that ever started one, latest first."""


class TriggerResult(CamelModel):
    name: str
    queue: str
    job_id: str


AlertKind = Literal[
    "failure_rate",
    "oldest_waiting",
    "no_worker",
    "schedule_missed",
    "paused_too_long",
    "latency_burn",
]


class AlertState(CamelModel):
    """One alert rule applied to one queue or schedule: firing or quiet, and why."""

    key: str
    """Stable identity (kind:subject, and the target for latency_burn), so a watcher
    can tell when one starts firing."""
    kind: AlertKind
    subject: str
    """The queue or schedule the rule looked at."""
    firing: bool
    message: str
