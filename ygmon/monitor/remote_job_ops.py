"""RemoteMonitor's operator tools over jobs, through the extension's endpoints of the
admin API (ygmon.monitor.admin_api); a read-only profile refuses changes before sending
them."""

from __future__ import annotations

from dataclasses import dataclass

from ygmon.errors import ReadOnlyError, ServerError
from ygmon.monitor.admin_api import AdminApi
from ygmon.monitor.job_search_schemas import BulkResult, BulkSelection, FailureGroup, JobQuery
from ygmon.monitor.schemas import JobSummary, Page, page_of
from ygmon.timestamps import iso


@dataclass(eq=False)
class RemoteJobOps:
    api: AdminApi
    read_only: bool

    async def search_jobs(self, query: JobQuery) -> Page[JobSummary]:
        params = {
            "q": query.q or None,
            "queueName": query.queue,
            "state": query.state.value if query.state else None,
            "groupKey": query.group_key,
            "since": iso(query.since) if query.since else None,
            "until": iso(query.until) if query.until else None,
            "page": query.page,
            "pageSize": query.page_size,
        }
        body = await self.api.request("GET", "/job-search", params)
        return page_of(JobSummary).model_validate(
            {"data": body["data"], "pagination": body["pagination"]}
        )

    async def failure_groups(self, queue: str | None = None) -> list[FailureGroup]:
        body = await self.api.request("GET", "/failed/groups", {"queueName": queue})
        return [FailureGroup.model_validate(g) for g in body["data"]]

    async def bulk_retry(self, selection: BulkSelection, dry_run: bool) -> BulkResult:
        return await self._bulk("retry", selection, dry_run)

    async def bulk_discard(self, selection: BulkSelection, dry_run: bool) -> BulkResult:
        return await self._bulk("discard", selection, dry_run)

    async def _bulk(self, action: str, selection: BulkSelection, dry_run: bool) -> BulkResult:
        if self.read_only and not dry_run:
            what = "Bulk retry" if action == "retry" else "Bulk discard"
            raise ReadOnlyError.refusing(what, "profile")
        payload = {k: v for k, v in selection.to_json().items() if v is not None}
        payload["dryRun"] = dry_run
        body = await self.api.request("POST", f"/bulk/{action}", json=payload)
        try:
            return BulkResult.model_validate(body["data"])
        except (ValueError, KeyError, TypeError):
            url = self.api.url(f"/bulk/{action}")
            raise ServerError(f"{url} answered with something that is not a bulk result") from None
