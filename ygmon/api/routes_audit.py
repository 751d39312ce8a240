"""`GET /api/admin/jobs/audit`: the audit log, newest first, paginated as the contract
paginates its listings (page, pageSize; `{success, data, pagination}`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ygmon.api.deps import monitor_of, ok_page
from ygmon.api.models import (
    EXTENSION,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    PAGE,
    PAGE_SIZE,
    QUERY_ERRORS,
    PageEnvelope,
)
from ygmon.api.params import QueryParams
from ygmon.monitor.audit_schemas import AuditRecord

router = APIRouter(prefix="/api/admin/jobs", tags=["extension"])


@router.get(
    "/audit",
    responses=QUERY_ERRORS,
    response_model=PageEnvelope[AuditRecord],
    openapi_extra={**EXTENSION, "parameters": [PAGE, PAGE_SIZE]},
)
async def audit_log(request: Request) -> Response:
    """Every recorded action (retry, bulk actions, pause, resume, trigger, worker start
    and stop): who, from where, what, when and the outcome."""
    q = QueryParams(request.query_params)
    page = q.integer("page", 1, 1, MAX_PAGE)
    page_size = q.integer("pageSize", 50, 1, MAX_PAGE_SIZE)
    q.check()
    return ok_page(await monitor_of(request).audit_log(page, page_size))
