"""RemoteMonitor's read of the server's audit log (`GET /api/admin/jobs/audit`)."""

from __future__ import annotations

from dataclasses import dataclass

from ygmon.monitor.admin_api import AdminApi
from ygmon.monitor.audit_schemas import AuditRecord
from ygmon.monitor.schemas import Page, page_of


@dataclass(eq=False)
class RemoteAudit:
    """The server records the actions; this client reads them."""

    api: AdminApi

    async def audit_log(self, page: int = 1, page_size: int = 50) -> Page[AuditRecord]:
        body = await self.api.get_page("/audit", {"page": page, "pageSize": page_size})
        return page_of(AuditRecord).model_validate(body)
