"""`GET /api/admin/jobs/assets/{assetId}`: one asset for the detail screen (extension)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from ygmon.api.deps import monitor_of, ok
from ygmon.api.models import EXTENSION, NOT_FOUND, Envelope
from ygmon.monitor.asset_schemas import AssetDetail

router = APIRouter(prefix="/api/admin/jobs", tags=["extension"])


@router.get(
    "/assets/{assetId}",
    responses=NOT_FOUND,
    response_model=Envelope[AssetDetail],
    openapi_extra=dict(EXTENSION),
)
async def asset(request: Request, assetId: str) -> JSONResponse:
    """One asset: file, scan state, signed thumbnail and preview URLs, preview metadata."""
    return ok(await monitor_of(request).asset(assetId))
