"""The coverage strip of the Logs screen under Pilot: real keys move along the days and
Enter filters the table to that day's runs (made by the real pipeline in conftest)."""

from __future__ import annotations

from datetime import timedelta

from conftest import NOW, build_app, local_settings
from pilot_helpers import settle

from ygmon.monitor.coverage_schemas import CoverageState
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.coverage_strip import CoverageStrip
from ygmon.widgets.keyed_table import KeyedTable


async def test_enter_on_a_day_filters_the_runs_to_it(shared_profile) -> None:
    app = build_app(local_settings(shared_profile), UiConfig.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        strip = app.screen.query_one(CoverageStrip)
        assert len(strip.periods) == 30
        assert {p.state for p in strip.periods} <= {
            CoverageState.AGGREGATED,
            CoverageState.PARTIAL,
        }
        assert CoverageState.PARTIAL in {p.state for p in strip.periods}
        await pilot.press("v", "left", "left")
        day = (NOW - timedelta(days=3)).date()
        assert strip.periods[strip.cursor].period_start_date == day
        await pilot.press("enter")
        await settle(pilot)
        table = app.screen.query_one(KeyedTable)
        assert table.row_count == 1  # the daily run of that day (hourly runs cover 6 hours)
        assert str(table.get_row_at(0)[0]) == "daily"
        assert app.screen.query_one("#filter-start").value == day.isoformat()
