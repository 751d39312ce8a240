"""The Logs filters under Pilot: checked as they are typed, never sent half typed, a
change going to page 1, Esc leaving the field, and a bad value kept out of the outage
banner and the back-off.

The apps refresh by hand (UiConfig.frozen); `refresh_now` stands for the poll timer's
next tick, which on an app left running would send whatever the query holds then.
"""

from __future__ import annotations

from conftest import NOW, backend_settings, build_app, local_settings
from pilot_helpers import settle
from textual.pilot import Pilot
from textual.widgets import Input

from ygmon.screens.logs import LogsScreen
from ygmon.screens.queues import QueuesScreen
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.keyed_table import KeyedTable
from ygmon.widgets.status_banner import StatusBanner


async def _on_logs(pilot: Pilot) -> LogsScreen:
    await pilot.press("3")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, LogsScreen)
    return screen


def _keys(screen: LogsScreen) -> list[str]:
    return [str(row.key.value) for row in screen.query_one(KeyedTable).ordered_rows]


def _page_line(screen: LogsScreen) -> str:
    return str(screen.query_one("#logs-page").render())


def _no_outage(app: object) -> None:
    screen = app.screen  # type: ignore[attr-defined]
    assert not screen.query_one(StatusBanner).has_class("-error")
    assert app.policy.failures == 0  # type: ignore[attr-defined]
    assert app.policy.next_delay() == app.policy.interval  # type: ignore[attr-defined]


async def test_a_half_typed_date_is_marked_in_its_field_and_never_sent(
    backend, shared_profile
) -> None:
    with backend_settings(backend, shared_profile) as settings:
        app = build_app(settings, UiConfig.frozen(NOW))
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await _on_logs(pilot)
            before = _keys(screen)
            field = screen.query_one("#filter-start", Input)
            field.focus()
            await pilot.press(*"2026-0")
            screen.refresh_now()  # the timer's next poll, mid-typing
            await settle(pilot)
            assert field.has_class("-invalid")
            assert "'2026-0' is not a date" in _page_line(screen)
            _no_outage(app)
            assert _keys(screen) == before  # nothing was asked with it

            await pilot.press(*"3-01")  # whole now, not yet applied
            await settle(pilot)
            assert not field.has_class("-invalid")
            assert _keys(screen) == before
            await pilot.press("enter")
            await settle(pilot)
            rows = _keys(screen)
            assert rows and rows != before
            # The runs shown (their cells show no year: the runs themselves are read).
            started = [screen.rows[key].started_at.date().isoformat() for key in rows]
            assert all(day >= "2026-03-01" for day in started)


async def test_a_filter_change_goes_to_page_one(shared_profile) -> None:
    app = build_app(local_settings(shared_profile), UiConfig.frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _on_logs(pilot)
        for _ in range(2):
            await pilot.press("pagedown")
            await settle(pilot)
        assert screen.page == 3
        screen.query_one("#filter-type", Input).focus()
        await pilot.press(*"weekly", "tab")  # typed, then left (no Enter)
        screen.refresh_now()
        await settle(pilot)
        assert screen.page == 1
        assert _page_line(screen).startswith("page 1 of 1 (4 runs)")
        table = screen.query_one(KeyedTable)
        rows = _keys(screen)
        assert len(rows) == 4
        assert all(str(table.get_cell(key, "job_type")) == "weekly" for key in rows)


async def test_escape_leaves_the_filter_field(shared_profile) -> None:
    app = build_app(local_settings(shared_profile), UiConfig.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await _on_logs(pilot)
        await pilot.press("f", *"dai", "escape")
        await settle(pilot)
        assert not isinstance(app.focused, Input)
        await pilot.press("2")  # a screen key again, not a letter of the filter
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)


async def test_a_bad_value_uses_neither_the_banner_nor_the_back_off(shared_profile) -> None:
    app = build_app(local_settings(shared_profile), UiConfig.frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _on_logs(pilot)
        before = _keys(screen)
        end = screen.query_one("#filter-end", Input)
        end.focus()
        await pilot.press(*"not-a-date", "enter")
        await settle(pilot)
        assert end.has_class("-invalid")
        assert "to: 'not-a-date' is not a date (YYYY-MM-DD) - not applied" in _page_line(screen)
        _no_outage(app)
        assert _keys(screen) == before

        # A range that cannot match is said so too, and not sent.
        start = screen.query_one("#filter-start", Input)
        end.value = "2026-02-01"
        start.value = "2026-03-01"
        start.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert "from 2026-03-01 is after to 2026-02-01" in _page_line(screen)
        _no_outage(app)
        assert _keys(screen) == before
