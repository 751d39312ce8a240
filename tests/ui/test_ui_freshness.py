"""Each screen says how fresh its data is, and its ages tick: the header's "read 3s ago"
(the time of the last successful read, the exact time on hover), the Failed screen's
ages and the Worker screen's beats, each rendered again every second from what was read,
with no fetch in between. A figure the backend could not read shows "?" with the reason
on hover, never 0. The app's clock is stepped by hand (UiConfig's injectable clock)."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from pathlib import Path

from conftest import NOW, SteppedClock, build_app, local_settings, make_profile
from pilot_helpers import settle, wait_until
from textual.coordinate import Coordinate
from textual.widgets import Label, Static

from ygmon.config import LocalProfile
from ygmon.jobs.registry.store import make_store
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.keyed_table import KeyedTable
from ygmon.widgets.queue_board import BoardRow, QueueBoard


def _stepped(profile: LocalProfile, clock: SteppedClock):
    ui = UiConfig(auto_refresh=False, clock=clock, cursor_blink=False)
    return build_app(local_settings(profile), ui)


def _text(widget: Static | Label) -> str:
    return str(widget.render())


async def test_header_read_age_and_failed_ages_tick(shared_profile: LocalProfile) -> None:
    clock = SteppedClock(NOW)
    app = _stepped(shared_profile, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        screen = app.screen
        read = screen.query_one("#header-read", Label)
        assert _text(read) == "read 0s ago"
        assert "read at 2026-03-04 12:00:00 UTC" in str(read.tooltip)
        table = screen.query_one("#failed-table", KeyedTable)
        key = str(table.coordinate_to_cell_key(Coordinate(0, 0)).row_key.value)
        assert str(table.get_cell(key, "failed")) == "0s ago"
        polls = screen.polls
        clock.at = NOW + timedelta(seconds=12)
        await wait_until(pilot, lambda: _text(read) == "read 12s ago")
        await wait_until(pilot, lambda: str(table.get_cell(key, "failed")) == "12s ago")
        # The grouped view's ages tick as well.
        await pilot.press("g")
        await settle(pilot)
        groups = screen.query_one("#failed-groups", KeyedTable)
        group = str(groups.coordinate_to_cell_key(Coordinate(0, 0)).row_key.value)
        assert str(groups.get_cell(group, "last")) == "12s ago"
        polls = screen.polls
        clock.at = NOW + timedelta(seconds=75)
        await wait_until(pilot, lambda: str(groups.get_cell(group, "last")) == "1m ago")
        assert screen.polls == polls  # the ticks read nothing


async def test_worker_beats_tick_and_the_screen_says_when_it_read(tmp_path: Path) -> None:
    profile = make_profile(tmp_path)
    store = make_store(profile.broker_url, profile.namespace)
    try:
        store.beat(
            {
                "id": "app-1:101",
                "host": "app-1",
                "pid": "101",
                "queues": ["email"],  # type: ignore[dict-item]
                "concurrency": "2",
                "started_at": repr((NOW - timedelta(hours=1)).timestamp()),
                "last_heartbeat": repr((NOW - timedelta(seconds=1)).timestamp()),
            }
        )
    finally:
        store.close()
    clock = SteppedClock(NOW)
    app = _stepped(profile, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6")
        await settle(pilot)
        seen = app.screen.query_one("#worker-seen", Static)
        read = app.screen.query_one("#header-read", Label)
        await wait_until(pilot, lambda: "beat 1s ago" in _text(seen))
        assert _text(read) == "read 0s ago"
        clock.at = NOW + timedelta(seconds=2)
        await wait_until(pilot, lambda: "beat 3s ago" in _text(seen))
        await wait_until(pilot, lambda: _text(read) == "read 2s ago")


async def _migrated_without(tmp_path: Path, table: str) -> LocalProfile:
    """A profile whose database is at head, less `table` (a schema the backend cannot
    read a figure from)."""
    from ygmon.db import Database
    from ygmon.db.migrate import upgrade

    profile = make_profile(tmp_path)
    db = Database(profile.database_url)
    try:
        await upgrade(db)
    finally:
        await db.dispose()
    with sqlite3.connect(tmp_path / "ygmon.db") as conn:
        conn.execute(f"DROP TABLE {table}")
    return profile


async def test_an_index_that_cannot_be_read_shows_a_question_mark(tmp_path: Path) -> None:
    """The search index's table is gone: the Overview says "? indexed" and why on hover,
    never "0 indexed"; the queues (read from the registry) still show."""
    profile = await _migrated_without(tmp_path, "search_fts_asset")
    app = build_app(local_settings(profile), UiConfig.frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        board = app.screen.query_one(QueueBoard)
        await wait_until(pilot, lambda: "? indexed" in board.detail_text("search"))
        await settle(pilot)
        assert "0 indexed" not in board.detail_text("search")
        detail = BoardRow("detail", "search")
        assert detail in board.rows  # drawn under its queues at 120x40
        assert "search index could not be read" in str(board.tooltip_of(detail))
        assert "no such table: search_fts_asset" in str(board.tooltip_of(detail))
        assert board.queue("email") is not None


async def test_the_overview_reads_the_index_again_once_a_search_job_finished(
    tmp_path: Path,
) -> None:
    """The index is read seldom (every 20 s), but again as soon as a search job has
    finished: a finished reindex never sits beside "no full reindex yet"."""
    from conftest import frozen_clock

    from ygmon.jobs.runtime import open_runtime
    from ygmon.jobs.worker import in_process_worker

    profile = make_profile(tmp_path)
    app = build_app(local_settings(profile), UiConfig.frozen(NOW))

    def reindex() -> None:
        queues = ["search-index-reindex"]
        with (
            open_runtime(profile, clock=frozen_clock) as rt,
            in_process_worker(profile, queues, runtime=rt, clock=frozen_clock),
        ):
            rt.enqueue("search-index-reindex")
            rt.wait_idle(30, queues)

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        board = app.screen.query_one(QueueBoard)
        await wait_until(pilot, lambda: "Full reindex: none yet" in board.detail_text("search"))
        await asyncio.to_thread(reindex)
        await pilot.press("ctrl+r")
        await settle(pilot)
        await wait_until(pilot, lambda: "Last full reindex 0s ago" in board.detail_text("search"))


async def test_scheduled_posts_that_cannot_be_counted_show_a_question_mark(
    tmp_path: Path,
) -> None:
    """The blog's table is gone: the Overview still shows its queues and next runs (the
    registry answers them), and its "scheduled posts" say "?" with why on hover, never 0."""
    profile = await _migrated_without(tmp_path, "blog_posts")
    app = build_app(local_settings(profile), UiConfig.frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one("#schedule", Static)
        await wait_until(pilot, lambda: "scheduled posts" in _text(panel))
        assert _text(panel).splitlines()[-1] == "scheduled posts ?"
        assert "publish-scheduled-posts" in _text(panel)
        assert "The scheduled posts could not be counted" in str(panel.tooltip)
        assert "no such table: blog_posts" in str(panel.tooltip)
        assert app.screen.query_one(QueueBoard).queue("email")  # the queues show beside it
