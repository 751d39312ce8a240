"""A DataTable whose rows are keyed and updated in place: cursor and scroll survive a
refresh. Each column is as wide as its widest cell after every sync (an age that grows
widens its column, rows that go narrow it); a free-text column takes the width the others
leave and job ids are whole where they fit (ygmon.widgets.column_fit)."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import events
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from ygmon.widgets.column_fit import fit_rows


def _plain(cell: Any) -> Any:
    # DataTable would read a str as Rich markup: "[Errno 2]" in an error must stay as is.
    return Text(cell) if isinstance(cell, str) else cell


class KeyedTable(DataTable):
    """`sync(rows)` makes the table equal `rows`, touching only the cells that changed."""

    DEFAULT_CSS = """
    KeyedTable { height: 1fr; }
    """

    def __init__(
        self,
        columns: Sequence[tuple[str, str]],
        *,
        free: str | None = None,
        ids: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self._column_keys = [key for key, _label in columns]
        self._labels = [label for _key, label in columns]
        self._free = free
        """The free-text column: it takes the width the others leave, cut to it."""
        self._ids = ids
        """The job id column: whole ids where they fit, else cut (ygmon.widgets.job_id)."""
        self._given: list[tuple[str, tuple[Any, ...]]] = []
        self._shown: dict[str, tuple[Any, ...]] = {}
        self.cells_written = 0
        """Cells written by the last sync (a refresh with no change writes none)."""

    def on_mount(self) -> None:
        for key, label in zip(self._column_keys, self._labels, strict=True):
            self.add_column(label, key=key)

    def set_columns(self, columns: Sequence[tuple[str, str]]) -> None:
        """Other columns (a narrower terminal, say): the rows go, the next sync fills them."""
        if [key for key, _ in columns] == self._column_keys:
            return
        self.clear(columns=True)
        self._shown.clear()
        self._column_keys = [key for key, _label in columns]
        self._labels = [label for _key, label in columns]
        for key, label in columns:
            self.add_column(label, key=key)

    @property
    def selected_key(self) -> str | None:
        if self.row_count == 0:
            return None
        try:
            key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        except Exception:
            return None
        return key.value

    def on_resize(self, event: events.Resize) -> None:
        # Another width: the free column and the ids are cut again to fit it.
        if self._given and (self._free or self._ids):
            self.sync(self._given)

    def _room(self, rows: int) -> int:
        """Cells across for the columns: the width its container gives the table (its
        own follows its columns; the terminal's before the first layout), less the
        vertical scrollbar when the rows overflow."""
        width = self.container_size.width or self.app.size.width
        if not self.size.height or rows + 1 > self.size.height:
            width -= self.styles.scrollbar_size_vertical
        return width

    def _fitted(self, rows: Sequence[tuple[str, tuple[Any, ...]]]) -> list:
        keys = self._column_keys
        return fit_rows(
            self._labels,
            rows,
            self._room(len(rows)),
            free=keys.index(self._free) if self._free else None,
            ids=keys.index(self._ids) if self._ids else None,
        )

    def sync(self, rows: Sequence[tuple[str, tuple[Any, ...]]]) -> None:
        """Make the table equal `rows`; each column then as wide as its widest cell."""
        self._given = list(rows)
        rows = self._fitted(rows)
        written = 0
        wanted = dict(rows)
        order = [key for key, _ in rows]
        with self.app.batch_update():
            gone = [k for k in self._shown if k not in wanted]
            for key in gone:
                with contextlib.suppress(RowDoesNotExist):
                    self.remove_row(key)
                del self._shown[key]
            shown_order = [k for k in self._rows_in_order() if k in wanted]
            if shown_order != [k for k in order if k in self._shown]:
                # The order changed (a new job at the top): rebuild, keep the selected key.
                selected = self.selected_key
                self.clear()
                self._shown.clear()
                gone.append("")  # every row went
                for key, cells in rows:
                    self.add_row(*map(_plain, cells), key=key)
                    self._shown[key] = cells
                    written += len(cells)
                if selected in self._shown:
                    self.move_cursor(row=self.get_row_index(selected), animate=False)
            else:
                for key, cells in rows:
                    old = self._shown.get(key)
                    if old is None:
                        self.add_row(*map(_plain, cells), key=key)
                        written += len(cells)
                    elif old != cells:
                        for column, (before, after) in enumerate(zip(old, cells, strict=True)):
                            if before != after:
                                name = self._column_keys[column]
                                self.update_cell(
                                    key,
                                    name,
                                    _plain(after),
                                    # Narrower or wider: the column fits its cells.
                                    update_width=True,
                                )
                                written += 1
                    self._shown[key] = cells
            if gone:
                self._refit()
            self._measure_now()
        self.cells_written = written

    def _refit(self) -> None:
        # DataTable only widens a column for new rows: once rows went, each column is measured
        # again from its label and the rows shown, so the widths are those of what is
        # on screen, not of what was there before (a search typed letter by letter).
        for column in self.columns.values():
            column.content_width = column.label.cell_len
        self._new_rows.update(self.rows)
        self._require_update_dimensions = True

    def _measure_now(self) -> None:
        # DataTable measures new and changed cells only when its message queue next runs
        # dry (its Idle handler), so a frame drawn before that shows the new rows in the
        # old column widths: cut cells for a moment on a busy machine, and a screenshot
        # can catch it. Measure in the same update instead, as that handler would.
        if self._updated_cells:
            cells = self._updated_cells.copy()
            self._updated_cells.clear()
            self._update_column_widths(cells)
        if self._require_update_dimensions:
            self._require_update_dimensions = False
            new_rows = self._new_rows.copy()
            self._new_rows.clear()
            self._update_dimensions(new_rows)

    def _rows_in_order(self) -> list[str]:
        return [row.key.value for row in self.ordered_rows]
