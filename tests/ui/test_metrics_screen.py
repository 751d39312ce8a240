"""The Metrics screen (key 7) over an hour of real jobs: per task its runs, failures and
run times, snapshots at 80x24 and 120x40, w for the window, Enter for its failures."""

from __future__ import annotations

import pytest
from conftest import NOW, build_app, local_settings
from pilot_helpers import settle
from textual.pilot import Pilot

from ygmon.monitor.schemas import JobState
from ygmon.screens.metrics import MetricsScreen
from ygmon.screens.queue_jobs import QueueJobsScreen
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.keyed_table import KeyedTable


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_metrics_snapshot(snap_compare, history_profile, size: tuple[int, int]) -> None:
    app = build_app(local_settings(history_profile), UiConfig.frozen(NOW), target="local: demo")

    async def open_metrics(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        assert isinstance(app.screen, MetricsScreen)

    assert snap_compare(app, terminal_size=size, run_before=open_metrics)


async def test_metrics_rows_windows_and_failures(history_profile) -> None:
    app = build_app(local_settings(history_profile), UiConfig.frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        table = app.screen.query_one(KeyedTable)
        rows = {str(r.key.value): table.get_row(r.key) for r in table.ordered_rows}
        assert set(rows) == {
            "email|nap-email",
            "notification-delivery|nap-notification-delivery",
            "search-index-update|nap-search-index-update",
            "maintenance|canary",
        }
        runs_1h = {key: row[1] for key, row in rows.items()}
        await pilot.press("w")
        await settle(pilot)
        assert "last 24h" in str(app.screen.query_one("#metrics-title").render())
        rows = {str(r.key.value): table.get_row(r.key) for r in table.ordered_rows}
        assert {key: row[1] for key, row in rows.items()} == runs_1h  # all in this hour

        # Enter on the first task: its failed jobs, and only those.
        key = str(table.ordered_rows[0].key.value)
        queue, _, task = key.partition("|")
        failed = int(str(rows[key][2]))
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueJobsScreen) and screen.state == JobState.FAILED
        jobs = screen.query_one(KeyedTable)
        assert jobs.row_count == failed > 0
        assert {str(jobs.get_row(r.key)[1]) for r in jobs.ordered_rows} == {task}
        assert screen.queue == queue
