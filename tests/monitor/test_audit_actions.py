"""Every operator action of issue 14 (and the live controls of issue 26) leaves exactly
one audit record with its actor, over the local and the remote backend (the API records
the token's subject) on both storages; a dry run changes nothing and records nothing."""

from __future__ import annotations

import getpass
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from servers import admin_token, fixed_clock, local_settings, remote_settings

from ygmon.config import LocalProfile
from ygmon.monitor.audit_schemas import AuditRecord
from ygmon.monitor.factory import make_monitor
from ygmon.monitor.job_search_schemas import BulkSelection
from ygmon.monitor.protocol import Monitor

SSH = "198.51.100.4 40022 10.0.0.5 22"

Action = Callable[[Monitor], Awaitable[Any]]

ACTIONS: dict[str, tuple[Action, str | Callable[[Any], str]]] = {
    "pause": (lambda m: m.pause_queue("email"), "email"),
    "resume": (lambda m: m.resume_queue("email"), "email"),
    "trigger": (lambda m: m.trigger_schedule("sweep-retention"), "sweep-retention"),
    "limit": (lambda m: m.set_queue_limit("email", 2, "host"), "email/2/host"),
    "clear-limit": (lambda m: m.clear_queue_limit("email"), "email"),
    "pause-task": (lambda m: m.pause_task("canary"), "canary"),
    "resume-task": (lambda m: m.resume_task("canary"), "canary"),
    "rate": (lambda m: m.set_task_rate("canary", 60), "canary/60"),
    "clear-rate": (lambda m: m.clear_task_rate("canary"), "canary"),
    "bulk-retry": (
        lambda m: m.bulk_retry(BulkSelection(queue_name="maintenance"), dry_run=False),
        # The jobs it took, counted before (an earlier case may have retried them).
        lambda done: f"{done.matched} failed job{'' if done.matched == 1 else 's'} in maintenance",
    ),
    "bulk-discard": (
        lambda m: m.bulk_discard(BulkSelection(queue_name="email"), dry_run=False),
        lambda done: f"{done.matched} failed job{'' if done.matched == 1 else 's'} in email",
    ),
}


async def _records(monitor: Monitor) -> list[AuditRecord]:
    return (await monitor.audit_log(page=1, page_size=100)).data


@pytest.mark.parametrize("kind", ["local", "remote"])
@pytest.mark.parametrize("action", sorted(ACTIONS))
async def test_each_action_leaves_one_record_with_its_actor(
    seeded: LocalProfile,
    server: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    action: str,
) -> None:
    monkeypatch.setenv("SSH_CONNECTION", SSH)
    base_url, _token = server
    if kind == "local":
        monitor = make_monitor(local_settings(seeded), clock=fixed_clock)
        expected_actor = (getpass.getuser(), "local", "198.51.100.4")
    else:
        token = admin_token(seeded, user="ops-grace")
        monitor = make_monitor(remote_settings(base_url, token))
        expected_actor = ("ops-grace", "api", "127.0.0.1")
    run, target = ACTIONS[action]
    try:
        before = await _records(monitor)
        result = await run(monitor)
        after = await _records(monitor)
        assert len(after) == len(before) + 1, "exactly one record per action"
        record = after[0]
        assert (record.actor, record.actor_kind, record.address) == expected_actor
        if callable(target):
            target = target(result)
        assert (record.action, record.target, record.outcome) == (action, target, "ok")
        if action == "pause":
            # The pause names who paused as its audit record does.
            assert result.paused_by == f"{expected_actor[0]}@{expected_actor[2]}"
            await monitor.resume_queue("email")
        # The live controls name who set them as the audit record does.
        if action == "limit":
            assert result.set_by == f"{expected_actor[0]}@{expected_actor[2]}"
        if action == "pause-task":
            assert result.paused_by == f"{expected_actor[0]}@{expected_actor[2]}"
            await monitor.resume_task("canary")  # a pause keeps its first author
        if action == "rate":
            assert result.rate_set_by == f"{expected_actor[0]}@{expected_actor[2]}"
    finally:
        await monitor.close()


@pytest.mark.parametrize("kind", ["local", "remote"])
async def test_a_dry_run_records_nothing(
    seeded: LocalProfile, server: tuple[str, str], kind: str
) -> None:
    settings = local_settings(seeded) if kind == "local" else remote_settings(*server)
    monitor = make_monitor(settings, clock=fixed_clock if kind == "local" else None)
    try:
        before = await _records(monitor)
        for bulk in (monitor.bulk_retry, monitor.bulk_discard):
            await bulk(BulkSelection(queue_name="maintenance"), dry_run=True)
        assert await _records(monitor) == before
    finally:
        await monitor.close()
