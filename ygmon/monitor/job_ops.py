"""LocalMonitor's operator tools over jobs: search, failures grouped by cause, bulk
retry and discard, over the job registry (ygmon.monitor.local_access).

Each mutating method is one action (one call, one audit record when audited); a dry
run changes nothing and is answered in read-only mode too.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ygmon.errors import InvalidQueryError, NotFoundError, ReadOnlyError
from ygmon.monitor.audit import ActionRecorder, audited
from ygmon.monitor.job_search_schemas import (
    QUERY_MAX_CHARS,
    BulkResult,
    BulkSelection,
    FailureGroup,
    JobQuery,
)
from ygmon.monitor.local_access import RegistryAccess
from ygmon.monitor.schemas import JobSummary, Page, Pagination, page_of
from ygmon.queues import QUEUES_BY_NAME

if TYPE_CHECKING:
    from ygmon.jobs.registry.job_registry import JobRegistry
    from ygmon.jobs.registry.search import JobSearch
    from ygmon.jobs.registry.search_text import GroupCount


def check_query_text(name: str, value: str | None) -> None:
    if value is not None and len(value) > QUERY_MAX_CHARS:
        raise InvalidQueryError(
            [
                {
                    "code": "too_big",
                    "expected": f"string of at most {QUERY_MAX_CHARS} characters",
                    "received": f"string of {len(value)} characters",
                    "path": [name],
                    "message": f"String must contain at most {QUERY_MAX_CHARS} character(s)",
                }
            ]
        )


def _check_queue(queue: str | None) -> None:
    if queue is not None and queue not in QUEUES_BY_NAME:
        raise NotFoundError("Queue not found")


def _ts(at: float) -> datetime:
    return datetime.fromtimestamp(at, UTC)


@dataclass(eq=False)
class LocalJobOps:
    """Mutating calls are recorded by `audit_trail`; `read_only` refuses them."""

    registry: RegistryAccess
    audit_trail: ActionRecorder
    read_only: bool
    _search_lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _search: JobSearch | None = field(default=None, init=False)

    def _job_search(self, registry: JobRegistry) -> JobSearch:
        from ygmon.jobs.registry.search import JobSearch

        with self._search_lock:
            cached = self._search
            if cached is None or cached.store is not registry.store:
                cached = JobSearch(registry.store, registry.now)
                self._search = cached
            return cached

    async def search_jobs(self, query: JobQuery) -> Page[JobSummary]:
        _check_queue(query.queue)
        check_query_text("q", query.q)
        filters = (
            query.queue,
            query.state.value if query.state else None,
            query.since.timestamp() if query.since else None,
            query.until.timestamp() if query.until else None,
        )
        offset = (query.page - 1) * query.page_size

        def run(registry: JobRegistry) -> tuple[list[JobSummary], int]:
            search = self._job_search(registry)
            if query.group_key:
                rows, total = search.group_page(
                    query.group_key, query.q, filters, offset, query.page_size
                )
            else:
                rows, total = search.search(query.q, filters, offset, query.page_size)
            return [JobSummary.model_validate(registry._summary(r)) for r in rows], total

        rows, total = await self.registry.in_registry(run)
        return page_of(JobSummary)(
            data=rows, pagination=Pagination.of(query.page, query.page_size, total)
        )

    async def failure_groups(self, queue: str | None = None) -> list[FailureGroup]:
        _check_queue(queue)
        counts, names = await self.registry.in_registry(
            lambda r: self._job_search(r).group_counts(queue)
        )
        return build_groups(counts, names)

    async def _selection_target(self, arguments: dict[str, Any]) -> str:
        """The audit log's words for a bulk selection (ygmon.monitor.bulk_target)."""
        from ygmon.monitor.bulk_target import describe_selection

        selection: BulkSelection = arguments["selection"]
        return await self.registry.in_registry(
            lambda r: describe_selection(self._job_search(r), selection)
        )

    @audited("bulk-retry", target=_selection_target)
    async def bulk_retry(self, selection: BulkSelection, dry_run: bool) -> BulkResult:
        return await self._bulk(selection, dry_run, "retry")

    @audited("bulk-discard", target=_selection_target)
    async def bulk_discard(self, selection: BulkSelection, dry_run: bool) -> BulkResult:
        return await self._bulk(selection, dry_run, "discard")

    async def _bulk(self, selection: BulkSelection, dry_run: bool, action: str) -> BulkResult:
        _check_queue(selection.queue_name)
        check_query_text("q", selection.q)
        if self.read_only and not dry_run:
            what = "Bulk retry" if action == "retry" else "Bulk discard"
            raise ReadOnlyError.refusing(what)

        def run(registry: JobRegistry) -> BulkResult:
            from ygmon.jobs.registry import bulk as bulk_jobs

            jobs = self._job_search(registry).failed_ids(
                selection.queue_name, selection.q, selection.group_key
            )
            if selection.limit is not None:
                jobs = jobs[: selection.limit]
            by_queue = dict(sorted(Counter(queue for _, queue, _ in jobs).items()))
            counts: dict[str, Any] = {"matched": len(jobs), "by_queue": by_queue}
            if dry_run:
                done, skipped = 0, 0
            elif action == "retry":
                done, skipped = bulk_jobs.apply(
                    jobs, lambda queue, job_id: bulk_jobs.retry(registry, queue, job_id)
                )
            else:
                done, skipped = bulk_jobs.apply(
                    jobs, lambda _queue, job_id: bulk_jobs.discard(registry, job_id)
                )
            key = "retried" if action == "retry" else "discarded"
            return BulkResult(dry_run=dry_run, skipped=skipped, **counts, **{key: done})

        return await self.registry.in_registry(run)


def build_groups(
    counts: dict[str, GroupCount], names: dict[str, tuple[str, str]]
) -> list[FailureGroup]:
    """FailureGroups of ygmon.jobs.registry.search_text.GroupCount per group key, largest first."""
    groups = []
    for key, g in counts.items():
        exc, message = names.get(key, ("Error", ""))
        groups.append(
            FailureGroup(
                key=key,
                exception_type=exc,
                message=message,
                count=g.count,
                first_seen=_ts(g.first),
                last_seen=_ts(g.last),
                queues=sorted(g.queues),
                tasks=sorted(g.tasks),
            )
        )
    groups.sort(key=lambda g: (-g.count, -g.last_seen.timestamp(), g.key))
    return groups
