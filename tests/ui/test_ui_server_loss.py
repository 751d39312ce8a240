"""A server that goes away: the banner says so, data is kept as stale, and it recovers.

Remote: the `ygmon serve` process stops. Local: the Postgres server is cut off (a TCP
forwarder between the monitor and the real Postgres is closed, then reopened).
"""

from __future__ import annotations

from collections.abc import Callable

from conftest import (
    _seed_rows,
    build_app,
    frozen_clock,
    local_settings,
    make_profile,
    remote_settings,
)
from pilot_helpers import settle, wait_until
from restartable_server import RestartableServer
from servers import admin_token, free_port
from sqlalchemy.engine import make_url
from tcp_proxy import TcpProxy

from ygmon.config import Settings
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.keyed_table import KeyedTable
from ygmon.widgets.status_banner import StatusBanner


async def lose_and_recover(settings: Settings, stop: Callable, start: Callable) -> None:
    app = build_app(settings, UiConfig(refresh_interval=0.2))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")  # Logs: read from the database, locally and remotely
        await settle(pilot)
        screen = app.screen
        banner = screen.query_one(StatusBanner)
        rows = screen.query_one(KeyedTable).row_count
        assert rows > 0 and not banner.has_class("-error")

        stop()
        await wait_until(pilot, lambda: banner.has_class("-error"), 10)
        text = str(banner.render())
        assert text.startswith("Cannot reach") and "STALE" in text
        assert screen.has_class("-stale")
        assert screen.query_one(KeyedTable).row_count == rows  # last good data kept
        assert app.policy.failures >= 1

        start()
        await wait_until(pilot, lambda: not banner.has_class("-error"), 15)
        assert not screen.has_class("-stale") and app.policy.failures == 0


async def test_server_lost_shows_banner_and_recovers(shared_profile) -> None:
    server = RestartableServer(shared_profile, free_port(), clock=frozen_clock)
    server.start()
    try:
        settings = remote_settings(server.base_url, admin_token(shared_profile))
        await lose_and_recover(settings, server.stop, server.start)
    finally:
        server.stop()


async def test_database_lost_shows_banner_and_recovers(postgres_url, tmp_path) -> None:
    await _seed_rows(postgres_url)
    url = make_url(postgres_url)
    proxy = TcpProxy(free_port(), (url.host or "127.0.0.1", url.port or 5432))
    proxy.start()
    try:
        through_proxy = url.set(host="127.0.0.1", port=proxy.port)
        profile = make_profile(tmp_path).replace(
            database_url=through_proxy.render_as_string(hide_password=False)
        )
        await lose_and_recover(local_settings(profile), proxy.stop, proxy.start)
    finally:
        proxy.stop()
