"""Snapshots of every screen at 80x24 and 120x40 over the seeded data at a frozen time,
and of the failure banner, the stale marker, the confirm dialog and the READ-ONLY badge.

`make snapshots` rewrites them after a deliberate change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from conftest import NOW, build_app, frozen_clock, local_settings, remote_settings
from pilot_helpers import keys_then_settle, settle
from restartable_server import RestartableServer
from servers import admin_token, free_port
from textual.pilot import Pilot

from ygmon.app import SCREENS_BY_KEY
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.keyed_table import KeyedTable
from ygmon.widgets.queue_board import QueueBoard

CLOSED_PORT = 9
"""Nothing listens on the discard port: a connection is refused at once."""
SHOWN_PORT = 47311
"""The port the stale banner's snapshot shows; the server listens on a free one."""
SIZES = [(80, 24), (120, 40)]
SCREENS = [key for key, _mode, _title, _make in SCREENS_BY_KEY]
LATER = NOW + timedelta(minutes=20)
"""The app left open for 20 minutes over data made at NOW: every age has grown."""


def later_clock() -> datetime:
    return LATER


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
@pytest.mark.parametrize("key", SCREENS)
def test_screen(snap_compare, shared_profile, key: str, size: tuple[int, int]) -> None:
    """Every screen 20 minutes on (ages of two digits and more in their columns): nothing
    cut that has room, the footer's `? Help` at both sizes."""
    app = build_app(
        local_settings(shared_profile),
        UiConfig.frozen(LATER),
        target="local: demo",
        clock=later_clock,
    )
    assert snap_compare(app, terminal_size=size, run_before=keys_then_settle(key))


@pytest.mark.parametrize(
    "size", [(80, 24), (100, 30), (120, 40)], ids=["80x24", "100x30", "120x40"]
)
def test_overview_with_history(snap_compare, history_profile, size: tuple[int, int]) -> None:
    """Every queue on screen, its last hour's completed and failed jobs drawn."""
    app = build_app(local_settings(history_profile), UiConfig.frozen(NOW), target="local: demo")

    async def check(pilot: Pilot) -> None:
        await settle(pilot)
        board = app.screen.query_one(QueueBoard)
        lines = [y for y, row in enumerate(board.rows) if row.kind == "queue"]
        assert len(lines) == 13
        assert all(board.region.y + y + 1 <= size[1] - 1 for y in lines)  # above the footer

    assert snap_compare(app, terminal_size=size, run_before=check)


def test_confirm_dialog(snap_compare, shared_profile) -> None:
    app = build_app(local_settings(shared_profile), UiConfig.frozen(NOW), target="local: demo")
    assert snap_compare(app, run_before=keys_then_settle("4", "r"))


def test_read_only_badge(snap_compare, shared_profile) -> None:
    profile = shared_profile.replace(read_only=True)
    app = build_app(local_settings(profile), UiConfig.frozen(NOW), target="local: demo")
    assert snap_compare(app, run_before=keys_then_settle("4"))


def test_error_banner_with_no_data(snap_compare) -> None:
    settings = remote_settings(f"http://127.0.0.1:{CLOSED_PORT}", "no-token")
    app = build_app(settings, UiConfig.frozen(NOW), target="remote: gone")
    assert snap_compare(app, run_before=keys_then_settle("2"))


@pytest.fixture
def port_blind_screenshots(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    """`blind(port)`: screenshots show SHOWN_PORT where `port` was, and a fixed SVG id
    (Rich derives the id from the content, so the port would change it too)."""
    import textual._doc

    def blind(port: int) -> None:
        take = textual._doc.take_svg_screenshot

        def taken(*args: Any, **kwargs: Any) -> str:
            svg = take(*args, **kwargs).replace(f":{port}", f":{SHOWN_PORT}")
            return re.sub(r"terminal-\d+", "terminal-ygmon", svg)

        monkeypatch.setattr(textual._doc, "take_svg_screenshot", taken)

    return blind


def test_stale_marker(snap_compare, shared_profile, port_blind_screenshots) -> None:
    port = free_port()  # five digits, as SHOWN_PORT: the layout is the same
    port_blind_screenshots(port)
    server = RestartableServer(shared_profile, port, clock=frozen_clock)
    server.start()
    settings = remote_settings(server.base_url, admin_token(shared_profile))
    app = build_app(settings, UiConfig.frozen(NOW), target="remote: test")

    async def lose_server(pilot: Pilot) -> None:
        await keys_then_settle("2")(pilot)
        assert app.screen.query_one(KeyedTable).row_count > 0
        server.stop()
        await pilot.press("ctrl+r")
        await settle(pilot)

    try:
        assert snap_compare(app, run_before=lose_server)
    finally:
        server.stop()
