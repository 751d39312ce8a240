"""Live control through the Monitor, over LocalMonitor and RemoteMonitor (a real `ygmon
serve` on loopback) on SQLite and on Postgres + Redis: a queue's limit, a paused task
and a task's rate round-trip and list the same through both; unknown names and values
out of bounds are the contract's errors; a read-only backend refuses every change and
the audit records each refusal."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from read_only_monitors import read_only_monitors
from servers import (
    FIXED_NOW,
    local_settings,
    remote_settings,
    serve_on_loopback,
    sqlite_profile,
)

from ygmon.config import LocalProfile
from ygmon.errors import InvalidQueryError, NotFoundError, ReadOnlyError
from ygmon.jobs.runtime import open_runtime
from ygmon.monitor.factory import make_monitor
from ygmon.monitor.live_control_schemas import LimitState
from ygmon.monitor.protocol import Monitor

Call = Callable[[Monitor], Awaitable[Any]]


async def test_each_control_round_trips_and_lists(monitor: Monitor) -> None:
    limit = await monitor.set_queue_limit("email", 3, "host")
    assert (limit.queue, limit.limit, limit.scope, limit.set_at) == ("email", 3, "host", FIXED_NOW)
    assert limit.set_by
    paused = await monitor.pause_task("canary")
    assert (paused.task, paused.queue, paused.paused, paused.paused_at) == (
        "canary",
        "maintenance",
        True,
        FIXED_NOW,
    )
    assert paused.per_minute is None and paused.waiting is None
    rated = await monitor.set_task_rate("enrich-events", 60)
    assert (rated.queue, rated.per_minute, rated.rate_set_at) == (
        "analytics-enrichment",
        60,
        FIXED_NOW,
    )
    try:
        listed = await monitor.live_controls()
        assert listed.limits == [limit]
        canary = listed.task("canary")
        assert canary is not None and canary.paused and canary.paused_by == paused.paused_by
        assert (canary.waiting, canary.waiting_exact) == (0, True)
        enrich = listed.task("enrich-events")
        assert enrich is not None and (enrich.per_minute, enrich.last_minute) == (60, 0)
        # Every task a worker runs is listed, the periodic retention sweep too, in queue order.
        names = [t.task for t in listed.tasks]
        assert {"canary", "deliver-notification", "sweep-retention", "backfill"} <= set(names)
        assert names.index("deliver-notification") < names.index("canary")
        untouched = listed.task("deliver-notification")
        assert untouched is not None and not untouched.paused and untouched.waiting is None
    finally:
        assert await monitor.clear_queue_limit("email") == LimitState(queue="email")
        resumed = await monitor.resume_task("canary")
        assert not resumed.paused and resumed.paused_at is None
        cleared = await monitor.clear_task_rate("enrich-events")
        assert cleared.per_minute is None
    after = await monitor.live_controls()
    assert after.limits == [] and not any(t.paused or t.per_minute for t in after.tasks)


async def test_a_paused_task_counts_its_waiting_jobs_through_both(
    pair: tuple[Monitor, Monitor], seeded: LocalProfile
) -> None:
    local, remote = pair
    with open_runtime(seeded) as runtime:  # no worker serves maintenance: they wait
        waiting = [runtime.enqueue("canary") for _ in range(3)]
    try:
        await local.pause_task("canary")
        await local.set_queue_limit("maintenance", 2)
        await local.set_task_rate("canary", 30)
        mine, theirs = await local.live_controls(), await remote.live_controls()
        assert mine.to_json() == theirs.to_json()
        canary = mine.task("canary")
        assert canary is not None and (canary.waiting, canary.waiting_exact) == (3, True)
        assert canary.last_minute == 0
        assert [(lim.queue, lim.limit, lim.scope) for lim in mine.limits] == [
            ("maintenance", 2, "deployment")
        ]
    finally:
        await local.resume_task("canary")
        await local.clear_queue_limit("maintenance")
        await local.clear_task_rate("canary")
        with open_runtime(seeded) as runtime:
            for job_id in waiting:
                runtime.registry.store.move(job_id, "cancelled", {}, allowed_from=None)


ERRORS: dict[str, tuple[Call, type[Exception], str, list[str] | None]] = {
    "limit_unknown_queue": (
        lambda m: m.set_queue_limit("no-such-queue", 2),
        NotFoundError,
        "Queue not found",
        None,
    ),
    "clear_limit_unknown_queue": (
        lambda m: m.clear_queue_limit("no-such-queue"),
        NotFoundError,
        "Queue not found",
        None,
    ),
    "pause_unknown_task": (lambda m: m.pause_task("nope"), NotFoundError, "Task not found", None),
    "resume_unknown_task": (lambda m: m.resume_task("nope"), NotFoundError, "Task not found", None),
    "rate_unknown_task": (
        lambda m: m.set_task_rate("nope", 5),
        NotFoundError,
        "Task not found",
        None,
    ),
    "clear_rate_unknown_task": (
        lambda m: m.clear_task_rate("nope"),
        NotFoundError,
        "Task not found",
        None,
    ),
    "limit_zero": (
        lambda m: m.set_queue_limit("email", 0),
        InvalidQueryError,
        "Invalid query parameters",
        ["limit"],
    ),
    "limit_absurd": (
        lambda m: m.set_queue_limit("email", 10**9),
        InvalidQueryError,
        "Invalid query parameters",
        ["limit"],
    ),
    "limit_scope": (
        lambda m: m.set_queue_limit("email", 2, "planet"),
        InvalidQueryError,
        "Invalid query parameters",
        ["scope"],
    ),
    "rate_negative": (
        lambda m: m.set_task_rate("canary", -1),
        InvalidQueryError,
        "Invalid query parameters",
        ["perMinute"],
    ),
    "rate_absurd": (
        lambda m: m.set_task_rate("canary", 10**12),
        InvalidQueryError,
        "Invalid query parameters",
        ["perMinute"],
    ),
}


@pytest.mark.parametrize("name", list(ERRORS))
async def test_errors_are_the_contract_s_through_both(
    pair: tuple[Monitor, Monitor], name: str
) -> None:
    call, error, message, field = ERRORS[name]
    raised = []
    for monitor in pair:
        with pytest.raises(error) as info:
            await call(monitor)
        assert info.value.message == message
        raised.append(getattr(info.value, "details", None))
    local_details, remote_details = raised
    assert local_details == remote_details
    if field is not None:
        assert [issue["path"] for issue in local_details] == [field]
    assert (await pair[0].live_controls()).limits == []


@pytest.fixture
def fresh(tmp_path: Path) -> LocalProfile:
    return sqlite_profile(tmp_path)


async def test_last_minute_counts_the_starts_the_rate_counts(fresh: LocalProfile) -> None:
    """A rate of 3 a minute and four canaries: three start, the fourth is held back, and
    both monitors say 3 started in the last minute (what the rate compares with)."""
    from ygmon.jobs.worker import in_process_worker

    with serve_on_loopback(fresh) as (base_url, token):
        local = make_monitor(local_settings(fresh))
        remote = make_monitor(remote_settings(base_url, token))
        try:
            await local.set_task_rate("canary", 3)
            with (
                open_runtime(fresh) as rt,
                in_process_worker(fresh, ["maintenance"], runtime=rt),
            ):
                ids = [rt.enqueue("canary") for _ in range(4)]

                def states() -> list[str | None]:
                    return [(rt.registry.store.get(i) or {}).get("state") for i in ids]

                deadline = time.monotonic() + 30
                while states().count("completed") < 3:
                    assert time.monotonic() < deadline, states()
                    await asyncio.sleep(0.1)
                assert states().count("waiting") == 1, states()
                for monitor in (local, remote):
                    canary = (await monitor.live_controls()).task("canary")
                    assert canary is not None
                    assert (canary.per_minute, canary.last_minute) == (3, 3)
        finally:
            await local.close()
            await remote.close()


ACTIONS: list[tuple[str, Call, str]] = [
    ("Limit", lambda m: m.set_queue_limit("email", 2), "limit"),
    ("Clear limit", lambda m: m.clear_queue_limit("email"), "clear-limit"),
    ("Pause task", lambda m: m.pause_task("canary"), "pause-task"),
    ("Resume task", lambda m: m.resume_task("canary"), "resume-task"),
    ("Rate", lambda m: m.set_task_rate("canary", 60), "rate"),
    ("Clear rate", lambda m: m.clear_task_rate("canary"), "clear-rate"),
]


async def test_read_only_backends_refuse_every_change_and_the_audit_records_it(
    fresh: LocalProfile,
) -> None:
    async with read_only_monitors(fresh) as (local_ro, server_ro, client_ro):
        for word, act, _action in ACTIONS:
            for monitor, where in (
                (local_ro, "backend"),
                (server_ro, "backend"),
                (client_ro, "profile"),
            ):
                with pytest.raises(ReadOnlyError) as info:
                    await act(monitor)
                assert info.value.message == f"{word} is disabled: this {where} is read-only"
        records = (await local_ro.audit_log(page_size=100)).data
        # The backend records its own refusals and the server's; a read-only client
        # refuses before asking, so nothing of its reaches the audit.
        for _word, _act, action in ACTIONS:
            mine = [(r.actor_kind, r.outcome) for r in records if r.action == action]
            assert sorted(mine) == [("api", "refused"), ("local", "refused")], action
        listed = await server_ro.live_controls()  # reading stays allowed
        assert listed.limits == [] and not any(t.paused for t in listed.tasks)
