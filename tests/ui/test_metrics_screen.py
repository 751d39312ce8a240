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


TARGETS = {"email": ["p95 wait < 30s"], "notification-delivery": ["p99 run < 10ms"]}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_metrics_latency_snapshot(snap_compare, history_profile, size: tuple[int, int]) -> None:
    settings = local_settings(history_profile.replace(slo=TARGETS))
    app = build_app(settings, UiConfig.frozen(NOW), target="local: demo")

    async def open_latency(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("7", "l")
        await settle(pilot)
        assert isinstance(app.screen, MetricsScreen) and app.screen.latency

    assert snap_compare(app, terminal_size=size, run_before=open_latency)


async def test_metrics_latency_rows_targets_and_chart(history_profile) -> None:
    app = build_app(local_settings(history_profile.replace(slo=TARGETS)), UiConfig.frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # The Overview's line of targets, each beside its measured value.
        line = app.screen.query_one("#overview-targets")
        assert line.display and str(line.render()) == "Targets: 2/2 met, last 1h (7, l)"
        await pilot.press("7", "l")
        await settle(pilot)
        table = app.screen.query_one("#latency-table", KeyedTable)
        rows = {
            str(r.key.value): [str(c) for c in table.get_row(r.key)] for r in table.ordered_rows
        }
        # Each queue, then its task; each attempt's wait and run (0 on the seed's clock).
        assert "email|" in rows and "email|nap-email" in rows
        assert rows["email|"][1:4] == ["0ms", "0ms", "0ms"]
        assert rows["email|"][-1] == "p95 wait < 30s ok"
        assert rows["maintenance|"][-1] == ""  # no target set
        attempts = int(rows["maintenance|"][7])
        assert attempts == int(rows["maintenance|canary"][7]) > 0
        title = str(app.screen.query_one("#latency-chart-title").render())
        assert title.startswith(table.selected_key.partition("|")[0] + ":")
        await pilot.press("l")  # back to the runs per task
        await settle(pilot)
        assert app.screen.query_one("#metrics-table").display
        assert not app.screen.query_one("#metrics-latency").display
