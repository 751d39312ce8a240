"""Previews: video and audio assets and their preview clips, filterable by status."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Select

from ygmon.monitor.schemas import Page, PreviewAsset
from ygmon.screens.polled_screen import PolledScreen
from ygmon.tui.formatting import age
from ygmon.widgets.empty_state import EmptyState
from ygmon.widgets.keyed_table import KeyedTable

COLUMNS = [("status", "Status"), ("type", "Type"), ("title", "Title"), ("detail", "Detail")]
STATUSES = ["ready", "failed", "generating"]


class PreviewsScreen(PolledScreen):
    TITLE = "Previews"
    AUTO_FOCUS = "#previews-table"

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
            if asset.status == "failed":
                detail = (meta.preview_error if meta else None) or "error"
            elif asset.status == "ready":
                detail = f"{meta.preview_duration or 0:.0f}s clip" if meta else "ready"
            else:
                last = meta.preview_last_attempt if meta else None
                detail = f"last attempt {age(last, now)}" if last else "queued"
            rows.append((asset.id, (asset.status, asset.type.lower(), asset.title, detail)))
        self.query_one(KeyedTable).sync(rows)
        status = self.query_one("#preview-status", Select).value
        empty = self.query_one(EmptyState)
        which = "" if status is Select.NULL else f"{status} "
        empty.update(
            f"No {which}video or audio previews. A preview is generated when a video or "
            "audio asset is uploaded (previews queue); run `ygmon demo` for sample assets."
        )
        empty.set_shown(not data.data)

    @on(Select.Changed, "#preview-status")
    def filter_changed(self) -> None:
        self.refresh_now()
