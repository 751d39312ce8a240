"""The operator screens and keys: Schedules (9), Alerts (0), pause and resume on the
Queues screen (P), trigger (t), the header's firing alerts with the bell and desktop
notification. Snapshots at a frozen time over a seeded registry; Pilot presses the
keys over the local and the remote backend."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from conftest import (
    FAILED_JOBS,
    NEVER_FIXED,
    NOW,
    OK_JOBS,
    backend_settings,
    build_app,
    frozen_clock,
    local_settings,
    make_profile,
    seed_jobs,
)
from pilot_helpers import select_row, settle, wait_until
from textual.pilot import Pilot

from ygmon.config import LocalProfile
from ygmon.jobs import schedule_runs
from ygmon.jobs.registry import ops_records
from ygmon.jobs.registry.store import make_store
from ygmon.monitor.factory import make_monitor
from ygmon.screens.alerts import AlertsScreen
from ygmon.screens.confirm_dialog import ConfirmDialog
from ygmon.screens.queues import QueuesScreen
from ygmon.screens.schedules import SchedulesScreen
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.app_header import AppHeader
from ygmon.widgets.keyed_table import KeyedTable

SIZES = [(80, 24), (120, 40)]
SIZE_IDS = ["80x24", "120x40"]
RULES = {
    "failure_rate": [{"queue": "maintenance", "above": 0.3, "min_jobs": 2}],
    "no_worker": [{"queue": "email"}, {"queue": "maintenance"}],
    "schedule_missed": [{"minutes": 30}],
    "paused_too_long": [{"queue": "email", "minutes": 20}],
}


def _at(delta: timedelta) -> float:
    return (NOW - delta).timestamp()


def seed_operations(profile: LocalProfile) -> None:
    """The schedule has run since 09:00 (NOW is 12:00): the digest at 09:00, publishing
    at 11:59, the retention sweep at 11:55, a reindex triggered by hand at 11:40 whose
    job failed; `email` has been paused for 25 minutes."""
    store = make_store(profile.broker_url, profile.namespace)
    try:
        schedule_runs.note_watching(store, _at(timedelta(hours=3)))
        runs = (
            ("digest-daily", timedelta(hours=3), OK_JOBS[0], "schedule"),
            ("publish-scheduled-posts", timedelta(minutes=1), OK_JOBS[1], "schedule"),
            ("sweep-retention", timedelta(minutes=5), "trimmed-long-ago", "schedule"),
            ("search-index-reindex", timedelta(minutes=20), FAILED_JOBS[0], "manual"),
        )
        for task, ago, job_id, trigger in runs:
            schedule_runs.record_run(store, task, _at(ago), job_id, trigger)
        ops_records.put(store, "paused", "email", {"at": _at(timedelta(minutes=25)), "by": "ops"})
    finally:
        store.close()


@pytest.fixture(scope="module")
def ops_profile(tmp_path_factory: pytest.TempPathFactory) -> LocalProfile:
    profile = make_profile(tmp_path_factory.mktemp("ui-ops"), alerts=RULES)
    seed_jobs(profile, NEVER_FIXED)
    seed_operations(profile)
    return profile


def _app(profile: LocalProfile):
    return build_app(local_settings(profile), UiConfig.frozen(NOW), target="local: ops")


def keys(*pressed: str):
    async def run(pilot: Pilot) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)

    return run


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("screen", ["9", "0", "2"], ids=["schedules", "alerts", "queues"])
def test_operator_screens(snap_compare, ops_profile, screen: str, size: tuple[int, int]) -> None:
    assert snap_compare(_app(ops_profile), terminal_size=size, run_before=keys(screen))


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_overview_marks_the_paused_queue(snap_compare, ops_profile, size) -> None:
    assert snap_compare(_app(ops_profile), terminal_size=size, run_before=keys())


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize(
    "pressed",
    [("2", "P"), ("2", "down", "down", "down", "down", "down", "down", "down", "down", "down",
                  "down", "P"), ("9", "down", "down", "t")],
    ids=["pause", "resume", "trigger"],
)  # fmt: skip
def test_operator_dialogs(snap_compare, ops_profile, pressed, size) -> None:
    assert snap_compare(_app(ops_profile), terminal_size=size, run_before=keys(*pressed))


# --- keys, over both backends -----------------------------------------------------


@pytest.fixture
def bare_profile(tmp_path: Path) -> LocalProfile:
    """An empty registry this test alone changes."""
    return make_profile(tmp_path, alerts={"paused_too_long": [{"queue": "email", "minutes": 0}]})


async def test_p_pauses_and_resumes_the_selected_queue(bare_profile, backend) -> None:
    with backend_settings(backend, bare_profile) as settings:
        app = build_app(settings, UiConfig.frozen(NOW))
        reader = make_monitor(local_settings(bare_profile), clock=frozen_clock)
        try:
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.press("2")
                await settle(pilot)
                assert isinstance(app.screen, QueuesScreen)
                select_row(app, "email")
                await pilot.press("P")
                await settle(pilot)
                assert isinstance(app.screen, ConfirmDialog)
                assert "Pause queue email?" in app.screen.question
                await pilot.press("y")
                await settle(pilot)
                stats = {q.name: q for q in await reader.queues()}
                assert stats["email"].paused and not stats["maintenance"].paused
                row = app.screen.query_one(KeyedTable).get_row("email")
                assert str(row[-1]) == "0s ago"  # paused at the frozen NOW
                await pilot.press("P", "y")
                await settle(pilot)
                assert not {q.name: q for q in await reader.queues()}["email"].paused
                assert str(app.screen.query_one(KeyedTable).get_row("email")[-1]) == "-"
        finally:
            await reader.close()


async def test_t_triggers_the_selected_schedule(bare_profile, backend) -> None:
    with backend_settings(backend, bare_profile) as settings:
        app = build_app(settings, UiConfig.frozen(NOW))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("9")
            await settle(pilot)
            assert isinstance(app.screen, SchedulesScreen)
            select_row(app, "aggregate-hourly")
            await pilot.press("t")
            await settle(pilot)
            assert "Run aggregate-hourly now" in app.screen.question
            await pilot.press("y")
            await settle(pilot)
            row = app.screen.query_one(KeyedTable).get_row("aggregate-hourly")
            assert [str(c) for c in row[2:5]] == ["0s ago", "manual", "waiting"]


async def test_read_only_refuses_pause_and_trigger_with_its_reason(bare_profile) -> None:
    app = build_app(local_settings(bare_profile.replace(read_only=True)), UiConfig.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        for screen, key in (("2", "P"), ("9", "t")):
            await pilot.press(screen)
            await settle(pilot)
            await pilot.press(key)
            await settle(pilot)
            assert not isinstance(app.screen, ConfirmDialog)
            said = [n.message for n in app._notifications]
            assert any("read-only" in m and "refused" in m for m in said), said
    reader = make_monitor(local_settings(bare_profile))
    try:
        assert not any(q.paused for q in await reader.queues())
    finally:
        await reader.close()


async def test_a_new_alert_rings_and_notifies_once(bare_profile) -> None:
    app = build_app(local_settings(bare_profile), UiConfig.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        header = app.screen.query_one(AppHeader)
        assert not header.has_class("-alerting") and app.sent_notifications == []
        # Paused five minutes before the frozen NOW, by another operator.
        store = make_store(bare_profile.broker_url, bare_profile.namespace)
        ops_records.put(store, "paused", "email", {"at": _at(timedelta(minutes=5)), "by": "x"})
        # Manual refresh (frozen UI): ctrl+r reads the backend anew, past the local feed's
        # read of a moment ago, so the Alerts screen sees the pause.
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("0")
        await settle(pilot)
        assert isinstance(app.screen, AlertsScreen)
        await wait_until(pilot, lambda: app.sent_notifications != [])
        assert app.sent_notifications == ["ygmon alert: paused too long email: paused 5m, limit 0m"]
        header = app.screen.query_one(AppHeader)
        assert header.has_class("-alerting")
        assert str(header.query_one("#header-alerts").render()) == "ALERT email"
        table = app.screen.query_one(KeyedTable)
        assert str(table.get_row_at(0)[0]) == "FIRING"
        # Still firing at the next check: no second notification.
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert len(app.sent_notifications) == 1
        await app.monitor.resume_queue("email")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert not app.screen.query_one(AppHeader).has_class("-alerting")
        store.close()


def test_the_desktop_notification_cannot_be_ended_early_by_its_text() -> None:
    from ygmon.tui.alert_watch import osc9

    # A queue or message carrying ESC or BEL would end (or extend) the sequence.
    assert osc9("paused\x07\x1b]9;evil") == "\x1b]9;paused  ]9;evil\x07"


async def test_overview_lists_the_soonest_runs_of_every_schedule(ops_profile) -> None:
    """Sorted by time across schedules, not the digests alone (NOW: Wednesday 12:00)."""
    async with _app(ops_profile).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        lines = str(pilot.app.screen.query_one("#schedule").render()).splitlines()
    assert lines[0] == "Next scheduled runs"
    assert [line.split()[0] for line in lines[1:9]] == [
        "publish-scheduled-posts", "sweep-retention", "aggregate-hourly", "digest-daily",
        "search-index-reindex", "aggregate-weekly", "digest-weekly", "aggregate-monthly",
    ]  # fmt: skip
    assert lines[1].split()[1:] == ["in", "1m", "03-04", "12:01"]
