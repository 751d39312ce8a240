"""`GET /api/admin/jobs/audit`: the audit log, newest first, paginated as the contract
paginates its listings (page, pageSize; `{success, data, pagination}`)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from ygmon.api.deps import monitor_of, ok_page
from ygmon.api.models import PAGING, QUERY_ERRORS, PageEnvelope, extension_get, extension_router
from ygmon.api.params import QueryParams
from ygmon.monitor.audit_schemas import AuditRecord

router = extension_router()


@extension_get(router, "/audit", PageEnvelope[AuditRecord], QUERY_ERRORS, *PAGING)
async def audit_log(request: Request) -> Response:
    """Every recorded action (retry, bulk actions, pause, resume, trigger, worker start
    and stop): who, from where, what, when and the outcome."""
    q = QueryParams(request.query_params)
    page, page_size = q.pages()
    q.check()
    return ok_page(await monitor_of(request).audit_log(page, page_size))
