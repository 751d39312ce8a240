"""KeyedTable: a frame drawn right after a sync shows its rows in widths that fit them,
not in the widths of before (issue 20: a loaded machine drew, and a snapshot caught,
new rows in the old column widths)."""

from __future__ import annotations

from textual.app import App, ComposeResult

from ygmon.widgets.keyed_table import KeyedTable

COLUMNS = [("job", "Job"), ("error", "Error")]
LONG_ERROR = "Source file is not a video: detected tty (Tele-typewriter)"


class TableApp(App):
    def compose(self) -> ComposeResult:
        yield KeyedTable(COLUMNS)


async def test_a_sync_measures_its_rows_before_the_next_frame() -> None:
    app = TableApp()
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(KeyedTable)
        # No pause between the sync and the reads: nothing has run the table's Idle.
        table.sync([("a", ("a1", "short")), ("b", ("b2", LONG_ERROR))])
        assert table.columns["error"].content_width == len(LONG_ERROR)
        assert LONG_ERROR in table.render_line(2).text

        table.sync([("a", ("a1", "short")), ("b", ("b2", "now short"))])
        assert table.columns["error"].content_width == len("now short")


async def test_a_fitted_table_narrows_when_its_widest_rows_go() -> None:
    app = TableApp()
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(KeyedTable)
        table.sync([("a", ("a1", "short")), ("b", ("b2", LONG_ERROR))])
        table.sync([("a", ("a1", "short"))])  # the long row went
        assert table.columns["error"].content_width == len("Error")
        table.sync([("c", ("c3", "now short")), ("a", ("a1", "short"))])  # a new order
        assert table.columns["error"].content_width == len("now short")
