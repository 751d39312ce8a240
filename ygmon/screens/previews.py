"""Previews: video and audio assets and their preview clips, filterable by status;
Enter opens an asset's detail (with its thumbnail), `r` retries a failed one's job.

Titles and errors are free text, longer together than a narrow terminal: the table
cuts them to its width with an ellipsis (the error keeps the larger share), and the
line under it shows the highlighted asset's title and detail in full."""

from __future__ import annotations

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Select, Static

from ygmon.errors import YgmonError
from ygmon.monitor.asset_schemas import AssetDetail
from ygmon.monitor.schemas import Page, PreviewAsset
from ygmon.screens.media_retry import ask_retry, retry_job
from ygmon.screens.polled_screen import PolledScreen
from ygmon.tui.age_ticker import tick_each_second
from ygmon.tui.formatting import age
from ygmon.widgets.empty_state import EmptyState
from ygmon.widgets.keyed_table import KeyedTable

COLUMNS = [
    ("status", "Status"),
    ("type", "Type"),
    ("title", "Title"),
    ("clip", "Clip"),
    ("size", "Size"),
    ("detail", "Detail"),
]
STATUSES = ["ready", "failed", "generating"]
TITLE, DETAIL = 2, 5  # the free-text columns
MIN_TITLE = 16
# DataTable pads each cell with one space either side.
_PADDING = 2 * len(COLUMNS)
_SCROLLBAR = 2


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"


def fitted(rows: list[tuple[str, tuple[str, ...]]], width: int) -> list[tuple[str, tuple]]:
    """`rows` with the title and detail cut (an ellipsis) so that a row fits `width`."""
    if not rows:
        return []

    def longest(i: int) -> int:
        return max(len(COLUMNS[i][1]), *(len(cells[i]) for _, cells in rows))

    fixed = sum(longest(i) for i in range(len(COLUMNS)) if i not in (TITLE, DETAIL))
    room = max(0, width - fixed - _PADDING)
    title = min(longest(TITLE), max(MIN_TITLE, room - longest(DETAIL)))
    detail = max(len(COLUMNS[DETAIL][1]), room - title)
    limits = {TITLE: title, DETAIL: detail}
    return [
        (key, tuple(_cut(c, limits[i]) if i in limits else c for i, c in enumerate(cells)))
        for key, cells in rows
    ]


def _size(value: int | None) -> str:
    from ygmon.screens.asset_detail import file_size

    return file_size(value) if value is not None else "-"


class PreviewsScreen(PolledScreen):
    TITLE = "Previews"
    CSS_PATH = "previews.tcss"
    AUTO_FOCUS = "#previews-table"
    BINDINGS = [Binding("r", "retry", "Retry", id="previews.retry")]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._rows: list[tuple[str, tuple[str, ...]]] = []
        self._page: Page[PreviewAsset] | None = None

    def compose_body(self) -> ComposeResult:
        yield Select([(s, s) for s in STATUSES], prompt="any status", id="preview-status")
        yield KeyedTable(COLUMNS, id="previews-table")
        yield Static("", id="preview-selected", markup=False)
        yield EmptyState("", id="previews-empty")

    def on_mount(self) -> None:
        tick_each_second(self, self._tick)

    def _tick(self) -> None:
        """A generating preview's "started 12s ago" ticks: the page last read, shown
        again (no fetch)."""
        if self._page is not None:
            self.show(self._page)

    async def fetch(self) -> Page[PreviewAsset]:
        status = self.query_one("#preview-status", Select).value
        return await self.monitor.previews(
            status=None if status is Select.NULL else status, page=1, page_size=100
        )

    def show(self, data: Page[PreviewAsset]) -> None:
        self._page = data
        now = self.now()
        rows = []
        for asset in data.data:
            meta = asset.metadata
            clip, size = "-", "-"
            if asset.status == "failed":
                detail = (meta.preview_error if meta else None) or "error"
            elif asset.status == "ready":
                detail = "ready"
            else:
                last = meta.preview_last_attempt if meta else None
                detail = f"started {age(last, now)}" if last else "queued"
            if meta and meta.preview_duration is not None and asset.status != "failed":
                clip, size = f"{meta.preview_duration:.1f}s", _size(meta.preview_size)
            cells = (asset.status, asset.type.lower(), asset.title, clip, size, detail)
            rows.append((asset.id, cells))
        self._rows = rows
        self._sync()
        status = self.query_one("#preview-status", Select).value
        empty = self.query_one(EmptyState)
        which = "" if status is Select.NULL else f"{status} "
        empty.update(
            f"No {which}video or audio previews. A preview is made once an uploaded video or "
            "audio asset is CLEAN and has its thumbnail (`ygmon assets import FILE`); "
            "run `ygmon demo` for sample assets."
        )
        empty.set_shown(not data.data)

    def _sync(self) -> None:
        table = self.query_one(KeyedTable)
        width = self.size.width
        if not table.size.height or len(self._rows) + 1 > table.size.height:
            width -= _SCROLLBAR  # the rows overflow: room for the vertical scrollbar
        table.sync(fitted(self._rows, width))
        self._show_selected()

    def on_resize(self, event: events.Resize) -> None:
        if self._rows:
            self._sync()

    @on(DataTable.RowHighlighted, "#previews-table")
    def _show_selected(self) -> None:
        """The highlighted asset's title and detail, uncut (the table may cut them)."""
        panel = self.query_one("#preview-selected", Static)
        key = self.query_one(KeyedTable).selected_key
        cells = dict(self._rows).get(key or "")
        panel.display = cells is not None
        if cells is not None:
            status, _type, title, *_, detail = cells
            hint = "  (r retries its job)" if status == "failed" else ""
            panel.update(f"{title}: {detail}{hint}" if detail != status else f"{title}: {status}")

    @on(Select.Changed, "#preview-status")
    def filter_changed(self) -> None:
        self.refresh_now()

    @on(DataTable.RowSelected, "#previews-table")
    def open_asset(self, event: DataTable.RowSelected) -> None:
        from ygmon.screens.asset_detail import AssetDetailScreen

        self.app.push_screen(AssetDetailScreen(str(event.row_key.value)))

    @work(exclusive=True, exit_on_error=False, group="retry")
    async def action_retry(self) -> None:
        key = self.query_one(KeyedTable).selected_key
        if key is None:
            self.notify("No preview is selected.", severity="warning")
            return
        try:
            asset = await self.monitor.asset(key)
        except YgmonError as exc:
            self.notify(exc.message, title=exc.title, severity="error")
            return
        ask_retry(self, asset, self._retry)

    @work(exclusive=True, exit_on_error=False, group="retry-run")
    async def _retry(self, asset: AssetDetail) -> None:
        await retry_job(self, asset)
