"""`GET /api/admin/jobs/assets/{assetId}`: one asset for the detail screen (extension)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from ygmon.api.deps import monitor_of, ok
from ygmon.api.models import NOT_FOUND, Envelope, extension, extension_router
from ygmon.monitor.asset_schemas import AssetDetail

router = extension_router()


@router.get(
    "/assets/{assetId}",
    responses=NOT_FOUND,
    response_model=Envelope[AssetDetail],
    openapi_extra=extension(),
)
async def asset(request: Request, assetId: str) -> JSONResponse:
    """One asset: file, scan state, signed thumbnail and preview URLs, preview metadata."""
    return ok(await monitor_of(request).asset(assetId))
