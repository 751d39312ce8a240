"""A polled screen of one paged table whose rows open (Enter) into a panel below it:
the page state, PgUp/PgDn and the open row, shared by the Logs and Audit screens."""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from textual.binding import Binding
from textual.widgets import DataTable, Static

from ygmon.screens.polled_screen import PolledScreen

PAGES = Binding.Group("Page", compact=True)
RowT = TypeVar("RowT")


def page_bindings(prefix: str, *more: Binding) -> list[Binding]:
    """PgUp/PgDn, ahead of the table's own (which would only move its cursor), then
    the screen's `more`."""
    return [
        Binding(
            "pageup", "page(-1)", "Previous page", id=f"{prefix}.prev", priority=True, group=PAGES
        ),
        Binding(
            "pagedown", "page(1)", "Next page", id=f"{prefix}.next", priority=True, group=PAGES
        ),
        *more,
    ]


class PagedTableScreen(PolledScreen, Generic[RowT]):
    """Subclasses name their table and panel and say what an open row shows."""

    TABLE_ID: ClassVar[str]
    PANEL_ID: ClassVar[str]

    def __init__(self) -> None:
        super().__init__()
        self.page = 1
        self.total_pages = 1
        self._expanded: str | None = None
        self.rows: dict[str, RowT] = {}
        """The shown page's items by row key, for the panel of an open row."""

    def expanded_text(self, key: str) -> str | None:
        """The panel's text for row `key`, or None when that row is gone."""
        raise NotImplementedError

    def action_page(self, step: int) -> None:
        page = min(max(1, self.page + step), self.total_pages)
        if page != self.page:
            self.page = page
            self._expanded = None
            self.refresh_now()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id != self.TABLE_ID:
            return
        key = str(event.row_key.value)
        self._expanded = None if self._expanded == key else key
        self._show_expanded()

    def _show_expanded(self) -> None:
        panel = self.query_one(f"#{self.PANEL_ID}", Static)
        text = None if self._expanded is None else self.expanded_text(self._expanded)
        panel.display = text is not None
        panel.update(text or "")
