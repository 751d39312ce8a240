"""Demo rows of metrics_aggregation_jobs_log: 30 days of hourly, daily, weekly and
monthly runs on their FACTS.md schedules, with every status.

Most runs complete; some end PARTIAL (a few events skipped) or FAILED with a real-looking
error and stack, and a failed run is retried on the queue's exponential backoff (60 s,
then 120 s), as a new row with the next attempt number. The newest hourly run is still
RUNNING. Records processed match the seeded events of the period.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from ygmon.db.models import AggregationJobStatus as S
from ygmon.demo import vocabulary as words
from ygmon.demo.context import SeedContext, iso

DAYS = 30
QUEUE = {
    "hourly": "metrics-aggregation",
    "daily": "metrics-aggregation",
    "weekly": "weekly-metrics-rollup",
    "monthly": "monthly-metrics-rollup",
}
BACKOFF = {"hourly": 60, "daily": 60, "weekly": 120, "monthly": 180}
# (duration range in seconds, memory range in MB) per job type.
COST = {
    "hourly": ((0.4, 3.5), (38, 72)),
    "daily": ((4.0, 32.0), (90, 260)),
    "weekly": ((18.0, 85.0), (140, 380)),
    "monthly": ((60.0, 190.0), (220, 610)),
}
# Runs whose outcome is pinned (counted back from the newest of their type), so every
# status shows up on a recent page whatever the seed; the rest are drawn at random.
PINNED = {
    "hourly": {2: S.FAILED, 5: S.PARTIAL, 11: S.FAILED, 17: S.PARTIAL},
    "daily": {2: S.FAILED, 4: S.PARTIAL},
    "weekly": {1: S.PARTIAL},
    "monthly": {},
}


def make_aggregation_logs(ctx: SeedContext, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    per_hour = Counter(e["occurred_at"].replace(minute=0, second=0, microsecond=0) for e in events)
    per_day = Counter(e["occurred_at"].date() for e in events)
    rows: list[dict[str, Any]] = []
    for job_type, runs in (
        ("hourly", list(_hourly(ctx))),
        ("daily", list(_daily(ctx))),
        ("weekly", list(_weekly(ctx))),
        ("monthly", list(_monthly(ctx))),
    ):
        for back, (started, start_d, end_d, hour) in enumerate(reversed(runs), start=1):
            if hour is not None:
                processed = per_hour[hour]
            else:
                processed = sum(n for d, n in per_day.items() if start_d <= d <= end_d)
            status = PINNED[job_type].get(back) or _draw(ctx)
            meta = {"trigger": "schedule", "queue": QUEUE[job_type]}
            if hour is not None:
                meta["hour"] = iso(hour)
            rows.extend(_attempts(ctx, job_type, status, started, start_d, end_d, processed, meta))
    rows.append(_running(ctx, per_hour))
    rows.sort(key=lambda r: (r["started_at"], r["id"]))
    return rows


def _draw(ctx: SeedContext) -> S:
    return ctx.weighted((S.COMPLETED, S.PARTIAL, S.FAILED), (92, 5, 3))


Run = tuple[datetime, date, date, datetime | None]


def _hourly(ctx: SeedContext) -> Iterator[Run]:
    # Minute 5 (FACTS.md leaves it open): late events of the hour have landed by then.
    top = ctx.now.replace(minute=0, second=0, microsecond=0)
    for back in range(DAYS * 24, 0, -1):
        started = top - timedelta(hours=back - 1) + timedelta(minutes=5)
        if started > ctx.now - timedelta(minutes=2):
            continue
        hour = started.replace(minute=0) - timedelta(hours=1)
        yield _jitter(ctx, started), hour.date(), hour.date(), hour


def _daily(ctx: SeedContext) -> Iterator[Run]:
    # After the 00:05 hourly run that closes the day.
    for back in range(DAYS, -1, -1):
        started = (ctx.now - timedelta(days=back)).replace(
            hour=0, minute=7, second=0, microsecond=0
        )
        if ctx.now - timedelta(days=DAYS) <= started <= ctx.now:
            day = started.date() - timedelta(days=1)
            yield _jitter(ctx, started), day, day, None


def _weekly(ctx: SeedContext) -> Iterator[Run]:
    # `0 4 * * 1`: Mondays 04:00 UTC, rolling up the previous Monday to Sunday.
    monday = (ctx.now - timedelta(days=ctx.now.weekday())).replace(
        hour=4, minute=0, second=0, microsecond=0
    )
    for back in range(5, -1, -1):
        started = monday - timedelta(weeks=back)
        if ctx.now - timedelta(days=DAYS) <= started <= ctx.now:
            first = started.date() - timedelta(days=7)
            yield _jitter(ctx, started), first, first + timedelta(days=6), None


def _monthly(ctx: SeedContext) -> Iterator[Run]:
    # `0 5 2 * *`: the 2nd at 05:00 UTC, rolling up the previous month. The newest run
    # is kept even when it is a little over 30 days old, so the type is never missing.
    started = ctx.now.replace(day=2, hour=5, minute=0, second=0, microsecond=0)
    if started > ctx.now:
        started = (started.replace(day=1) - timedelta(days=1)).replace(day=2)
    last = started.date().replace(day=1) - timedelta(days=1)
    yield _jitter(ctx, started), last.replace(day=1), last, None


def _jitter(ctx: SeedContext, at: datetime) -> datetime:
    return at + timedelta(milliseconds=ctx.rng.randint(40, 2500))


def _attempts(
    ctx: SeedContext,
    job_type: str,
    status: S,
    started: datetime,
    start_d: date,
    end_d: date,
    processed: int,
    meta: dict[str, Any],
) -> list[dict[str, Any]]:
    """The run, and for a failure its retries until one succeeds (at most 3 attempts)."""
    rows = []
    attempt = 1
    while True:
        row = _row(ctx, job_type, status, started, start_d, end_d, processed, meta, attempt)
        rows.append(row)
        if status != S.FAILED or attempt == 3:
            return rows
        attempt += 1
        started = row["completed_at"] + timedelta(seconds=BACKOFF[job_type] * 2 ** (attempt - 2))
        status = S.FAILED if ctx.rng.random() < 0.15 else S.COMPLETED


def _row(
    ctx: SeedContext,
    job_type: str,
    status: S,
    started: datetime,
    start_d: date,
    end_d: date,
    processed: int,
    meta: dict[str, Any],
    attempt: int,
) -> dict[str, Any]:
    (low, high), (mem_low, mem_high) = COST[job_type]
    duration = round(low + (high - low) * min(1.0, processed / 4000) + ctx.rng.uniform(0, 1), 3)
    created = max(1, processed // 40) if job_type == "hourly" else max(1, processed // 15)
    row: dict[str, Any] = {
        "id": ctx.new_id(),
        "job_type": job_type,
        "period_start_date": start_d,
        "period_end_date": end_d,
        "started_at": started,
        "completed_at": None,
        "status": status,
        "records_processed": processed,
        "records_created": created if attempt == 1 else 0,
        "records_updated": 0 if attempt == 1 else created,
        "errors_count": 0,
        "duration_seconds": duration,
        "memory_used_mb": ctx.rng.randint(mem_low, mem_high),
        "error_message": None,
        "error_stack": None,
        "metadata_": {**meta, "attempt": attempt, "jobId": ctx.new_id()[:16]},
        "created_at": started,
    }
    if status == S.FAILED:
        message, frames, exc_type = ctx.choice(words.AGGREGATION_FAILURES)
        cut = ctx.rng.uniform(0.1, 0.8)
        row.update(
            records_processed=int(processed * cut),
            records_created=0,
            records_updated=0,
            errors_count=1,
            duration_seconds=30.0 if "timeout" in message else round(duration * cut, 3),
            error_message=message,
            error_stack=_traceback(frames, exc_type, message),
        )
    elif status == S.PARTIAL:
        skipped = ctx.rng.randint(1, max(2, processed // 50))
        summary, reason = ctx.choice(words.AGGREGATION_PARTIAL_ERRORS)
        first = f"event {ctx.new_id()} skipped: {reason}"
        row.update(
            errors_count=skipped,
            error_message=summary.format(n=skipped, events="event" if skipped == 1 else "events"),
            error_stack=_traceback(
                words.PARTIAL_FRAMES, "ygmon.pipelines.analytics.events.SkippedEvent", first
            ),
        )
    row["completed_at"] = started + timedelta(seconds=row["duration_seconds"])
    return row


def _running(ctx: SeedContext, per_hour: Counter) -> dict[str, Any]:
    """An hourly run an admin triggered 42 s ago, still going."""
    started = ctx.ago(seconds=42)
    hour = ctx.now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    return {
        "id": ctx.new_id(),
        "job_type": "hourly",
        "period_start_date": hour.date(),
        "period_end_date": hour.date(),
        "started_at": started,
        "completed_at": None,
        "status": S.RUNNING,
        "records_processed": 0,
        "records_created": 0,
        "records_updated": 0,
        "errors_count": 0,
        "duration_seconds": None,
        "memory_used_mb": None,
        "error_message": None,
        "error_stack": None,
        "metadata_": {
            "trigger": "manual",
            "queue": QUEUE["hourly"],
            "hour": iso(hour),
            "attempt": 1,
            "expectedRecords": per_hour[hour],
        },
        "created_at": started,
    }


def _traceback(frames: tuple[tuple[str, int, str, str], ...], exc_type: str, message: str) -> str:
    lines = ["Traceback (most recent call last):"]
    for path, line, func, code in frames:
        lines.append(f'  File "/srv/ygmon/{path}", line {line}, in {func}')
        lines.append(f"    {code}")
    lines.append(f"{exc_type}: {message}")
    return "\n".join(lines)
