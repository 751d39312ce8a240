"""One asset: its thumbnail drawn in half blocks beside its file, scan and preview
state; a failed preview shows its error, and `r` retries its job."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from ygmon.monitor.asset_schemas import AssetDetail
from ygmon.screens.media_retry import ask_retry, retry_job
from ygmon.screens.polled_screen import PolledScreen
from ygmon.screens.shared_keys import back_key
from ygmon.tui.formatting import stamp
from ygmon.widgets.half_block_image import HalfBlockImage
from ygmon.widgets.thumbnail_pixels import Pixels, decode

STATUS_WORDS = {
    "ready": "Preview ready",
    "failed": "Preview generation failed",
    "generating": "Generating preview...",
}


def file_size(value: int | None) -> str:
    if value is None:
        return "-"
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if value >= size:
            return f"{value / size:.1f} {unit}"
    return f"{value} B"


def describe(asset: AssetDetail) -> str:
    meta = asset.metadata
    lines = [
        asset.title,
        "",
        f"Type      {asset.type}  {asset.mime_type or ''}".rstrip(),
        f"File      {file_size(asset.file_size)}",
        f"Scan      {asset.scan_status}",
        f"Preview   {STATUS_WORDS.get(asset.status or '', 'none for this type')}",
    ]
    if meta and meta.preview_duration is not None:
        lines.append(f"Clip      {meta.preview_duration:.1f}s, {file_size(meta.preview_size)}")
    if meta and meta.preview_generated_at:
        lines.append(f"Made      {stamp(meta.preview_generated_at)}")
    if meta and meta.preview_last_attempt:
        lines.append(f"Attempted {stamp(meta.preview_last_attempt)}")
    if meta and meta.preview_error:
        lines += ["", f"Error     {meta.preview_error}"]
        if asset.status == "failed":
            lines.append("          r retries its job")
    if asset.thumbnail_url is None:
        lines += ["", "No thumbnail yet."]
    return "\n".join(lines)


@dataclass(frozen=True)
class _Fetched:
    asset: AssetDetail
    pixels: Pixels | None


class AssetDetailScreen(PolledScreen):
    CSS_PATH = "asset_detail.tcss"
    BINDINGS = [
        Binding("r", "retry", "Retry", id="asset.retry"),
        back_key("asset", "app.pop_screen"),
    ]

    def __init__(self, asset_id: str) -> None:
        super().__init__()
        self.asset_id = asset_id
        self.asset: AssetDetail | None = None
        self._thumb_for: str | None = None
        self._pixels: Pixels | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="asset-detail"):
            yield HalfBlockImage(id="asset-thumbnail")
            with VerticalScroll(id="asset-info"):
                yield Static("Loading the asset...", id="asset-text", markup=False)

    async def fetch(self) -> _Fetched:
        asset = await self.monitor.asset(self.asset_id)
        # The thumbnail's key (its URL less the signature) changes only when it is made.
        url = (asset.thumbnail_url or "").split("?")[0] or None
        if url != self._thumb_for:
            data = await self.monitor.asset_thumbnail(self.asset_id) if url else None
            self._pixels = await asyncio.to_thread(decode, data) if data else None
            self._thumb_for = url
        return _Fetched(asset, self._pixels)

    def show(self, data: _Fetched) -> None:
        self.asset = data.asset
        self.query_one("#asset-text", Static).update(describe(data.asset))
        image = self.query_one(HalfBlockImage)
        image.set_pixels(data.pixels)
        image.set_class(data.pixels is None, "-empty")

    def action_retry(self) -> None:
        if self.asset is None:
            return
        ask_retry(self, self.asset, self._retry)

    @work(exclusive=True, exit_on_error=False, group="retry")
    async def _retry(self, asset: AssetDetail) -> None:
        await retry_job(self, asset)
