"""The Monitor contract: LocalMonitor and RemoteMonitor (through a real `ygmon serve`)
give equal results for every call, and the results are what the seeded data says."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import pytest
from servers import FAILED_JOBS, LOG_ROWS, OK_JOBS

from ygmon.errors import CannotRetryError, InvalidQueryError, NotFoundError
from ygmon.job_history import HistoryWindow, percentile
from ygmon.monitor.local import LocalMonitor
from ygmon.monitor.protocol import Monitor
from ygmon.monitor.remote import RemoteMonitor
from ygmon.monitor.schemas import JobState, LogQuery

Call = Callable[[Monitor], Awaitable[Any]]

CALLS: dict[str, Call] = {
    "health": lambda m: m.health(),
    "queues": lambda m: m.queues(),
    "workers": lambda m: m.workers(),
    "search_index_stats": lambda m: m.search_index_stats(),
    "notification_stats": lambda m: m.notification_stats(),
    "logs_default": lambda m: m.aggregation_logs(LogQuery()),
    "logs_page2": lambda m: m.aggregation_logs(LogQuery(page=2, page_size=10)),
    "logs_past_end": lambda m: m.aggregation_logs(LogQuery(page=9, page_size=10)),
    "logs_type": lambda m: m.aggregation_logs(LogQuery(job_type="weekly")),
    "logs_status": lambda m: m.aggregation_logs(LogQuery(status="FAILED", page_size=3)),
    "logs_dates": lambda m: m.aggregation_logs(
        LogQuery(start_date=date(2026, 1, 10), end_date=date(2026, 1, 20))
    ),
    "coverage": lambda m: m.aggregation_coverage(),
    "coverage_daily_7": lambda m: m.aggregation_coverage("daily", 7),
    "jobs_all": lambda m: m.jobs("maintenance"),
    "jobs_failed": lambda m: m.jobs("maintenance", JobState.FAILED, 1, 1),
    "jobs_waiting": lambda m: m.jobs("notification-delivery", JobState.WAITING),
    "failed_jobs": lambda m: m.failed_jobs(),
    "job": lambda m: m.job("maintenance", FAILED_JOBS[0]),
    "previews": lambda m: m.previews(),
    "previews_ready": lambda m: m.previews("ready"),
    "previews_failed": lambda m: m.previews("failed"),
    "previews_generating": lambda m: m.previews("generating", 1, 1),
    "history_hour": lambda m: m.history(),
    "history_day_queue": lambda m: m.history("maintenance", window=HistoryWindow.DAY),
    "history_month_task": lambda m: m.history(task="canary", window=HistoryWindow.MONTH),
    "history_empty_queue": lambda m: m.history("email"),
    "latency_hour": lambda m: m.latency(),
    "latency_day_queue": lambda m: m.latency("maintenance", window=HistoryWindow.DAY),
    "latency_month_task": lambda m: m.latency(task="canary", window=HistoryWindow.MONTH),
    "latency_share": lambda m: m.latency_share("maintenance", "wait", 1.5, 60),
    "asset_ready": lambda m: m.asset("a-video-ready"),
    "asset_failed": lambda m: m.asset("a-video-failed"),
    "asset_image": lambda m: m.asset("a-image"),
}


def dump(value: Any) -> Any:
    if isinstance(value, list):
        return [dump(v) for v in value]
    return value.to_json()


@pytest.mark.parametrize("name", list(CALLS))
async def test_local_and_remote_agree(pair: tuple[Monitor, Monitor], name: str) -> None:
    local, remote = pair
    assert isinstance(local, LocalMonitor) and isinstance(remote, RemoteMonitor)
    call = CALLS[name]
    assert dump(await call(remote)) == dump(await call(local))


ERRORS: dict[str, tuple[Call, type[Exception], str]] = {
    "job_unknown": (lambda m: m.job("maintenance", "nope"), NotFoundError, "Job not found"),
    "job_other_queue": (lambda m: m.job("email", FAILED_JOBS[0]), NotFoundError, "Job not found"),
    "jobs_unknown_queue": (lambda m: m.jobs("no-such-queue"), NotFoundError, "Queue not found"),
    "asset_unknown": (lambda m: m.asset("nope"), NotFoundError, "Asset not found"),
    "retry_unknown": (lambda m: m.retry("maintenance", "nope"), NotFoundError, "Job not found"),
    "history_unknown_queue": (
        lambda m: m.history("no-such-queue"),
        NotFoundError,
        "Queue not found",
    ),
    "latency_unknown_queue": (
        lambda m: m.latency("no-such-queue"),
        NotFoundError,
        "Queue not found",
    ),
    "latency_share_bad_kind": (
        lambda m: m.latency_share("maintenance", "sleep", 1000, 5),
        InvalidQueryError,
        "Invalid query parameters",
    ),
    "retry_completed": (
        lambda m: m.retry("maintenance", "ok-1"),
        CannotRetryError,
        "Cannot retry job",
    ),
}


@pytest.mark.parametrize("name", list(ERRORS))
async def test_errors_are_the_same_type_and_message(monitor: Monitor, name: str) -> None:
    call, error, message = ERRORS[name]
    with pytest.raises(error) as info:
        await call(monitor)
    assert info.value.message == message


async def test_seeded_values(monitor: Monitor) -> None:
    logs = await monitor.aggregation_logs(LogQuery(page_size=10))
    assert logs.pagination.total == LOG_ROWS and logs.pagination.total_pages == 4
    assert [r.id for r in logs.data][:2] == [f"log-{LOG_ROWS - 1:03d}", f"log-{LOG_ROWS - 2:03d}"]
    failed = await monitor.failed_jobs()
    assert sorted(j.id for j in failed.data) == sorted(FAILED_JOBS)
    assert all(j.error_message == "canary asked to fail" for j in failed.data)
    detail = await monitor.job("maintenance", FAILED_JOBS[0])
    assert detail.kwargs == {"fail": True} and "RuntimeError" in (detail.error_stack or "")
    # Its attempts, the last one failed with the error and what the canary logged.
    assert len(detail.attempts) == detail.attempts_made >= 1
    last = detail.attempts[-1]
    assert (last.outcome, last.error) == ("failed", "canary asked to fail")
    assert "failing as asked" in (last.log or "") and last.pid is not None
    assert last.wait_seconds is not None and last.run_seconds is not None
    stats = await monitor.notification_stats()
    assert stats.delivery.waiting == 2
    assert stats.digest.next_daily_run is not None and stats.digest.last_daily_run is None
    health = await monitor.health()
    assert health.healthy is False and health.groups["blog"].scheduled_jobs == 2
    assert list(health.groups) == [
        "email",
        "blog",
        "notifications",
        "search",
        "analytics",
        "previews",
        "maintenance",
    ]
    previews = await monitor.previews()
    assert {p.status for p in previews.data} == {"ready", "failed", "generating"}
    assert all(p.type in ("VIDEO", "AUDIO") for p in previews.data)
    assert monitor.SUPPORTS_RETRY is True
    history = await monitor.history()
    (canary,) = history.series
    assert (canary.queue, canary.task, canary.runs, canary.failures) == (
        "maintenance",
        "canary",
        len(OK_JOBS) + len(FAILED_JOBS),
        len(FAILED_JOBS),
    )
    assert history.end.minute == 1 and len(canary.completed) == 60
    # Never a bucket's bound above the slowest run: p95 of 4 runs is the slowest, exactly;
    # p50 an estimate under it. Both ends compute them from this same answer.
    p50, p95 = (
        percentile(canary.histogram, history.bounds_ms, q, canary.max_ms) for q in (0.5, 0.95)
    )
    assert p95 == (canary.max_ms, True)
    assert p50 is not None and not p50.exact and p50.ms <= canary.max_ms


async def test_latency_values(monitor: Monitor) -> None:
    """The canaries' attempts, each a wait and a run sample of maintenance/canary, read
    back exact (the seeded hour keeps every sample) and never above the maximum."""
    attempts = []
    for job_id in OK_JOBS + FAILED_JOBS:
        attempts += (await monitor.job("maintenance", job_id)).attempts
    latency = await monitor.latency("maintenance")
    rows = {r.task: r for r in latency.rows}
    assert set(rows) == {None, "canary"}
    for row in rows.values():
        assert row.wait.count == row.run.count == len(attempts)
        for stats in (row.wait, row.run):
            for q in (0.5, 0.95, 0.99):
                fig = stats.at(q)
                assert fig is not None and fig.exact and fig.ms <= stats.max_ms
    longest = max(a.run_seconds for a in attempts) * 1000
    assert abs(rows["canary"].run.max_ms - longest) <= 1.0
    (flow,) = latency.flow
    assert sum(flow.throughput) == len(attempts)
    share = await monitor.latency_share("maintenance", "run", 0.001, 24 * 60)
    assert share.count == len(attempts) and share.over == len(attempts) and share.exact
