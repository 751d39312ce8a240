"""Job ids on screen: two jobs enqueued in the same millisecond read differently, the
detail shows the whole id, and c copies it whole (OSC 52 through Textual)."""

from __future__ import annotations

from conftest import NOW, build_app, local_settings
from pilot_helpers import settle

from ygmon.jobs.runtime import open_runtime
from ygmon.screens.job_detail import JobDetailScreen
from ygmon.screens.queue_jobs import QueueJobsScreen
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.job_id import short_id
from ygmon.widgets.keyed_table import KeyedTable


def _same_millisecond_pair(profile) -> tuple[str, str]:
    """Enqueue (no worker: they wait) until two ids share their millisecond prefix."""
    with open_runtime(profile) as rt:
        seen: dict[str, str] = {}
        for _ in range(2000):
            job_id = rt.enqueue("canary")
            other = seen.setdefault(job_id[:12], job_id)
            if other != job_id:
                return other, job_id
    raise AssertionError("no two enqueues in one millisecond")


async def test_jobs_of_one_millisecond_show_different_ids(fresh_profile) -> None:
    first, second = _same_millisecond_pair(fresh_profile)
    assert first[:12] == second[:12]  # what the screen used to show of both
    app = build_app(local_settings(fresh_profile), UiConfig.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(QueueJobsScreen("maintenance"))
        await settle(pilot)
        table = app.screen.query_one(KeyedTable)
        shown = {str(r.key.value): str(table.get_row(r.key)[0]) for r in table.ordered_rows}
        assert shown[first] != shown[second]
        # Whole where the row has room (it has at 80 columns), else its tail.
        assert shown[first] in (first, short_id(first))
        assert first.endswith(shown[first].lstrip("…"))

        table.move_cursor(row=table.get_row_index(second))
        await pilot.press("c")
        assert app.clipboard == second
        app.push_screen(JobDetailScreen("maintenance", second))
        await settle(pilot)
        assert second in str(app.screen.query_one("#job-text").render())
        await pilot.press("c")
        assert app.clipboard == second


def test_short_ids_of_other_shapes() -> None:
    assert short_id("ok-1") == "ok-1"
    # Every id is cut the one way (its tail): a column never mixes two styles.
    assert short_id("an-id-much-longer-than-twelve") == "…than-twelve"
    assert short_id("0190f3a2-7c1e-7abc-8def-0123456789ab") == "…123456789ab"
