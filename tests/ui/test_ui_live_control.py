"""Live control on the Queues screen, as a user presses it, over the local and the
remote backend: `C` sets, changes and clears the selected queue's limit (a value out of
bounds is refused in the dialog, nothing sent), `T` pauses and resumes one of its tasks
and sets and clears its rate; the table and the lines under it show each control and
what it holds back; on a read-only backend `C` and `T` are hidden. Snapshots of the
screen and both dialogs at 80x24 and 120x40."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from conftest import (
    NEVER_FIXED,
    NOW,
    backend_settings,
    build_app,
    frozen_clock,
    local_settings,
    make_profile,
    remote_settings,
    seed_jobs,
)
from pilot_helpers import keys_then_settle, select_row, settle, wait_until
from servers import serve_on_loopback
from textual.pilot import Pilot
from textual.widgets import Input, Label, Static

from ygmon.config import LocalProfile
from ygmon.jobs.registry import live_controls
from ygmon.jobs.registry.store import make_store
from ygmon.jobs.runtime import open_runtime
from ygmon.monitor.factory import make_monitor
from ygmon.screens.limit_dialog import LimitDialog
from ygmon.screens.queues import QueuesScreen
from ygmon.screens.task_dialog import TaskDialog
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.app_footer import AppFooter
from ygmon.widgets.keyed_table import KeyedTable

SIZES = [(80, 24), (120, 40)]
SIZE_IDS = ["80x24", "120x40"]
TO_MAINTENANCE = ("down",) * 12
"""From the first row of the Queues table to its last, maintenance."""


def seed_controls(profile: LocalProfile) -> None:
    """maintenance at most 1 active across the deployment, with one canary running and
    three waiting behind it; email at most 2 per host; canary paused and enrich-events
    at most 60 a minute, all set by ops five minutes before NOW."""
    at = (NOW - timedelta(minutes=5)).timestamp()
    with open_runtime(profile, clock=frozen_clock) as rt:
        waiting = [rt.enqueue("canary", job_id=f"wait-{n}") for n in range(4)]
        rt.registry.store.move(
            waiting[0],
            "active",
            {"worker_id": "w-1", "started_at": str(at), "attempts_made": "1"},
        )
    store = make_store(profile.broker_url, profile.namespace)
    try:
        live_controls.set_limit(store, "maintenance", 1, "deployment", at, "ops")
        live_controls.set_limit(store, "email", 2, "host", at, "ops")
        live_controls.pause_task(store, "canary", at, "ops")
        live_controls.set_rate(store, "enrich-events", 60, at, "ops")
    finally:
        store.close()


@pytest.fixture(scope="module")
def controls_profile(tmp_path_factory: pytest.TempPathFactory) -> LocalProfile:
    profile = make_profile(tmp_path_factory.mktemp("ui-controls"))
    seed_jobs(profile, NEVER_FIXED)
    seed_controls(profile)
    return profile


def _app(profile: LocalProfile):
    return build_app(local_settings(profile), UiConfig.frozen(NOW), target="local: controls")


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize(
    "pressed",
    [("2",), ("2", *TO_MAINTENANCE, "C"), ("2", *TO_MAINTENANCE, "T")],
    ids=["queues", "limit", "tasks"],
)
def test_live_controls_snapshots(snap_compare, controls_profile, pressed, size) -> None:
    assert snap_compare(
        _app(controls_profile), terminal_size=size, run_before=keys_then_settle(*pressed)
    )


async def test_the_screen_says_what_each_control_holds_back(controls_profile) -> None:
    app = _app(controls_profile)
    async with app.run_test(size=(120, 40)) as pilot:
        await keys_then_settle("2")(pilot)
        table = app.screen.query_one(KeyedTable)
        assert str(table.get_row("maintenance")[3]) == "1/1"
        assert str(table.get_row("email")[3]) == "0/2h"  # per host, and no host serves it
        assert str(table.get_row("notification-delivery")[3]) == "0"
        lines = str(app.screen.query_one("#live-controls", Static).render()).splitlines()
        assert lines == [
            "limit   email ≤ 2 active per host (0 hosts): 0 active",
            "limit   maintenance ≤ 1 active across hosts: 1 active, 3 waiting held back",
            "paused  canary (maintenance) 5m ago by ops: 3 waiting",
            "rate    enrich-events ≤ 60/min: 0 started in the last minute",
        ]


# --- keys, over both backends -----------------------------------------------------


@pytest.fixture
def bare_profile(tmp_path: Path) -> LocalProfile:
    """An empty registry this test alone changes."""
    return make_profile(tmp_path)


def _lines(app) -> str:
    return str(app.screen.query_one("#live-controls", Static).render())


async def _press(pilot: Pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await pilot.pause()
    await settle(pilot)


async def _open(pilot: Pilot, key: str, dialog: type) -> None:
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, dialog))
    await settle(pilot)


async def test_c_sets_changes_and_clears_the_selected_queue_s_limit(bare_profile, backend) -> None:
    with backend_settings(backend, bare_profile) as settings:
        app = build_app(settings, UiConfig.frozen(NOW))
        reader = make_monitor(local_settings(bare_profile), clock=frozen_clock)
        try:
            async with app.run_test(size=(80, 24)) as pilot:
                await keys_then_settle("2")(pilot)
                assert isinstance(app.screen, QueuesScreen)
                assert (
                    _lines(app)
                    == "No queue limit, paused task or rate. C limits a queue, T its tasks."
                )
                select_row(app, "email")
                await _open(pilot, "C", LimitDialog)
                # Out of bounds: said in the dialog, nothing sent.
                await _press(pilot, "0", "enter")
                assert isinstance(app.screen, LimitDialog)
                error = str(app.screen.query_one("#limit-value-error", Label).render())
                assert error == "Number must be between 1 and 1000"
                assert (await reader.live_controls()).limits == []
                await _press(pilot, "backspace", "3", "enter")
                await wait_until(pilot, lambda: isinstance(app.screen, QueuesScreen))
                await settle(pilot)
                (limit,) = (await reader.live_controls()).limits
                assert (limit.queue, limit.limit, limit.scope) == ("email", 3, "deployment")
                assert str(app.screen.query_one(KeyedTable).get_row("email")[3]) == "0/3"
                assert "limit   email ≤ 3 active across hosts: 0 active" in _lines(app)

                # Again: the dialog holds the limit; 2 on each host, chosen by keys.
                await _open(pilot, "C", LimitDialog)
                assert app.screen.query_one("#limit-value", Input).value == "3"
                await _press(pilot, "backspace", "2", "tab", "enter", "down", "enter")
                await _press(pilot, "shift+tab", "enter")
                await wait_until(pilot, lambda: isinstance(app.screen, QueuesScreen))
                await settle(pilot)
                (limit,) = (await reader.live_controls()).limits
                assert (limit.limit, limit.scope) == (2, "host")
                assert "email ≤ 2 active per host (0 hosts)" in _lines(app)

                await _open(pilot, "C", LimitDialog)
                await pilot.click("#limit-clear")
                await wait_until(pilot, lambda: isinstance(app.screen, QueuesScreen))
                await settle(pilot)
                assert (await reader.live_controls()).limits == []
                assert str(app.screen.query_one(KeyedTable).get_row("email")[3]) == "0"
                said = [n.message for n in app._notifications]
                assert "Queue email: no limit." in said
        finally:
            await reader.close()


async def test_t_pauses_resumes_and_rate_limits_a_task(bare_profile, backend) -> None:
    with backend_settings(backend, bare_profile) as settings:
        app = build_app(settings, UiConfig.frozen(NOW))
        reader = make_monitor(local_settings(bare_profile), clock=frozen_clock)

        async def canary():
            return (await reader.live_controls()).task("canary")

        try:
            async with app.run_test(size=(120, 40)) as pilot:
                await keys_then_settle("2")(pilot)
                select_row(app, "maintenance")
                await _open(pilot, "T", TaskDialog)
                # The queue's tasks in the list: backfill, canary, sweep-retention.
                await _press(pilot, "enter", "down", "enter")
                assert app.screen.chosen.task == "canary"
                await _press(pilot, "tab", "tab", "enter")  # past the rate: Pause task
                await wait_until(pilot, lambda: isinstance(app.screen, QueuesScreen))
                await settle(pilot)
                assert (await canary()).paused
                assert "paused  canary (maintenance) 0s ago by " in _lines(app)

                # Paused, canary is the task the dialog begins with.
                await _open(pilot, "T", TaskDialog)
                assert app.screen.chosen.task == "canary"
                assert str(app.screen.query_one("#task-pause").label) == "Resume task"
                await _press(pilot, "tab", "3", "0", "enter")  # the rate, then enter
                await wait_until(pilot, lambda: isinstance(app.screen, QueuesScreen))
                await settle(pilot)
                assert (await canary()).per_minute == 30
                assert "rate    canary ≤ 30/min: 0 started in the last minute" in _lines(app)

                await _open(pilot, "T", TaskDialog)
                assert app.screen.query_one("#task-rate", Input).value == "30"
                await pilot.click("#task-clear-rate")
                await wait_until(pilot, lambda: isinstance(app.screen, QueuesScreen))
                await _open(pilot, "T", TaskDialog)
                await pilot.click("#task-pause")  # now Resume task
                await wait_until(pilot, lambda: isinstance(app.screen, QueuesScreen))
                await settle(pilot)
                done = await canary()
                assert not done.paused and done.per_minute is None
                assert "No queue limit, paused task or rate." in _lines(app)
                actions = [r.action for r in (await reader.audit_log()).data]
                assert actions == ["resume-task", "clear-rate", "rate", "pause-task"]
        finally:
            await reader.close()


@pytest.mark.parametrize("kind", ["local", "remote"])
async def test_read_only_hides_c_and_t(bare_profile, kind: str) -> None:
    async def check(app) -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await keys_then_settle("2")(pilot)
            select_row(app, "email")
            for key in ("C", "T"):
                await pilot.press(key)
                await settle(pilot)
                assert isinstance(app.screen, QueuesScreen)
            shown = {b.binding.key for b in app.screen.active_bindings.values() if b.enabled}
            assert "P" in shown and not {"C", "T"} & shown
            keys = {k.description for k in app.screen.query_one(AppFooter).keys}
            assert "Pause queue" in keys and not {"Limit", "Tasks"} & keys, keys
            assert _lines(app) == "No queue limit, paused task or rate."

    if kind == "local":
        ro = bare_profile.replace(read_only=True)
        await check(build_app(local_settings(ro), UiConfig.frozen(NOW)))
    else:
        with serve_on_loopback(bare_profile, read_only=True, clock=frozen_clock) as served:
            await check(build_app(remote_settings(*served), UiConfig.frozen(NOW)))
    reader = make_monitor(local_settings(bare_profile))
    try:
        assert (await reader.live_controls()).limits == []
    finally:
        await reader.close()


async def test_a_live_remote_app_shows_a_change_from_elsewhere_through_the_stream(
    bare_profile,
) -> None:
    """A control set by another client (here the command line's monitor) reaches the
    remote app on the server's stream (the liveControls topic), with no key pressed."""
    with serve_on_loopback(bare_profile, clock=frozen_clock) as served:
        app = build_app(remote_settings(*served), UiConfig(), live=True)
        other = make_monitor(local_settings(bare_profile), clock=frozen_clock)
        try:
            async with app.run_test(size=(120, 40)) as pilot:
                await keys_then_settle("2")(pilot)
                assert "No queue limit" in _lines(app)
                await other.set_queue_limit("search-index-update", 4)
                await other.pause_task("deliver-notification")
                await wait_until(pilot, lambda: "search-index-update ≤ 4" in _lines(app), 20)
                await wait_until(pilot, lambda: "paused  deliver-notification" in _lines(app), 20)
                row = app.screen.query_one(KeyedTable).get_row("search-index-update")
                assert str(row[3]) == "0/4"
        finally:
            await other.close()
