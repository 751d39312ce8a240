"""A backfill over this machine's database and job runtime: the plan (each period of
the range with its state, read as the coverage strip reads it: ygmon.monitor.coverage)
and, on a real run, one `backfill` job that enqueues the chosen runs oldest first with
at most N of them waiting or running at once (ygmon.jobs.tasks.backfill).

Only tasks whose runs are keyed by a period the database logs can be backfilled: the
aggregation levels (MetricsAggregationJobsLog). The digests and the reindex keep no
per-period record to say which periods are missing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from ygmon.errors import InvalidQueryError, NotFoundError
from ygmon.monitor.backfill_schemas import (
    MAX_SLOTS,
    RUNS_IN,
    BackfillPlan,
    BackfillRequest,
    BackfillSlot,
)

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from ygmon.pipelines.analytics.periods import Period

LEVEL_OF = {f"aggregate-{level}": level for level in ("hourly", "daily", "weekly", "monthly")}


def _issue(name: str, message: str) -> dict[str, Any]:
    return {
        "code": "invalid_type",
        "expected": "a backfill range",
        "received": name,
        "path": [name],
        "message": message,
    }


def check_request(request: BackfillRequest) -> str:
    """The level of the request's task; NotFoundError for a task that is not periodic
    by period, InvalidQueryError for a bad range or cap."""
    level = LEVEL_OF.get(request.name)
    if level is None:
        raise NotFoundError(
            "Schedule not found (backfill runs the aggregation tasks: " + ", ".join(LEVEL_OF) + ")"
        )
    if request.first > request.last:
        raise InvalidQueryError([_issue("from", "Must be on or before `to`")])
    if request.max_running is not None and not 1 <= request.max_running <= 50:
        raise InvalidQueryError([_issue("maxRunning", "Must be between 1 and 50")])
    return level


def periods_of(level: str, request: BackfillRequest, now: datetime) -> list[Period]:
    """The closed periods of `level` starting in the request's days, oldest first."""
    from ygmon.pipelines.analytics.periods import Level, containing, last_closed

    start = datetime.combine(request.first, time(), UTC)
    # The day after `last` (date.max has none: periods are closed long before it).
    end = datetime.combine(min(request.last, date.max - timedelta(days=1)), time(), UTC)
    end += timedelta(days=1)
    closed_by = last_closed(Level(level), now).end
    period = containing(Level(level), start)
    if period.start < start:
        period = period.next()
    periods = []
    while period.start < end and period.end <= closed_by:
        if len(periods) == MAX_SLOTS:
            raise InvalidQueryError([_issue("to", f"At most {MAX_SLOTS} periods")])
        periods.append(period)
        period = period.next()
    return periods


async def plan(
    session: AsyncSession, request: BackfillRequest, now: datetime, max_running: int
) -> BackfillPlan:
    from ygmon.monitor.coverage import period_states
    from ygmon.pipelines.analytics.periods import Level

    level = check_request(request)
    periods = periods_of(level, request, now)
    states = await period_states(session, Level(level), periods) if periods else []
    runs = RUNS_IN[request.mode]
    slots = [
        BackfillSlot(
            period_start=p.period_start,
            label=p.label,
            state=p.state,
            action="run" if p.state in runs else "skip",
        )
        for p in states
    ]
    return BackfillPlan(
        name=request.name,
        level=level,
        mode=request.mode,
        first=request.first,
        last=request.last,
        max_running=max_running,
        slots=slots,
        to_run=sum(s.action == "run" for s in slots),
    )


def run_arguments(level: str, slot: BackfillSlot) -> dict[str, Any]:
    """The aggregate task's arguments for one period (as ygmon.jobs.tasks.analytics
    enqueues a period: its day, and its hour when hourly)."""
    kwargs: dict[str, Any] = {"date": slot.period_start.date().isoformat(), "trigger": "backfill"}
    if level == "hourly":
        kwargs["hour"] = slot.period_start.hour
    return kwargs


def target(request: BackfillRequest, result: BackfillPlan | None = None) -> str:
    """The audit record's words: the task, range and mode, then the runs and the job."""
    text = f"{request.name} {request.first}..{request.last} {request.mode.value}"
    if result is not None:
        text += f": {result.to_run} runs, at most {result.max_running} at once, job {result.job_id}"
    return text
