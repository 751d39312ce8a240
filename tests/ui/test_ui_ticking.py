"""Ages on screen tick: rendered each second from the timestamps last read and the app's
clock, with no fetch in between. The clock here is stepped by hand (the app's clock is
injectable); the Textual timer does the rest. A column widens as its ages grow."""

from __future__ import annotations

import subprocess
from contextlib import ExitStack
from datetime import datetime, timedelta
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
from textual.coordinate import Coordinate
from textual.widgets import Static

from ygmon.config import LocalProfile
from ygmon.jobs import schedule_runs
from ygmon.jobs.registry.store import make_store
from ygmon.pipelines.media.ffmpeg_binary import ffmpeg_exe
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
            assert not banner.has_class("-error"), str(banner.render())
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


async def _generating_preview(profile: LocalProfile, source: Path, started: datetime) -> None:
    """An audio upload imported through the pipeline whose preview job has started at
    `started` and not finished: the job's own first step (metadata.started) recorded."""
    from ygmon.db import Database
    from ygmon.db.migrate import upgrade
    from ygmon.pipelines.media import metadata
    from ygmon.pipelines.media.assets import import_file, locked_asset
    from ygmon.storage import storage_for

    db = Database(profile.database_url)
    try:
        await upgrade(db)
        storage = storage_for(profile, signed=False)
        imported = await import_file(db, storage, source, None, title="Tone study")
        async with db.writer() as session:
            asset = await locked_asset(session, imported.asset_id)
            asset.metadata_ = metadata.started(asset.metadata_, started, has_preview=False)
    finally:
        await db.dispose()


async def test_a_generating_previews_started_age_ticks(tmp_path: Path) -> None:
    """The Previews screen's one age, a preview's "started 5s ago" while its job runs,
    grows with the clock from the page last read."""
    profile = make_profile(tmp_path)
    tone = tmp_path / "tone.wav"
    subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi",
         "-i", "sine=duration=2", str(tone)],
        check=True, timeout=60,
    )  # fmt: skip
    await _generating_preview(profile, tone, NOW - timedelta(seconds=5))
    clock = SteppedClock(NOW)
    app = build_app(local_settings(profile), _stepped_ui(clock))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        table = screen.query_one(KeyedTable)
        assert table.row_count == 1
        key = str(table.coordinate_to_cell_key(Coordinate(0, 0)).row_key.value)
        assert _cell(table, key, "status") == "generating"
        assert _cell(table, key, "detail") == "started 5s ago"
        polls = screen.polls
        clock.at = NOW + timedelta(seconds=7)
        await wait_until(pilot, lambda: _cell(table, key, "detail") == "started 12s ago")
        # The line under the table, the highlighted asset's detail, ticks with it.
        selected = screen.query_one("#preview-selected", Static)
        assert str(selected.render()) == "Tone study: started 12s ago"
        clock.at = NOW + timedelta(seconds=65)
        await wait_until(pilot, lambda: _cell(table, key, "detail") == "started 1m ago")
        assert screen.polls == polls  # the ticks read nothing
