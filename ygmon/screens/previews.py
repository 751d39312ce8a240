"""Previews: video and audio assets and their preview clips, filterable by status;
Enter opens an asset's detail (with its thumbnail), `r` retries a failed one's job."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Select

from ygmon.errors import YgmonError
from ygmon.monitor.asset_schemas import AssetDetail
from ygmon.monitor.schemas import Page, PreviewAsset
from ygmon.screens.polled_screen import PolledScreen
from ygmon.tui.formatting import age
from ygmon.tui.media_retry import ask_retry, retry_job
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


def _size(value: int | None) -> str:
    from ygmon.screens.asset_detail import file_size

    return file_size(value) if value is not None else "-"


class PreviewsScreen(PolledScreen):
    TITLE = "Previews"
    AUTO_FOCUS = "#previews-table"
    BINDINGS = [Binding("r", "retry", "Retry", id="previews.retry")]

    def compose_body(self) -> ComposeResult:
        yield Select([(s, s) for s in STATUSES], prompt="any status", id="preview-status")
        yield KeyedTable(COLUMNS, id="previews-table")
        yield EmptyState("", id="previews-empty")

    async def fetch(self) -> Page[PreviewAsset]:
        status = self.query_one("#preview-status", Select).value
        return await self.monitor.previews(
            status=None if status is Select.NULL else status, page=1, page_size=100
        )

    def show(self, data: Page[PreviewAsset]) -> None:
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
        self.query_one(KeyedTable).sync(rows)
        status = self.query_one("#preview-status", Select).value
        empty = self.query_one(EmptyState)
        which = "" if status is Select.NULL else f"{status} "
        empty.update(
            f"No {which}video or audio previews. A preview is made once an uploaded video or "
            "audio asset is CLEAN and has its thumbnail (`ygmon assets import FILE`); "
            "run `ygmon demo` for sample assets."
        )
        empty.set_shown(not data.data)

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
