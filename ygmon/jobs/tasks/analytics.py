"""The analytics pipeline's Huey tasks (thin wrappers of ygmon.pipelines.analytics), its
`ygmon enqueue` commands (`enrich`, `aggregate`) and its catch-up of missed schedules.

Pipeline code is imported inside each task function: the runtime imports this module
in every producer (the API, the CLI, the demo), which need the specs, not the work.

Tasks: `enrich-events` on analytics-enrichment; `aggregate-hourly` (cron "hourly") and
`aggregate-daily` on metrics-aggregation, `aggregate-weekly` and `aggregate-monthly` on
their rollup queues (crons "weekly", "monthly"). Called by the schedule with no
arguments, an aggregate task runs the period that just closed; with `date` (and `hour`)
it runs the period holding it. Each run upserts its period's rows, so a second run of
a job (at-least-once delivery) finds nothing to change.
"""

from __future__ import annotations

import argparse
import functools
import logging
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from ygmon.cli_numbers import integer
from ygmon.errors import ConfigError
from ygmon.jobs.tasks.spec import EnqueueCommand, TaskSpec, parse_arguments

if TYPE_CHECKING:
    from ygmon.jobs.job_context import Producer
    from ygmon.pipelines.analytics.periods import Level, Period

log = logging.getLogger(__name__)

LEVELS = ("hourly", "daily", "weekly", "monthly")
TASK_OF = {level: f"aggregate-{level}" for level in LEVELS}


def enrich_events(since: str | None = None, event_ids: list[str] | None = None) -> dict:
    """Enrich events not yet enriched (since `since`, or the given ids). A second run
    finds them enriched and writes nothing."""
    from ygmon.jobs.job_context import current_job
    from ygmon.pipelines.analytics.enrichment import enrich

    ctx = current_job()
    start = datetime.fromisoformat(since) if since else None
    result = ctx.run(enrich(ctx.database, since=start, event_ids=event_ids, now=ctx.now()))
    return result.as_json()


def _period(level: str, day: str | None, hour: int | None) -> Period:
    from ygmon.jobs.job_context import current_job
    from ygmon.pipelines.analytics.periods import Level, last_closed, of_day

    if day is None:
        return last_closed(Level(level), current_job().now())
    return of_day(Level(level), date.fromisoformat(day), hour)


def _aggregate(
    level: str,
    date: str | None = None,
    hour: int | None = None,
    trigger: str | None = None,
    then: list[list[str]] | None = None,
) -> dict[str, Any]:
    from ygmon.jobs.job_context import current_job
    from ygmon.pipelines.analytics.enrichment import enrich
    from ygmon.pipelines.analytics.follow_ups import LateEvents, find_late, plan
    from ygmon.pipelines.analytics.periods import Level
    from ygmon.pipelines.analytics.service import aggregate

    ctx = current_job()
    trigger = trigger or ("schedule" if date is None else "manual")
    period = _period(level, date, hour)
    if period.level in (Level.HOURLY, Level.DAILY):
        # A rollup never counts raw events the enrichment queue has not reached yet
        # (their country and device would read "unknown"): it enriches them first.
        ctx.run(enrich(ctx.database, since=period.start, until=period.end, now=ctx.now()))
    late = LateEvents(None, 0, {})
    if period.level is Level.HOURLY and trigger == "schedule":
        late = ctx.run(find_late(ctx.database, period))
    result = ctx.run(
        aggregate(
            ctx.database,
            period,
            trigger=trigger,
            job_id=ctx.job_id,
            attempt=ctx.attempt,
            now=ctx.now(),
            extra=late.describe() if late.count else None,
        )
    )
    out = result.as_json()
    followed = []
    if period.level is Level.HOURLY and trigger == "schedule":
        for follow in plan(period, trigger, late):
            chained = [[p.level.value, p.first_day.isoformat(), "late-events"] for p in follow.then]
            followed.append(_enqueue_period(ctx.enqueue, follow.period, follow.trigger, chained))
    if then:
        # One at a time, in order: a week's growth reads the week before it.
        (chained_level, chained_day, chained_trigger), rest = then[0], then[1:]
        kwargs: dict[str, Any] = {"date": chained_day, "trigger": chained_trigger}
        if rest:
            kwargs["then"] = rest
        followed.append(ctx.enqueue(TASK_OF[chained_level], **kwargs))
    if followed:
        out["followUps"] = followed
    return out


def _enqueue_period(enqueue: Any, period: Period, trigger: str, then: list | None = None) -> str:
    kwargs: dict[str, Any] = {"date": period.first_day.isoformat(), "trigger": trigger}
    if period.start.hour:
        kwargs["hour"] = period.start.hour
    if then:
        kwargs["then"] = then
    return enqueue(TASK_OF[period.level.value], **kwargs)


def aggregate_hourly(**kwargs: Any) -> dict[str, Any]:
    """The hour that just closed (or `date`+`hour`); after a scheduled run, the daily
    run of a day it closes and re-runs of periods that got late events."""
    return _aggregate("hourly", **kwargs)


def aggregate_daily(**kwargs: Any) -> dict[str, Any]:
    """The day that just closed (or `date`)."""
    return _aggregate("daily", **kwargs)


def aggregate_weekly(**kwargs: Any) -> dict[str, Any]:
    """The ISO week that just closed (or the one holding `date`), from daily rows."""
    return _aggregate("weekly", **kwargs)


def aggregate_monthly(**kwargs: Any) -> dict[str, Any]:
    """The month that just closed (or the one holding `date`), from daily rows."""
    return _aggregate("monthly", **kwargs)


TASKS: tuple[TaskSpec, ...] = (
    TaskSpec(
        "enrich-events",
        "analytics-enrichment",
        enrich_events,
        "add user, geo and device context to events not yet enriched",
    ),
    TaskSpec(
        "aggregate-hourly",
        "metrics-aggregation",
        aggregate_hourly,
        "roll the last hour's events up into hourly metrics",
        params=functools.partial(_aggregate, "hourly"),
        schedule="hourly",
    ),
    TaskSpec(
        "aggregate-daily",
        "metrics-aggregation",
        aggregate_daily,
        "roll a day's events up into daily metrics",
        params=functools.partial(_aggregate, "daily"),
    ),
    TaskSpec(
        "aggregate-weekly",
        "weekly-metrics-rollup",
        aggregate_weekly,
        "roll the previous ISO week's daily metrics up",
        params=functools.partial(_aggregate, "weekly"),
        schedule="weekly",
    ),
    TaskSpec(
        "aggregate-monthly",
        "monthly-metrics-rollup",
        aggregate_monthly,
        "roll the previous month's daily metrics up",
        params=functools.partial(_aggregate, "monthly"),
        schedule="monthly",
    ),
)


# --- ygmon enqueue ------------------------------------------------------------------


def _parser(prog: str) -> argparse.ArgumentParser:
    return argparse.ArgumentParser(prog=prog, exit_on_error=False, add_help=False)


def _day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"enqueue {name}: '{value}' is not a date (YYYY-MM-DD)") from None


def _enqueue_enrich(
    runtime: Producer, values: list[str], delay: float | None
) -> list[tuple[str, str]]:
    parser = _parser("ygmon enqueue enrich")
    parser.add_argument("--since")
    parsed = parse_arguments(parser, values, "enqueue enrich")
    kwargs = {}
    if parsed.since:
        try:
            since = datetime.fromisoformat(parsed.since)
        except ValueError:
            raise ConfigError(
                f"enqueue enrich: --since '{parsed.since}' is not a date or time (ISO 8601)"
            ) from None
        kwargs["since"] = (since if since.tzinfo else since.replace(tzinfo=UTC)).isoformat()
    return [(runtime.enqueue("enrich-events", delay=delay, **kwargs), "analytics-enrichment")]


def _enqueue_aggregate(
    runtime: Producer, values: list[str], delay: float | None
) -> list[tuple[str, str]]:
    from ygmon.pipelines.analytics.periods import QUEUE_OF, Level, between, of_day

    if not values or values[0] not in LEVELS:
        raise ConfigError("enqueue aggregate: give a level first: hourly, daily, weekly or monthly")
    level = Level(values[0])
    parser = _parser("ygmon enqueue aggregate")
    parser.add_argument("--date")
    parser.add_argument("--hour", type=integer(0, 23))
    parser.add_argument("--from", dest="first")
    parser.add_argument("--to", dest="last")
    parsed = parse_arguments(parser, values[1:], "enqueue aggregate")
    if parsed.hour is not None and not (level is Level.HOURLY and 0 <= parsed.hour <= 23):
        raise ConfigError("enqueue aggregate: --hour H (0-23) goes with 'hourly' only")
    if (parsed.first is None) != (parsed.last is None):
        raise ConfigError("enqueue aggregate: --from and --to go together")
    if parsed.first is not None and parsed.date is not None:
        raise ConfigError("enqueue aggregate: --date or --from/--to, not both")
    if parsed.first is not None:
        first, last = _day(parsed.first, "aggregate"), _day(parsed.last, "aggregate")
        if last < first:
            raise ConfigError("enqueue aggregate: --to is before --from")
        periods = between(level, of_day(level, first), of_day(level, last, 23))
    elif parsed.date is not None:
        periods = [of_day(level, _day(parsed.date, "aggregate"), parsed.hour)]
    else:
        from ygmon.pipelines.analytics.periods import last_closed

        periods = [last_closed(level, runtime.now())]
    queue = QUEUE_OF[level]
    out = []
    for period in periods:
        kwargs: dict[str, Any] = {"date": period.first_day.isoformat(), "trigger": "manual"}
        if level is Level.HOURLY:
            kwargs["hour"] = period.start.hour
        out.append((runtime.enqueue(TASK_OF[level.value], delay=delay, **kwargs), queue))
    return out


ENQUEUE: tuple[EnqueueCommand, ...] = (
    EnqueueCommand("enrich", "enrich every event not yet enriched [--since T]", _enqueue_enrich),
    EnqueueCommand(
        "aggregate",
        "aggregate hourly|daily|weekly|monthly [--date D [--hour H] | --from D1 --to D2]",
        _enqueue_aggregate,
    ),
)


# --- catch-up -----------------------------------------------------------------------


def on_worker_start(runtime: Producer, queues: list[str]) -> None:
    """Enqueue the missed periods of each level whose queue this worker runs, oldest
    first, marked catch-up. Weekly and monthly ones read daily rows (and a week's growth
    the week before), so they run one after another, after the last daily run if any."""
    from ygmon.pipelines.analytics.periods import QUEUE_OF, Level

    levels = [level for level in Level if QUEUE_OF[level] in queues]
    if not levels:
        return
    from ygmon.jobs.job_context import run_aside

    try:
        found = run_aside(lambda: _claim_missed(runtime, levels))
    except Exception as exc:
        # A catch-up that cannot read the database must not keep the worker from starting.
        log.error("analytics catch-up skipped: %s", exc)
        return
    _enqueue_catch_up(runtime, found)


async def _claim_missed(runtime: Producer, levels: list[Level]) -> dict[Level, list[Period]]:
    from ygmon.db import Database
    from ygmon.pipelines.analytics.catch_up import claim, missed

    db = Database(runtime.profile.database_url)
    now = runtime.now()
    worker = runtime.worker_id or "worker"
    try:
        out: dict[Level, list[Period]] = {}
        for level in levels:
            out[level] = []
            for period in await missed(db, level, now):
                if not await claim(db, period, worker, now):
                    # Another worker is catching up: it owns the rest too, so that one
                    # chain runs every period in order (a week's growth reads the week
                    # before it).
                    return out
                out[level].append(period)
        return out
    finally:
        await db.dispose()


def _enqueue_catch_up(runtime: Producer, found: dict[Level, list[Period]]) -> None:
    from ygmon.pipelines.analytics.periods import Level

    for period in found.get(Level.HOURLY, []):
        _enqueue_period(runtime.enqueue, period, "catch-up")
    rollups = [*found.get(Level.WEEKLY, []), *found.get(Level.MONTHLY, [])]
    days = found.get(Level.DAILY, [])
    for i, period in enumerate(days):
        last = i == len(days) - 1
        then = [[p.level.value, p.first_day.isoformat(), "catch-up"] for p in rollups]
        _enqueue_period(runtime.enqueue, period, "catch-up", then if last else None)
    if not days and rollups:
        then = [[p.level.value, p.first_day.isoformat(), "catch-up"] for p in rollups[1:]]
        _enqueue_period(runtime.enqueue, rollups[0], "catch-up", then)
