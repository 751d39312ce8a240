"""A screen key restyles only what changed while the screen was away: Textual restyles
a whole screen at each resume and re-reads every stylesheet at the first switch to a
screen built out of sight, which were most of a switch's time. A theme changed while
the screen was away still shows on it."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import backend_settings, build_app, frozen_clock
from pilot_helpers import wait_until

from ygmon.screens.logs import LogsScreen
from ygmon.screens.overview import OverviewScreen
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.app_header import AppHeader


async def test_a_screen_key_restyles_only_what_changed(
    shared_profile: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with backend_settings("local", shared_profile) as settings:
        app = build_app(settings, UiConfig(clock=frozen_clock, cursor_blink=False))
        async with app.run_test(size=(120, 40)) as pilot:

            def warmed() -> bool:
                # Every screen built out of sight (each build reads the stylesheets).
                return app._warm_started and not any(
                    w.group == "warm-up" and not w.is_finished for w in app.workers
                )

            await wait_until(pilot, warmed, timeout=90)
            logs = app.get_screen_stack("logs")[0]
            assert isinstance(logs, LogsScreen)
            restyled: list[str] = []
            update_node_styles = LogsScreen.update_node_styles

            def counted(self: LogsScreen, animate: bool = True) -> None:
                restyled.append("screen")
                update_node_styles(self, animate)

            monkeypatch.setattr(LogsScreen, "update_node_styles", counted)
            refresh_css = app.refresh_css

            def counted_css(animate: bool = True) -> None:
                restyled.append("css")
                refresh_css(animate)

            monkeypatch.setattr(app, "refresh_css", counted_css)

            # The first switch to the screen built out of sight, then a switch back.
            for key in ("3", "1", "3"):
                await pilot.press(key)
                await pilot.pause()
            assert app.screen is logs
            assert restyled == []

            # A theme changed while the screen is away shows on it once it is back.
            await pilot.press("1")
            await pilot.pause()
            before = logs.query_one(AppHeader).styles.background
            app.theme = "textual-light" if app.theme != "textual-light" else "nord"
            await pilot.pause()
            overview = app.screen
            assert isinstance(overview, OverviewScreen)
            themed = overview.query_one(AppHeader).styles.background
            assert themed != before
            await pilot.press("3")
            await pilot.pause()
            assert app.screen is logs
            assert restyled  # the stylesheet or the screen, restyled
            assert logs.query_one(AppHeader).styles.background == themed
