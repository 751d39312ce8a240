"""Every screen by its key, over the local and the remote backend."""

from __future__ import annotations

from conftest import FAILED_JOBS, NOW, backend_settings, build_app
from pilot_helpers import open_job, settle
from textual.widgets import Static

from ygmon.screens.failed import FailedScreen
from ygmon.screens.logs import LogsScreen
from ygmon.screens.overview import OverviewScreen
from ygmon.screens.previews import PreviewsScreen
from ygmon.screens.queues import QueuesScreen
from ygmon.screens.worker_control import WorkerScreen
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.keyed_table import KeyedTable
from ygmon.widgets.queue_board import QueueBoard
from ygmon.widgets.status_banner import StatusBanner


async def test_every_screen_by_its_key(backend, shared_profile) -> None:
    with backend_settings(backend, shared_profile) as settings:
        app = build_app(settings, UiConfig.frozen(NOW))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, OverviewScreen)
            assert app.screen.query_one(QueueBoard).queue_names()
            await pilot.press("2")
            await settle(pilot)
            assert isinstance(app.screen, QueuesScreen)
            assert app.screen.query_one(KeyedTable).row_count >= 10
            await pilot.press("3")
            await settle(pilot)
            assert isinstance(app.screen, LogsScreen)
            assert "page 1 of" in str(app.screen.query_one("#logs-page").render())
            await pilot.press("4")
            await settle(pilot)
            assert isinstance(app.screen, FailedScreen)
            table = app.screen.query_one(KeyedTable)
            assert {str(r.key.value) for r in table.ordered_rows} >= set(FAILED_JOBS)
            await pilot.press("5")
            await settle(pilot)
            assert isinstance(app.screen, PreviewsScreen)
            assert app.screen.query_one(KeyedTable).row_count > 0
            await pilot.press("6")
            await settle(pilot)
            assert isinstance(app.screen, WorkerScreen)
            state = str(app.screen.query_one("#worker-state", Static).render())
            assert ("remote" in state) == (backend == "remote")
            for screen in app.screen_stack:
                for banner in screen.query(StatusBanner):
                    assert not banner.has_class("-error")


async def test_queue_drill_down_to_a_job(backend, shared_profile) -> None:
    with backend_settings(backend, shared_profile) as settings:
        app = build_app(settings, UiConfig.frozen(NOW))
        async with app.run_test(size=(120, 40)) as pilot:
            await open_job(pilot, "maintenance", FAILED_JOBS[0])
            text = str(app.screen.query_one("#job-text", Static).render())
            assert FAILED_JOBS[0] in text and "does not exist" in text
