"""A backfill's preview through each backend lists exactly the periods the aggregation
log says are missing (or failed), checked against the log read directly; a real run
starts one job holding those runs, oldest first, and one audit record; read-only
backends refuse with the contract's 403 body, recorded."""

from __future__ import annotations

import json
from datetime import date, timedelta

import httpx
import pytest
from servers import fixed_clock, local_settings, remote_settings, seeded_profile, serve_on_loopback
from sqlalchemy import select

from ygmon.config import LocalProfile
from ygmon.db import Database
from ygmon.db.models.aggregation_log import MetricsAggregationJobsLog as Log
from ygmon.errors import InvalidQueryError, NotFoundError, ReadOnlyError
from ygmon.jobs.registry.store import make_store
from ygmon.monitor.backfill_schemas import BackfillMode, BackfillRequest
from ygmon.monitor.factory import make_monitor
from ygmon.monitor.protocol import Monitor

FIRST, LAST = date(2026, 1, 1), date(2026, 1, 31)


async def _logged_daily(url: str) -> dict[date, str]:
    """Each day's last logged daily run, read from the log itself."""
    db = Database(url)
    try:
        async with db.reader() as s:
            rows = await s.execute(
                select(Log.period_start_date, Log.status)
                .where(Log.job_type == "daily")
                .order_by(Log.started_at, Log.id)
            )
            return {day: str(status) for day, status in rows}
    finally:
        await db.dispose()


def _days() -> list[date]:
    return [FIRST + timedelta(days=n) for n in range((LAST - FIRST).days + 1)]


@pytest.mark.parametrize("mode", [BackfillMode.MISSING, BackfillMode.FAILED])
async def test_preview_lists_what_the_log_says(
    monitor: Monitor, seeded: LocalProfile, mode: BackfillMode
) -> None:
    logged = await _logged_daily(seeded.database_url)
    missing = {d for d in _days() if d not in logged}
    failed = {d for d in _days() if logged.get(d) == "FAILED"}
    assert missing and failed  # the seed has both in the range
    request = BackfillRequest(name="aggregate-daily", first=FIRST, last=LAST, mode=mode)
    plan = await monitor.backfill(request, dry_run=True)
    assert plan.dry_run and plan.job_id is None and plan.level == "daily"
    assert [s.period_start.date() for s in plan.slots] == _days()
    runs = {s.period_start.date() for s in plan.slots if s.action == "run"}
    assert runs == (missing if mode is BackfillMode.MISSING else missing | failed)
    assert plan.to_run == len(runs)
    states = {s.period_start.date(): s.state.value for s in plan.slots}
    assert all(states[d] == "missing" for d in missing)
    assert all(states[d] == "failed" for d in failed)


async def test_bad_requests(monitor: Monitor) -> None:
    with pytest.raises(NotFoundError, match="Schedule not found"):
        await monitor.backfill(BackfillRequest(name="digest-daily", first=FIRST, last=LAST))
    with pytest.raises(InvalidQueryError):
        await monitor.backfill(BackfillRequest(name="aggregate-daily", first=LAST, last=FIRST))
    with pytest.raises(InvalidQueryError):  # more hours than one backfill takes
        request = BackfillRequest(name="aggregate-hourly", first=date(2025, 1, 1), last=LAST)
        await monitor.backfill(request)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> LocalProfile:
    return seeded_profile(tmp_path_factory.mktemp("backfill"))


@pytest.mark.parametrize("kind", ["local", "remote"])
async def test_a_real_run_starts_one_job_oldest_first(fresh: LocalProfile, kind: str) -> None:
    first = date(2026, 1, 1) if kind == "local" else date(2026, 1, 16)
    request = BackfillRequest(
        name="aggregate-daily", first=first, last=first + timedelta(days=14), max_running=3
    )
    with serve_on_loopback(fresh, clock=fixed_clock) as (base_url, token):
        settings = local_settings(fresh) if kind == "local" else remote_settings(base_url, token)
        monitor = make_monitor(settings, clock=fixed_clock)
        try:
            plan = await monitor.backfill(request, dry_run=False)
            assert not plan.dry_run and plan.job_id and plan.max_running == 3
            store = make_store(fresh.broker_url, fresh.namespace)
            try:
                job = store.get(plan.job_id)
            finally:
                store.close()
            assert job["task"] == "backfill" and job["state"] == "waiting"
            kwargs = json.loads(job["kwargs"])
            wanted = [s.period_start.date().isoformat() for s in plan.slots if s.action == "run"]
            assert [r["date"] for r in kwargs["runs"]] == wanted == sorted(wanted)
            assert kwargs["name"] == "aggregate-daily" and kwargs["max_running"] == 3
            records = [r for r in (await monitor.audit_log()).data if r.action == "backfill"]
            assert f"{len(wanted)} runs, at most 3 at once, job {plan.job_id}" in records[0].target
        finally:
            await monitor.close()


async def test_read_only_backends_refuse_backfill(fresh: LocalProfile) -> None:
    request = BackfillRequest(name="aggregate-weekly", first=FIRST, last=LAST)
    with serve_on_loopback(fresh, read_only=True) as (base_url, token):
        local = make_monitor(local_settings(fresh.replace(read_only=True)))
        client_ro = make_monitor(remote_settings(base_url, token, read_only=True))
        try:
            for monitor in (local, client_ro):
                with pytest.raises(ReadOnlyError, match="read-only"):
                    await monitor.backfill(request, dry_run=False)
                assert (await monitor.backfill(request)).dry_run  # a preview still answers
            response = httpx.post(
                f"{base_url}/api/admin/jobs/schedules/aggregate-weekly/backfill",
                json={"from": "2026-01-01", "to": "2026-01-31", "dryRun": False},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert response.status_code == 403
            assert response.json() == {
                "success": False,
                "error": "Backfill is disabled: this backend is read-only",
            }
            records = [r for r in (await local.audit_log()).data if r.action == "backfill"]
            assert [r.outcome for r in records if "aggregate-weekly" in r.target] == [
                "refused",
                "refused",
            ]
        finally:
            await local.close()
            await client_ro.close()
