"""Ages on screen tick: rendered each second from the timestamps last read and the app's
clock, with no fetch in between. The clock here is stepped by hand (the app's clock is
injectable); the Textual timer does the rest. A column widens as its ages grow."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

from conftest import (
    NOW,
    SteppedClock,
    build_app,
    local_settings,
    make_profile,
    remote_settings,
)
from pilot_helpers import settle, wait_until
from servers import serve_on_loopback

from ygmon.jobs import schedule_runs
from ygmon.jobs.registry.store import make_store
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.keyed_table import KeyedTable
from ygmon.widgets.status_banner import StatusBanner


def _stepped_ui(clock: SteppedClock) -> UiConfig:
    return UiConfig(auto_refresh=False, clock=clock, cursor_blink=False)


def _cell(table: KeyedTable, row: str, column: str) -> str:
    return str(table.get_cell(row, column))


async def test_schedule_ages_tick_and_widen_their_column(tmp_path: Path) -> None:
    profile = make_profile(tmp_path)
    store = make_store(profile.broker_url, profile.namespace)
    try:
        at = (NOW - timedelta(seconds=9)).timestamp()
        schedule_runs.record_run(store, "publish-scheduled-posts", at, "gone", "schedule")
        for ago, trigger in ((600, "schedule"), (300, "catch-up")):
            when = (NOW - timedelta(seconds=ago)).timestamp()
            schedule_runs.record_run(store, "aggregate-hourly", when, trigger, trigger)
    finally:
        store.close()
    clock = SteppedClock(NOW)
    app = build_app(local_settings(profile), _stepped_ui(clock))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("9")
        await settle(pilot)
        screen = app.screen
        table = screen.query_one(KeyedTable)
        assert _cell(table, "publish-scheduled-posts", "last") == "9s ago"
        assert _cell(table, "publish-scheduled-posts", "next") == "in 1m"
        # A catch-up run is the hourly schedule's last run, and says so.
        assert _cell(table, "aggregate-hourly", "last") == "5m ago"
        assert _cell(table, "aggregate-hourly", "trigger") == "catch-up"
        table.move_cursor(row=table.get_row_index("aggregate-hourly"))
        await settle(pilot)
        runs = str(screen.query_one("#schedule-runs").render())
        assert "catch-up 5m ago gone · schedule 10m ago gone" in runs
        polls = screen.polls
        clock.at = NOW + timedelta(seconds=1)
        await wait_until(
            pilot, lambda: _cell(table, "publish-scheduled-posts", "last") == "10s ago"
        )
        # "10s ago" is wider than anything the column held: it widened, not cut.
        assert table.columns["last"].content_width >= len("10s ago")
        clock.at = NOW + timedelta(seconds=35)
        await wait_until(pilot, lambda: _cell(table, "publish-scheduled-posts", "next") == "in 25s")
        assert screen.polls == polls  # the ticks read nothing


async def test_stale_marker_and_retry_countdown_tick(tmp_path: Path) -> None:
    profile = make_profile(tmp_path)
    clock = SteppedClock(NOW)
    with ExitStack() as server:
        base_url, token = server.enter_context(serve_on_loopback(profile))
        app = build_app(remote_settings(base_url, token), _stepped_ui(clock))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = app.screen
            banner = screen.query_one(StatusBanner)
            assert not banner.has_class("-error")
            server.close()  # the server goes away: the next poll fails
            await pilot.press("ctrl+r")
            await settle(pilot)
            assert banner.has_class("-error")
            text = str(banner.render())
            assert "retrying in 4s" in text and "showing data from 0s ago" in text
            polls = screen.polls
            clock.at = NOW + timedelta(seconds=3)
            await wait_until(pilot, lambda: "showing data from 3s ago" in str(banner.render()))
            assert "retrying in 1s" in str(banner.render())
            clock.at = NOW + timedelta(seconds=8)
            await wait_until(pilot, lambda: "showing data from 8s ago" in str(banner.render()))
            assert screen.polls == polls
