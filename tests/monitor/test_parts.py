"""LocalMonitor's parts stand on what their protocols declare (ygmon.monitor.local_access,
ygmon.monitor.alerts): each is built here over an object holding only those members of
a real LocalMonitor, so a part reaching for anything else of it fails with
AttributeError. And no part, screen or monitor quiets the type checker about attributes
it cannot see."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from servers import FAILED_JOBS, fixed_clock, seeded_profile

import ygmon
from ygmon.config import LocalProfile
from ygmon.jobs.schedule_runs import periodic_tasks
from ygmon.monitor.alerts import Alerts
from ygmon.monitor.audit import AuditTrail
from ygmon.monitor.job_ops import LocalJobOps
from ygmon.monitor.job_search_schemas import BulkSelection
from ygmon.monitor.live_control import LocalLiveControl
from ygmon.monitor.local import LocalMonitor
from ygmon.monitor.queue_control import LocalQueueControl


def only(monitor: LocalMonitor, *names: str) -> SimpleNamespace:
    """The named members of `monitor` and nothing else."""
    return SimpleNamespace(**{name: getattr(monitor, name) for name in names})


@pytest.fixture
def seeded(tmp_path: Path) -> LocalProfile:
    return seeded_profile(tmp_path)


async def test_job_ops_and_the_audit_trail_need_only_their_protocols(seeded) -> None:
    monitor = LocalMonitor(seeded, fixed_clock)
    try:
        trail = AuditTrail(only(monitor, "database", "read"), fixed_clock)
        ops = LocalJobOps(only(monitor, "in_registry"), trail, read_only=False)
        groups = await ops.failure_groups("maintenance")
        assert groups == await monitor.failure_groups("maintenance")
        assert sum(g.count for g in groups) == len(FAILED_JOBS)
        selection = BulkSelection(queue_name="maintenance")
        done = await ops.bulk_discard(selection, dry_run=False)
        assert (done.matched, done.discarded) == (len(FAILED_JOBS), len(FAILED_JOBS))
        (record,) = (await trail.audit_log()).data
        assert (record.action, record.target, record.outcome) == (
            "bulk-discard",
            f"{len(FAILED_JOBS)} failed jobs in maintenance",
            "ok",
        )
        assert (await monitor.audit_log()).data == [record]
    finally:
        await monitor.close()


async def test_queue_control_needs_only_the_registry_and_the_runtime(seeded) -> None:
    monitor = LocalMonitor(seeded, fixed_clock)
    try:
        trail = AuditTrail(only(monitor, "database", "read"), fixed_clock)
        control = LocalQueueControl(
            only(monitor, "in_registry", "in_runtime"), trail, False, seeded.schedule_grace
        )
        assert (await control.pause_queue("maintenance")).paused
        paused = {q.name: q.paused for q in await monitor.queues()}
        assert paused["maintenance"] is True
        assert not (await control.resume_queue("maintenance")).paused
        waiting = await control.oldest_waiting("notification-delivery")
        assert waiting is not None and waiting.id == "deliver-1"
        name = periodic_tasks()[0].task
        triggered = await control.trigger_schedule(name)
        assert (await monitor.job(triggered.queue, triggered.job_id)).id == triggered.job_id
        ran = {s.name: s for s in await control.schedules()}[name]
        assert (ran.last_job_id, ran.last_trigger) == (triggered.job_id, "manual")
        actions = [r.action for r in (await monitor.audit_log()).data]
        assert actions == ["trigger", "resume", "pause"]
    finally:
        await monitor.close()


async def test_live_control_needs_only_the_registry(seeded) -> None:
    monitor = LocalMonitor(seeded, fixed_clock)
    try:
        trail = AuditTrail(only(monitor, "database", "read"), fixed_clock)
        control = LocalLiveControl(only(monitor, "in_registry"), trail, read_only=False)
        assert (await control.set_queue_limit("email", 2)).limit == 2
        assert (await control.pause_task("canary")).paused
        assert (await control.set_task_rate("canary", 9)).per_minute == 9
        assert await control.live_controls() == await monitor.live_controls()
        await control.clear_queue_limit("email")
        await control.resume_task("canary")
        await control.clear_task_rate("canary")
        actions = [r.action for r in (await monitor.audit_log()).data]
        assert actions == [
            "clear-rate", "resume-task", "clear-limit", "rate", "pause-task", "limit"
        ]  # fmt: skip
    finally:
        await monitor.close()


async def test_alerts_judge_only_the_monitor_reads(seeded) -> None:
    monitor = LocalMonitor(seeded, fixed_clock)
    try:
        reads = only(monitor, "queues", "health", "schedules", "oldest_waiting", "history")
        rules = {
            "oldest_waiting": [{"queue": "notification-delivery", "minutes": 30}],
            "no_worker": [{"queue": "maintenance"}],
        }
        # The rules judge waits by the clock they are given: an hour on, the
        # deliveries seeded just now have waited too long.
        states = await Alerts(reads, rules, lambda: datetime.now(UTC) + timedelta(hours=1)).alerts()
        assert [(s.key, s.firing) for s in states] == [
            ("oldest_waiting:notification-delivery", True),
            ("no_worker:maintenance", True),
        ]
        assert not (await Alerts(reads, rules, lambda: datetime.now(UTC)).alerts())[0].firing
    finally:
        await monitor.close()


def test_no_attribute_is_hidden_from_the_type_checker() -> None:
    root = Path(ygmon.__file__).parent
    hidden = [
        f"{path.relative_to(root)}:{n}"
        for folder in ("monitor", "screens")
        for path in sorted((root / folder).rglob("*.py"))
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if "type: ignore[attr-defined]" in line
    ]
    assert hidden == []
