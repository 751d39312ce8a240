"""The remote app on the server's live stream: idle, then a tour of every screen (a
queue's jobs, a job, a logs page, a search), within the request budget issue 23 sets,
and the header saying the link is live. The 60 s idle figure is measured in bench/."""

from __future__ import annotations

import asyncio

import httpx
from conftest import FAILED_JOBS, build_app, remote_settings
from pilot_helpers import open_job, settle, wait_until
from servers import admin_token, bearer, fixed_clock, serve_on_loopback
from textual.widgets import Input

from ygmon.screens.job_detail import JobDetailScreen
from ygmon.screens.search import SearchScreen
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.link_label import LinkLabel
from ygmon.widgets.status_banner import StatusBanner

IDLE = 6.0
TOUR_BUDGET = 25


def used(base_url: str, token: str) -> int:
    """Requests `token`'s user spent in the window, as the server counted them (this
    check itself not included)."""
    response = httpx.get(base_url + "/api/admin/jobs/health", headers=bearer(token))
    return 100 - int(response.headers["X-RateLimit-Remaining"]) - 1


def no_banner_failure(app) -> bool:
    return not any(b.has_class("-error") for s in app.screen_stack for b in s.query(StatusBanner))


async def test_idle_then_a_tour_of_every_screen_on_the_stream(shared_profile) -> None:
    with serve_on_loopback(shared_profile, clock=fixed_clock) as (base_url, _):
        token = admin_token(shared_profile, "tourist")  # a budget of its own
        app = build_app(remote_settings(base_url, token), UiConfig(), live=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            link = app.screen.query_one(LinkLabel)
            await wait_until(pilot, lambda: str(link.render()).startswith("live"), 20)
            await asyncio.sleep(IDLE)  # polls every 2 s, from the copy
            idle = used(base_url, token)
            assert idle <= 1, idle  # the stream's opening only
            for key in "123456790A":  # 8 (Search) last: its query box takes keys
                await pilot.press(key)
                await settle(pilot)
                assert no_banner_failure(app), key
            await pilot.press("3", "pagedown")  # a logs page
            await settle(pilot)
            await open_job(pilot, "maintenance", FAILED_JOBS[0])
            assert isinstance(app.screen, JobDetailScreen)
            await pilot.press("escape", "escape", "8")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, SearchScreen)
            screen.query_one(Input).value = "post"
            await wait_until(pilot, lambda: screen.searches >= 1, 20)
            await settle(pilot)
            assert no_banner_failure(app)
            tour = used(base_url, token) - idle - 1
            assert tour <= TOUR_BUDGET, tour
            assert app.monitor.rate_remaining is not None  # the budget stays visible
