"""The Worker screen starts a real `ygmon worker`, follows its log, and quitting stops it."""

from __future__ import annotations

from conftest import NOW, build_app, local_settings, write_config
from pilot_helpers import settle, wait_until
from textual.widgets import Log

from ygmon.tui.ui_config import UiConfig


async def test_worker_started_from_the_app_stops_with_it(fresh_profile, tmp_path) -> None:
    config = write_config(fresh_profile, tmp_path)
    app = build_app(local_settings(fresh_profile), UiConfig.frozen(NOW), worker_config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("s")
        worker = app.local_worker
        assert worker is not None and worker.running
        log = app.screen.query_one(Log)
        await wait_until(pilot, lambda: any("running" in line for line in log.lines), 20)
        await pilot.press("q")
    assert not worker.running and worker.returncode is not None
