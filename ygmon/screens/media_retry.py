"""`r` on a failed preview: confirm, then retry the asset's media job (its thumbnail or
preview job, on asset-preview-generation) through the Monitor."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ygmon.errors import YgmonError
from ygmon.monitor.asset_schemas import AssetDetail
from ygmon.screens.confirm_dialog import ConfirmDialog

if TYPE_CHECKING:
    from ygmon.screens.polled_screen import PolledScreen


def ask_retry(
    screen: PolledScreen, asset: AssetDetail, retry: Callable[[AssetDetail], None]
) -> None:
    if asset.status != "failed" or asset.media_job_id is None:
        screen.notify("Only a failed preview can be retried.", severity="warning")
        return
    if not screen.monitor.SUPPORTS_RETRY:
        screen.notify(
            "This backend is read-only (--read-only or a read-only server): retries are refused.",
            title="Retry refused",
            severity="error",
        )
        return
    question = f"Retry the preview of {asset.title[:40]}?"
    screen.app.push_screen(ConfirmDialog(question), lambda yes: retry(asset) if yes else None)


async def retry_job(screen: PolledScreen, asset: AssetDetail) -> None:
    try:
        result = await screen.monitor.retry(asset.media_queue, asset.media_job_id or "")
    except YgmonError as exc:
        screen.notify(exc.message, title=exc.title, severity="error")
    else:
        screen.notify(f"Preview job {result.job_id[:12]} {result.status}.", title="Retry")
    screen.refresh_now()
