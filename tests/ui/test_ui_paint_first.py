"""Paint first, fetch after, under Pilot: an app left idle on a local backend builds its
other screens out of sight with their data, so a screen key shows rows before that
screen's own poll; the refresh policy stays the one of the screen in front. Over a
remote API, whose reads count against the user's request budget, nothing is read ahead."""

from __future__ import annotations

import asyncio
from typing import Any

from conftest import backend_settings, build_app, frozen_clock
from pilot_helpers import wait_until

from ygmon.screens.logs import LogsScreen
from ygmon.tui.ui_config import UiConfig
from ygmon.tui.warm_up import WARM_AFTER
from ygmon.widgets.keyed_table import KeyedTable

WARMED = (
    "queues",
    "logs",
    "failed",
    "previews",
    "worker",
    "metrics",
    "search",
    "schedules",
    "audit",
)


async def test_an_idle_app_holds_every_screens_data_before_its_key(shared_profile) -> None:
    with backend_settings("local", shared_profile) as settings:
        # The default UI settings (the warm-up follows the refresh timer), frozen time.
        app = build_app(settings, UiConfig(clock=frozen_clock, cursor_blink=False))
        async with app.run_test(size=(120, 40)) as pilot:

            def warmed() -> bool:
                try:
                    return all(app.get_screen_stack(m)[0].polls > 0 for m in WARMED)
                except KeyError:
                    return False

            await wait_until(pilot, warmed, timeout=60)
            logs = app.get_screen_stack("logs")[0]
            assert isinstance(logs, LogsScreen) and not logs.is_current
            assert logs.query_one(KeyedTable).row_count == 20
            assert logs.shown_at is not None
            assert app.policy.failures == 0
            # The Worker screen (no PolledScreen) read its workers once out of sight and
            # started no timer of its own: no suspend would come to stop it.
            worker = app.get_screen_stack("worker")[0]
            assert not worker.is_current and worker.polls > 0
            assert getattr(worker, "_seen_timer", None) is None

            await pilot.press("3")
            assert app.screen is logs
            assert logs.query_one(KeyedTable).row_count == 20


async def test_an_idle_remote_app_builds_its_screens_but_reads_nothing_ahead(
    shared_profile,
) -> None:
    """Over a remote API reads count against the user's budget: the idle app builds the
    other screens (their modules, widgets and styles) but none of them reads."""
    with backend_settings("remote", shared_profile) as settings:
        app = build_app(settings, UiConfig(clock=frozen_clock, cursor_blink=False))
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until(pilot, lambda: app.screen.polls > 0, timeout=30)

            def built() -> bool:
                return all(mode in app._screen_stacks for mode in WARMED)

            await wait_until(pilot, built, timeout=WARM_AFTER + 30)
            await pilot.pause(0.5)
            for mode in WARMED:
                screen = app.get_screen_stack(mode)[0]
                assert not screen.is_current
                assert screen.polls == 0, f"{mode} read ahead"
            logs = app.get_screen_stack("logs")[0]
            assert logs.shown_at is None

            await pilot.press("3")
            assert app.screen is logs
            await wait_until(pilot, lambda: logs.polls > 0, timeout=30)
            assert logs.query_one(KeyedTable).row_count == 20


async def test_an_app_quit_while_it_warms_its_screens_closes_cleanly(shared_profile) -> None:
    """Quitting while the screens are about to be built out of sight: the warm-up builds
    no screen once the app has begun to close. Textual's shutdown walks the screen
    stacks, and a stack added during that walk raised 'dictionary changed size during
    iteration' (seen on a loaded machine, where closing a screen is slow: made so here
    by a closing that outlasts the warm-up's first wait)."""
    with backend_settings("local", shared_profile) as settings:
        app = build_app(settings, UiConfig(clock=frozen_clock, cursor_blink=False))
        prune = app._prune

        async def slow_prune(*args: Any, **kwargs: Any) -> Any:
            await asyncio.sleep(WARM_AFTER + 0.5)
            return await prune(*args, **kwargs)

        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until(pilot, lambda: app._warm_started, timeout=60)
            built = set(app._screen_stacks)
            app._prune = slow_prune
        assert set(app._screen_stacks) <= built, "a screen was built while closing"
