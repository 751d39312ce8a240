"""Keys, help, palette, refresh controls, and the banner's reasons from a real server."""

from __future__ import annotations

from conftest import NOW, build_app, frozen_clock, local_settings, remote_settings
from pilot_helpers import settle, wait_until
from servers import admin_token, serve_on_loopback
from textual.widgets import Static

from ygmon.app import SCREENS_BY_KEY
from ygmon.screens.help_screen import HelpScreen
from ygmon.screens.queues import QueuesScreen
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.app_header import AppHeader
from ygmon.widgets.status_banner import StatusBanner


async def test_help_lists_every_key_of_the_screen(shared_profile) -> None:
    app = build_app(local_settings(shared_profile), UiConfig.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        below = app.screen
        bindings = [b.binding for b in below.active_bindings.values() if b.binding.show]
        assert all(b.id and b.description for b in bindings)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-keys", Static).render())
        for binding in bindings:
            assert binding.description in text
        assert "Retry" in text and "Copy id" in text and "Queues" in text
        await pilot.press("escape")
        assert app.screen is below


async def test_screens_are_in_the_command_palette(shared_profile) -> None:
    app = build_app(local_settings(shared_profile), UiConfig.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        for _key, _mode, title, _cls in SCREENS_BY_KEY:
            assert f"{title} screen" in titles
        queues = next(c for c in app.get_system_commands(app.screen) if c.title == "Queues screen")
        queues.callback()
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)


async def test_refresh_speed_and_pause_keys(shared_profile) -> None:
    app = build_app(local_settings(shared_profile), UiConfig(refresh_interval=2))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        header = app.screen.query_one(AppHeader)
        await pilot.press("minus")
        assert app.policy.interval == 4
        await pilot.press("plus")
        await pilot.press("plus")
        assert app.policy.interval == 1
        await pilot.press("p")
        await settle(pilot)
        assert app.policy.paused
        assert "FROZEN" in str(header.query_one("#header-refresh").render())
        polls = app.screen.polls
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.screen.polls == polls + 1  # ctrl+r polls even while paused
        await pilot.press("p")
        await settle(pilot)
        assert not app.policy.paused


async def test_rejected_token_is_named_in_the_banner(shared_profile) -> None:
    with serve_on_loopback(shared_profile, clock=frozen_clock) as (base_url, _token):
        app = build_app(remote_settings(base_url, "not-a-jwt"), UiConfig.frozen(NOW))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            banner = app.screen.query_one(StatusBanner)
            await wait_until(pilot, lambda: banner.has_class("-error"))
            text = str(banner.render())
            assert text.startswith("Token rejected") and "No data yet" in text


async def test_remote_shows_the_rate_limit_budget(shared_profile) -> None:
    with serve_on_loopback(shared_profile, clock=frozen_clock, per_minute=50) as (url, _):
        app = build_app(remote_settings(url, admin_token(shared_profile)), UiConfig.frozen(NOW))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            budget = str(app.screen.query_one("#header-budget").render())
            assert budget.startswith("API ") and budget.endswith("/50")


async def test_overview_poll_stays_inside_the_remote_rate_limit(shared_profile) -> None:
    """Three requests a poll after the first (30 polls a minute fit 100 requests)."""
    with serve_on_loopback(shared_profile, clock=frozen_clock) as (url, _):
        app = build_app(remote_settings(url, admin_token(shared_profile)), UiConfig.frozen(NOW))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            spent = []
            for _ in range(3):  # a minute window may roll over between two polls
                before = app.monitor.rate_remaining
                await pilot.press("ctrl+r")
                await settle(pilot)
                spent.append(before - app.monitor.rate_remaining)
            steady = spent[1:]  # the first refresh may still carry start-up requests
            assert 3 in steady and all(s == 3 or s < 0 for s in steady), spent
