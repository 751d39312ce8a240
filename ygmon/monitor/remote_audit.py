"""RemoteMonitor's read of the server's audit log (`GET /api/admin/jobs/audit`)."""

from __future__ import annotations

from typing import Any

from ygmon.monitor.audit_schemas import AuditRecord
from ygmon.monitor.schemas import Page


class RemoteAudit:
    """Mixin of RemoteMonitor; the server records the actions, this client reads them."""

    async def _page(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError  # RemoteMonitor's

    async def audit_log(self, page: int = 1, page_size: int = 50) -> Page[AuditRecord]:
        body = await self._page("/audit", {"page": page, "pageSize": page_size})
        return Page[AuditRecord].model_validate(body)
