"""Schedules as the Monitor returns them: each periodic task's cron, its last run (from
the registry's schedule-run records), its next run and its missed runs.

A task's last run is the latest run of any trigger (scheduled, catch-up, late events, by
hand). A slot is missed when it should have started more than `grace` seconds ago and no
run of any trigger happened at or after it. Slots before the first
worker ran the schedule (ygmon.jobs.schedule_runs.watching_since) are not missed:
nothing was meant to run them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from ygmon.jobs.schedule_runs import Periodic
from ygmon.monitor.queue_control_schemas import ScheduleInfo, ScheduleRun
from ygmon.queues import next_run

MAX_COUNTED = 1000
"""Missed slots counted at most (a minutely task down for a week would count 10,080)."""


def _utc(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC)


def missed_slots(cron: str, after: datetime, until: datetime) -> tuple[int, datetime | None]:
    """(how many, the first) slots of `cron` strictly after `after` and at or before
    `until`, counting at most MAX_COUNTED."""
    from cronsim import CronSim

    it = CronSim(cron, after)
    first: datetime | None = None
    n = 0
    while n < MAX_COUNTED:
        slot = next(it)
        if slot > until:
            break
        first = first or slot
        n += 1
    return n, first


def schedule_infos(
    periodics: list[Periodic],
    runs: Mapping[str, Mapping[str, Mapping[str, Any]]],
    jobs: Mapping[str, tuple[str, str | None]],
    watching_since: float | None,
    paused: set[str],
    now: datetime,
    grace: float,
) -> list[ScheduleInfo]:
    """`runs`: the schedule-run records by task and trigger
    (ygmon.jobs.schedule_runs.runs_by_trigger); `jobs`: (state, error) of their jobs
    still in the registry, by job id."""
    out = []
    for p in periodics:
        by_trigger = sorted(
            (runs.get(p.task) or {}).values(), key=lambda r: float(r["at"]), reverse=True
        )
        run = by_trigger[0] if by_trigger else {}
        last_at = _utc(run.get("at"))
        baseline = max((t for t in (last_at, _utc(watching_since)) if t is not None), default=None)
        missed, first = (0, None)
        if baseline is not None:
            missed, first = missed_slots(p.cron, baseline, now - timedelta(seconds=grace))
        state, error = jobs.get(run.get("jobId") or "", (None, None))
        out.append(
            ScheduleInfo(
                name=p.task,
                queue=p.queue,
                cron=p.cron,
                last_run_at=last_at,
                last_trigger=run.get("trigger"),
                last_job_id=run.get("jobId"),
                last_outcome=state,
                last_error=error,
                next_run_at=next_run(p.cron, now),
                missed=missed,
                missed_since=first,
                paused=p.queue in paused,
                checked_at=now,
                runs=[
                    ScheduleRun(
                        trigger=r["trigger"],
                        at=_utc(r["at"]),
                        job_id=r["jobId"],
                        outcome=jobs.get(r["jobId"], (None, None))[0],
                    )
                    for r in by_trigger
                ],
            )
        )
    return out
