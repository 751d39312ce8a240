"""QueueBoard, the Overview's queue list drawn by one widget: it is mounted with the
screen and draws nothing before the first data, which mounts nothing; a line under the
mouse gives the board its tooltip; a paused queue's label ends in "‖", in $warning
italic; a poll that brings nothing new draws nothing."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from conftest import NOW, build_app, local_settings, make_profile
from pilot_helpers import settle, wait_until
from rich.color import Color as RichColor
from textual.color import Color
from textual.widgets import Tooltip

from ygmon.config import LocalProfile
from ygmon.jobs.registry import queue_pauses
from ygmon.jobs.registry.store import make_store
from ygmon.screens.overview import OverviewScreen
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.queue_board import BoardRow, QueueBoard


def _app(profile: LocalProfile):
    return build_app(local_settings(profile), UiConfig.frozen(NOW), target="local: demo")


def _style_of(board: QueueBoard, row: BoardRow, text: str):
    """The style the board draws `text` in, on `row`'s line."""
    strip = board.render_line(board.rows.index(row))
    (style,) = [s.style for s in strip if text in s.text]
    return style


async def test_nothing_is_drawn_before_the_first_data_and_nothing_mounted_after(
    monkeypatch: pytest.MonkeyPatch, shared_profile: LocalProfile
) -> None:
    """The list's lines come with the data, as one repaint: no placeholder row before
    it (a monitor never shows what no job did), no widget mounted after it."""
    gate = asyncio.Event()
    fetch = OverviewScreen.fetch

    async def held(self: OverviewScreen):
        await gate.wait()
        return await fetch(self)

    monkeypatch.setattr(OverviewScreen, "fetch", held)
    app = _app(shared_profile)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, OverviewScreen) and screen.polls == 0
        board = screen.query_one(QueueBoard)
        assert board.rows == () and board.size.height == 0
        before = len(list(screen.walk_children()))
        gate.set()
        await settle(pilot)
        await wait_until(pilot, lambda: BoardRow("detail", "search") in board.rows)
        assert len(list(screen.walk_children())) == before
        queues = [row.name for row in board.rows if row.kind == "queue"]
        assert len(queues) == 13 and queues == board.queue_names()
        assert board.size.height == len(board.rows)


async def test_a_line_under_the_mouse_shows_its_tooltip(history_profile: LocalProfile) -> None:
    app = _app(history_profile)
    async with app.run_test(size=(120, 40), tooltips=True) as pilot:
        await settle(pilot)
        board = app.screen.query_one(QueueBoard)
        await wait_until(pilot, lambda: BoardRow("detail", "search") in board.rows)
        tooltip = app.screen.query_one(Tooltip)

        # A queue's line: its name and its last hour, as the sparklines count it.
        email = board.rows.index(BoardRow("queue", "email"))
        await pilot.hover(QueueBoard, offset=(4, email))
        await pilot.pause()
        assert str(board.tooltip).startswith("email: ") and "in the last hour" in board.tooltip
        assert board.tooltip == board.tooltip_of(BoardRow("queue", "email"))
        # Shown after the app's tooltip delay: waited for, not slept (a busy machine).
        await wait_until(pilot, lambda: tooltip.display and "email: " in str(tooltip.render()))

        # The search group's line: the index's lines (the detail under it has none).
        # Textual hides a shown tooltip at a move within its widget and shows it again
        # after the next: a mouse sends a move per cell it crosses.
        search = board.rows.index(BoardRow("group", "search"))
        await pilot.hover(QueueBoard, offset=(4, search))
        await pilot.hover(QueueBoard, offset=(5, search))
        await pilot.pause()
        assert "indexed" in str(board.tooltip)
        await wait_until(pilot, lambda: tooltip.display and "indexed" in str(tooltip.render()))

        # Another group's line has no tooltip; off the board, none.
        other = next(r for r in board.rows if r.kind == "group" and r.name != "search")
        await pilot.hover(QueueBoard, offset=(4, board.rows.index(other)))
        await wait_until(pilot, lambda: board.tooltip is None and not tooltip.display)
        await pilot.hover(QueueBoard, offset=(4, email))
        await pilot.pause()
        await pilot.hover("#queue-head")
        await pilot.pause()
        assert board.tooltip is None


async def test_a_paused_queue_is_drawn_paused(tmp_path: Path) -> None:
    profile = make_profile(tmp_path)
    store = make_store(profile.broker_url, profile.namespace)
    try:
        queue_pauses.pause(store, "maintenance", NOW.timestamp(), "ann")
    finally:
        store.close()
    app = _app(profile)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        board = app.screen.query_one(QueueBoard)
        await wait_until(pilot, lambda: BoardRow("queue", "maintenance") in board.rows)
        assert board.queue("maintenance").paused  # type: ignore[union-attr]
        paused = _style_of(board, BoardRow("queue", "maintenance"), "maintenance ‖")
        warning = Color.parse(app.theme_variables["warning"])
        assert paused.italic and paused.color == RichColor.from_rgb(*warning.rgb)
        served = _style_of(board, BoardRow("queue", "email"), "email")
        assert not served.italic and served.color != paused.color


async def test_a_poll_with_nothing_new_draws_nothing(
    monkeypatch: pytest.MonkeyPatch, shared_profile: LocalProfile
) -> None:
    """Polled every 2 s and told the ages every second: at a frozen time, with the same
    data, the board is not drawn again."""
    app = _app(shared_profile)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        board = screen.query_one(QueueBoard)
        await wait_until(pilot, lambda: BoardRow("detail", "search") in board.rows)
        await settle(pilot)
        renders: list[QueueBoard] = []
        render = QueueBoard.render

        def counted(self: QueueBoard):
            renders.append(self)
            return render(self)

        monkeypatch.setattr(QueueBoard, "render", counted)
        polls = screen.polls
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: screen.polls > polls)
        screen._show_ages()  # what the ticker does each second
        await settle(pilot)
        assert renders == []
