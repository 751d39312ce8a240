"""Layout at 80x24 (and 120x40): the header shortens its target rather than dropping it,
`? Help` stays in the footer on every screen, the Overview's summary carries the workers
and the next run when its panels give way, an hourly run shows its hour, toasts stay off
the header, and tables fit their columns to the terminal (the free-text column taking
what is left, job ids whole where they fit)."""

from __future__ import annotations

from conftest import NOW, build_app, frozen_clock, local_settings, remote_settings
from pilot_helpers import keys_then_settle, settle, wait_until
from rich.cells import cell_len
from servers import serve_on_loopback
from textual.pilot import Pilot
from textual.widgets import Label, Static
from textual.widgets._toast import ToastRack

from ygmon.jobs.runtime import open_runtime
from ygmon.screens.logs import LogsScreen
from ygmon.screens.overview_summary import short_name
from ygmon.screens.queue_jobs import QueueJobsScreen
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.app_footer import AppFooter
from ygmon.widgets.app_header import AppHeader
from ygmon.widgets.job_id import SHORT
from ygmon.widgets.keyed_table import KeyedTable
from ygmon.widgets.link_label import LinkLabel
from ygmon.widgets.queue_board import QueueBoard

LONG_REMOTE = "remote: https://ygmon-admin.example.com:8443"
LONG_LOCAL = "local: sqlite+aiosqlite:////srv/platform/deployments/production/ygmon.db"


def _on_top(pilot: Pilot, widget: object) -> bool:
    """Whether `widget` is what the terminal shows at its first cell (not under another,
    not past the edge)."""
    region = widget.region  # type: ignore[attr-defined]
    width, height = pilot.app.size
    if not region or region.right > width or region.bottom > height:
        return False
    shown, _ = pilot.app.screen.get_widget_at(region.x, region.y)
    return shown is widget


async def test_the_header_shortens_a_remote_target_and_keeps_the_link(shared_profile) -> None:
    with serve_on_loopback(shared_profile, clock=frozen_clock) as (url, token):
        app = build_app(
            remote_settings(url, token), UiConfig.frozen(NOW), target=LONG_REMOTE, live=True
        )
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            header = app.screen.query_one(AppHeader)
            link = header.query_one(LinkLabel)
            await wait_until(pilot, lambda: str(link.render()).startswith("live"))
            await pilot.pause()
            target = header.query_one("#header-target", Label)
            shown = str(target.render())
            # The host, not "remote:" and blank columns (a wrapped label showed only that).
            assert "ygmon-admin.example.com" in shown, shown
            assert target.region.right <= link.region.x
            assert _on_top(pilot, link) and link.region.right <= 80
            for label in header.query(Label):
                assert label.region.height <= 1


async def test_the_header_names_a_local_database_by_its_file(shared_profile) -> None:
    for size, expected in (((80, 24), "local: production/ygmon.db"), ((120, 40), LONG_LOCAL)):
        app = build_app(local_settings(shared_profile), UiConfig.frozen(NOW), target=LONG_LOCAL)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            target = app.screen.query_one(AppHeader).query_one("#header-target", Label)
            # Its folder and file at 80 columns, the whole of it where it fits.
            assert str(target.render()).strip() == expected


async def test_help_is_in_the_footer_at_80_columns(shared_profile) -> None:
    """On the screens with the most keys (Logs, Failed) and where a text field has the
    focus (Search); the 80x24 snapshots of every screen show it on the others."""
    app = build_app(local_settings(shared_profile), UiConfig.frozen(NOW), target="local: demo")
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("3", "4", "8"):
            await pilot.press(key)
            await settle(pilot)
            footer = app.screen.query_one(AppFooter)
            helps = [s for s in footer.spans if s.key.help]
            assert len(helps) == 1, key
            assert helps[0].end == footer.region.right == 80, (key, helps[0])
            # What the terminal shows at its first column (not under a toast).
            at_help = app.screen.get_widget_at(helps[0].start, footer.region.y)[0]
            assert at_help is footer, (key, at_help)
            # In the Search box `?` is a letter: the footer offers F1 there.
            shown = footer.render().plain[helps[0].start : helps[0].end]
            assert ("f1" if app.screen.focused.id == "search-input" else "?") in shown, shown
        await pilot.press("f1")
        await settle(pilot)
        assert type(app.screen).__name__ == "HelpScreen"


async def test_the_compact_overview_names_the_workers_and_the_next_run(history_profile) -> None:
    app = build_app(local_settings(history_profile), UiConfig.frozen(NOW), target="local: demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.has_class("-compact")
        schedules = screen._data.schedules
        soonest = min(schedules, key=lambda s: (s.next_run_at, s.name))
        summary = str(screen.query_one("#overview-summary", Static).render())
        assert "live worker" in summary, summary
        # The next run's name whole, or its short form: never cut.
        named = (f"next {n} in " for n in (soonest.name, short_name(soonest.name)))
        assert any(n in summary for n in named), summary
        assert "…" not in summary, summary
        assert cell_len(summary) <= 80 - 4
        board = screen.query_one(QueueBoard)
        lines = [y for y, row in enumerate(board.rows) if row.kind == "queue"]
        assert lines and all(board.region.y + y + 1 <= 24 - 1 for y in lines)


async def test_hourly_runs_show_their_hour_on_the_logs_screen(shared_profile) -> None:
    app = build_app(local_settings(shared_profile), UiConfig.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_then_settle("3")(pilot)
        screen = app.screen
        assert isinstance(screen, LogsScreen)
        table = screen.query_one(KeyedTable)
        hourly: dict[str, str] = {}
        for _page in range(screen.total_pages):
            for row in table.ordered_rows:
                key = str(row.key.value)
                job_type, period, *_ = (str(c) for c in table.get_row(row.key))
                if job_type == "hourly":
                    hourly[key] = period
                    # The expanded row (Enter) names the hour with its year.
                    assert screen.expanded_text(key).startswith(f"hourly {NOW.year}-{period}:")
            await pilot.press("pagedown")
            await settle(pilot)
        assert len(set(hourly.values())) == len(hourly) == 6, hourly  # each hour its own
        assert all(period.endswith(":00") for period in hourly.values()), hourly


async def test_toasts_never_cover_the_header(shared_profile) -> None:
    app = build_app(local_settings(shared_profile), UiConfig.frozen(NOW))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        for n in range(12):
            app.notify(f"Toast number {n} with words enough to wrap onto two lines here")
        rack = app.screen.get_child_by_type(ToastRack)

        def newest_shown() -> bool:
            return any("number 11" in str(t.render()) for t in rack.query("Toast"))

        await wait_until(pilot, newest_shown)
        await pilot.pause()
        toasts = [t for t in rack.query("Toast") if t.region]
        assert toasts and all(t.region.y >= 1 for t in toasts), [t.region for t in toasts]
        # The newest are the ones shown, the last of them whole above the footer.
        assert "number 11" in str(toasts[-1].render())
        assert toasts[-1].region.bottom <= 24 - 1 and _on_top(pilot, toasts[-1])


async def test_ids_are_whole_where_they_fit_and_cut_one_way_otherwise(fresh_profile) -> None:
    with open_runtime(fresh_profile) as rt:  # no worker: they wait, with generated ids
        waiting = {rt.enqueue("canary") for _ in range(2)}
    for width, whole in ((120, True), (64, False)):
        app = build_app(local_settings(fresh_profile), UiConfig.frozen(NOW))
        async with app.run_test(size=(width, 24)) as pilot:
            await settle(pilot)
            app.push_screen(QueueJobsScreen("maintenance"))
            await settle(pilot)
            table = app.screen.query_one(KeyedTable)
            shown = {str(r.key.value): str(table.get_row(r.key)[0]) for r in table.ordered_rows}
            assert waiting <= set(shown) and all(len(i) > SHORT for i in waiting)
            for job_id, cell in shown.items():
                if whole or len(job_id) <= SHORT:
                    assert cell == job_id
                else:
                    assert cell == "…" + job_id[-(SHORT - 1) :], (job_id, cell)
            assert table.virtual_size.width <= table.size.width  # no sideways scroll


async def test_the_error_column_takes_the_spare_width(shared_profile) -> None:
    """Failed: at 80 columns an error is cut to the room left, with an ellipsis; at 120
    the same error is whole; no table scrolls sideways."""
    errors: dict[int, list[str]] = {}
    for width, height in ((80, 24), (120, 40)):
        app = build_app(local_settings(shared_profile), UiConfig.frozen(NOW))
        async with app.run_test(size=(width, height)) as pilot:
            await settle(pilot)
            await pilot.press("4")
            await settle(pilot)
            table = app.screen.query_one("#failed-table", KeyedTable)
            errors[width] = [str(table.get_row(r.key)[4]) for r in table.ordered_rows]
            assert table.virtual_size.width <= table.size.width
    assert any(e.endswith("…") for e in errors[80]), errors[80]
    assert not any(e.endswith("…") for e in errors[120]), errors[120]
    pairs = zip(errors[80], errors[120], strict=True)
    assert all(whole.startswith(cut.rstrip("…")) for cut, whole in pairs)
