"""RemoteMonitor: the Monitor as an HTTP client of another ygmon's admin REST API.

Each contract status maps back to the YgmonError a LocalMonitor would raise, with a
message fit for a screen, so the UI cannot tell which backend it reads from errors.

The operator tools are parts RemoteMonitor holds (ygmon.monitor.operator_parts), each
given this monitor as the HTTP client they call (ygmon.monitor.admin_api).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import httpx

from ygmon.config import RemoteProfile
from ygmon.errors import ReadOnlyError, UnavailableError, YgmonError
from ygmon.job_history import History, HistoryWindow
from ygmon.job_latency import Latency, LatencyShare
from ygmon.monitor.admin_api import BASE, Json, segment
from ygmon.monitor.alerts import Alerts
from ygmon.monitor.asset_schemas import AssetDetail
from ygmon.monitor.backfill_schemas import BackfillPlan, BackfillRequest
from ygmon.monitor.coverage_schemas import (
    DEFAULT_PERIODS,
    AggregationCoverage,
    check_coverage_query,
)
from ygmon.monitor.live_topics import TOPICS
from ygmon.monitor.operator_parts import OperatorParts
from ygmon.monitor.queue_control_schemas import ScheduleInfo
from ygmon.monitor.remote_audit import RemoteAudit
from ygmon.monitor.remote_cache import AnswerCache
from ygmon.monitor.remote_errors import error_of, not_ygmon
from ygmon.monitor.remote_job_ops import RemoteJobOps
from ygmon.monitor.remote_live import LinkState, LiveCopy
from ygmon.monitor.remote_live_control import RemoteLiveControl
from ygmon.monitor.remote_queue_control import RemoteQueueControl
from ygmon.monitor.replay_schemas import ReplayResult
from ygmon.monitor.schemas import (
    AllWorkersHealth,
    JobDetail,
    JobState,
    JobSummary,
    LogQuery,
    MetricsAggregationJobLog,
    NotificationJobStats,
    Page,
    PreviewAsset,
    PreviewStatus,
    QueueStats,
    RetryResult,
    SearchIndexStats,
    WorkerInfo,
    page_of,
)
from ygmon.monitor.search_schemas import QUERY_CHARS, SearchIndexOverview, SearchResults

READ_ONLY_HEADER = "X-Ygmon-Read-Only"
KEEPALIVE_EXPIRY = 2.0
"""Seconds an idle connection is reused: well below uvicorn's 5 s keep-alive."""
ABSENT_FOR = 60.0
"""Seconds a topic's failed endpoint is not asked again while the stream holds."""


class RemoteMonitor(OperatorParts):
    SUPPORTS_LOCAL_WORKER = False
    READS_ARE_FREE = False

    def __init__(
        self,
        profile: RemoteProfile,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        live: bool = False,
    ) -> None:
        """`live`: hold the server's stream and answer from its copy (the TUI); off, each
        call asks its endpoint (one-shot commands)."""
        self.profile = profile
        self.SUPPORTS_RETRY = not profile.read_only
        self.rate_limit: int | None = None
        """X-RateLimit-Limit of the last response."""
        self.rate_remaining: int | None = None
        """Lowest X-RateLimit-Remaining seen in the current X-RateLimit-Reset window."""
        self._rate_reset: str | None = None
        headers = {"Accept": "application/json"}
        if profile.token:
            headers["Authorization"] = f"Bearer {profile.token}"
        self._client = httpx.AsyncClient(
            base_url=profile.api_url.rstrip("/"),
            headers=headers,
            timeout=httpx.Timeout(profile.timeout),
            # uvicorn closes an idle connection after 5 s, httpx's default reuse limit: a
            # request sent on a connection in the same instant got "Server disconnected".
            limits=httpx.Limits(keepalive_expiry=KEEPALIVE_EXPIRY),
            transport=transport,
        )
        self._answers = AnswerCache()
        self._absent: dict[str, tuple[int, float, YgmonError]] = {}
        self.live: LiveCopy | None = (
            LiveCopy(self._client, self, profile.refresh_interval, profile.timeout)
            if live
            else None
        )
        super().__init__(
            job_ops=RemoteJobOps(self, profile.read_only),
            queue_control=RemoteQueueControl(self, profile.read_only),
            live_control=RemoteLiveControl(self, profile.read_only, self._held),
            audit=RemoteAudit(self),
            alert_checks=Alerts(self, profile.alerts, self.now, profile.slo),
        )

    def now(self) -> datetime:
        """This host's time: the alert rules' clock (schedules carry the server's)."""
        return datetime.now(UTC)

    # --- HTTP ---------------------------------------------------------------------

    def url(self, path: str) -> str:
        return f"{self.profile.api_url.rstrip('/')}{BASE}{path}"

    async def request(
        self, method: str, path: str, params: dict[str, Any] | None = None, json: Json = None
    ) -> Json:
        clean = {k: str(v) for k, v in (params or {}).items() if v is not None}
        if method != "GET":
            if self.live is not None:
                self.live.changed_here()
            return self._body(await self._send(method, path, clean, json, {}), path)
        return await self._get(path, clean, reuse=True)

    async def _get(self, path: str, params: dict[str, str], *, reuse: bool) -> Json:
        """A GET answered from the kept answer while the live copy says it still holds,
        else asked with its ETag (a 304 reuses the kept body)."""
        key = self._answers.key(path, params)
        kept = self._answers.get(key)
        live = self.live
        reusable = kept is not None and kept.reusable()
        if reuse and reusable and live is not None and live.fresh(kept.version):
            return kept.body
        headers = {"If-None-Match": kept.etag} if kept is not None else {}
        response = await self._send("GET", path, params, None, headers)
        version = live.version if live is not None else 0
        if response.status_code == 304 and kept is not None:
            self._answers.revalidated(kept, version)
            return kept.body
        body = self._body(response, path)
        if etag := response.headers.get("ETag"):
            self._answers.put(key, etag, body, version)
        return body

    async def _send(
        self, method: str, path: str, params: dict[str, str], json: Json, headers: dict[str, str]
    ) -> httpx.Response:
        try:
            try:
                response = await self._client.request(
                    method, BASE + path, params=params, json=json, headers=headers
                )
            except httpx.RemoteProtocolError:
                # The server dropped a kept-alive connection as the request went out (a
                # proxy's shorter keep-alive, say): a read is safe to send once more, an
                # action is not.
                if method != "GET":
                    raise
                response = await self._client.request(
                    method, BASE + path, params=params, headers=headers
                )
        except httpx.TimeoutException:
            raise UnavailableError(
                f"{self.url(path)} did not answer within {self.profile.timeout:g} s"
            ) from None
        except httpx.HTTPError as exc:
            reason = str(exc) or type(exc).__name__
            raise UnavailableError(f"cannot reach {self.profile.api_url}: {reason}") from None
        self.note_headers(response)
        return response

    def _body(self, response: httpx.Response, path: str) -> Json:
        if response.status_code == 200:
            try:
                body = response.json()
            except ValueError:
                body = None
            if not isinstance(body, dict) or "data" not in body:
                raise not_ygmon(
                    self.profile.api_url, response, "with something other than its JSON envelope"
                )
            return body
        raise self.error_of(response)

    async def snapshot(self) -> Json:
        """GET /snapshot's `data`: every topic of the live stream in one answer."""
        return (await self._get("/snapshot", {}, reuse=False))["data"]

    def link(self) -> LinkState | None:
        """How this monitor reaches the server now (None: each call asks its endpoint)."""
        return None if self.live is None else self.live.link()

    def note_headers(self, response: httpx.Response) -> None:
        limit = response.headers.get("X-RateLimit-Limit", "")
        if limit.isdigit():
            self.rate_limit = int(limit)
        remaining = response.headers.get("X-RateLimit-Remaining", "")
        if remaining.isdigit():
            # A poll's calls run concurrently and their answers arrive in any order, so the
            # last answer may predate another's decrement: keep the lowest within one window.
            reset = response.headers.get("X-RateLimit-Reset")
            if reset == self._rate_reset and self.rate_remaining is not None:
                self.rate_remaining = min(self.rate_remaining, int(remaining))
            else:
                self.rate_remaining = int(remaining)
            self._rate_reset = reset
        if response.headers.get(READ_ONLY_HEADER) == "true":
            self.SUPPORTS_RETRY = False

    def error_of(self, response: httpx.Response) -> YgmonError:
        return error_of(self.profile.api_url, response)

    async def get_data(self, path: str, params: dict[str, Any] | None = None) -> Json:
        return (await self.request("GET", path, params))["data"]

    async def get_page(self, path: str, params: dict[str, Any]) -> dict[str, Json]:
        body = await self.request("GET", path, params)
        return {"data": body["data"], "pagination": body["pagination"]}

    # --- the Monitor protocol -----------------------------------------------------

    async def _held(self, topic: str) -> Any:
        """The topic from the live copy, else from its endpoint (live_topics names it).

        A topic the server could not read is absent from the stream (a search index out
        of reach): its endpoint's error is kept and raised again, without asking, while
        the stream holds and for at most a minute, or every screen poll would ask."""
        live = self.live
        if live is not None and (held := await live.value(topic)) is not None:
            return held
        failed = self._absent.get(topic)
        recent = failed is not None and time.monotonic() - failed[1] < ABSENT_FOR
        if live is not None and failed is not None and recent and live.fresh(failed[0]):
            raise failed[2]
        try:
            return TOPICS[topic].decode(await self.get_data(TOPICS[topic].endpoint))
        except YgmonError as exc:
            if live is not None:
                self._absent[topic] = (live.version, time.monotonic(), exc)
            raise

    async def health(self) -> AllWorkersHealth:
        return await self._held("health")

    async def queues(self) -> list[QueueStats]:
        return await self._held("queues")

    async def workers(self) -> list[WorkerInfo]:
        return await self._held("workers")

    async def search_index_stats(self) -> SearchIndexStats:
        return await self._held("searchIndexStats")

    async def notification_stats(self) -> NotificationJobStats:
        return await self._held("notificationStats")

    async def aggregation_logs(self, query: LogQuery) -> Page[MetricsAggregationJobLog]:
        params = {
            "page": query.page,
            "pageSize": query.page_size,
            "jobType": query.job_type,
            "status": query.status.value if query.status else None,
            "startDate": query.start_date.isoformat() if query.start_date else None,
            "endDate": query.end_date.isoformat() if query.end_date else None,
        }
        body = await self.get_page("/aggregation/logs", params)
        return page_of(MetricsAggregationJobLog).model_validate(body)

    async def aggregation_coverage(
        self, level: str | None = None, periods: int = DEFAULT_PERIODS
    ) -> AggregationCoverage:
        check_coverage_query(level, periods)
        params = {"level": level, "periods": periods}
        return AggregationCoverage.model_validate(
            await self.get_data("/aggregation/coverage", params)
        )

    async def jobs(
        self, queue: str, state: JobState | None = None, page: int = 1, page_size: int = 50
    ) -> Page[JobSummary]:
        params = {"state": state.value if state else None, "page": page, "pageSize": page_size}
        body = await self.get_page(f"/queues/{segment(queue)}/jobs", params)
        return page_of(JobSummary).model_validate(body)

    async def history(
        self,
        queue: str | None = None,
        task: str | None = None,
        window: HistoryWindow = HistoryWindow.HOUR,
    ) -> History:
        if queue is None and task is None and HistoryWindow(window) is HistoryWindow.HOUR:
            return await self._held("history")
        params = {"window": HistoryWindow(window).value, "queue": queue, "task": task}
        return History.model_validate(await self.get_data("/history", params))

    async def latency(
        self,
        queue: str | None = None,
        task: str | None = None,
        window: HistoryWindow = HistoryWindow.HOUR,
    ) -> Latency:
        params = {"window": HistoryWindow(window).value, "queue": queue, "task": task}
        return Latency.model_validate(await self.get_data("/latency", params))

    async def latency_share(
        self, queue: str, kind: str, over_ms: float, minutes: int
    ) -> LatencyShare:
        params = {"queue": queue, "kind": kind, "overMs": repr(float(over_ms)), "minutes": minutes}
        return LatencyShare.model_validate(await self.get_data("/latency/share", params))

    async def failed_jobs(self, page: int = 1, page_size: int = 50) -> Page[JobSummary]:
        body = await self.get_page("/failed", {"page": page, "pageSize": page_size})
        return page_of(JobSummary).model_validate(body)

    async def job(self, queue: str, job_id: str) -> JobDetail:
        return JobDetail.model_validate(
            await self.get_data(f"/queues/{segment(queue)}/jobs/{segment(job_id)}")
        )

    async def previews(
        self, status: PreviewStatus | None = None, page: int = 1, page_size: int = 50
    ) -> Page[PreviewAsset]:
        body = await self.get_page(
            "/previews", {"status": status, "page": page, "pageSize": page_size}
        )
        return page_of(PreviewAsset).model_validate(body)

    async def asset(self, asset_id: str) -> AssetDetail:
        return AssetDetail.model_validate(await self.get_data(f"/assets/{segment(asset_id)}"))

    async def asset_thumbnail(self, asset_id: str) -> bytes | None:
        from ygmon.monitor.remote_media import fetch_media

        detail = await self.asset(asset_id)
        if detail.thumbnail_url is None:
            return None
        return await fetch_media(detail.thumbnail_url, self.profile.timeout)

    async def retry(self, queue: str, job_id: str) -> RetryResult:
        if self.profile.read_only:
            raise ReadOnlyError.refusing("Retry", "profile")
        body = await self.request("POST", f"/{segment(queue)}/{segment(job_id)}/retry")
        return RetryResult.model_validate(body["data"])

    async def replay(
        self, queue: str, job_id: str, kwargs: dict[str, Any] | None, dry_run: bool = False
    ) -> ReplayResult:
        if self.profile.read_only and not dry_run:
            raise ReadOnlyError.refusing("Replay", "profile")
        payload: dict[str, Any] = {"dryRun": dry_run}
        if kwargs is not None:
            payload["kwargs"] = kwargs
        path = f"/{segment(queue)}/{segment(job_id)}/replay"
        body = await self.request("POST", path, json=payload)
        return ReplayResult.model_validate(body["data"])

    async def backfill(self, request: BackfillRequest, dry_run: bool = True) -> BackfillPlan:
        if self.profile.read_only and not dry_run:
            raise ReadOnlyError.refusing("Backfill", "profile")
        payload: dict[str, Any] = {
            "from": request.first.isoformat(),
            "to": request.last.isoformat(),
            "mode": request.mode.value,
            "dryRun": dry_run,
        }
        if request.max_running is not None:
            payload["maxRunning"] = request.max_running
        body = await self.request(
            "POST", f"/schedules/{segment(request.name)}/backfill", json=payload
        )
        return BackfillPlan.model_validate(body["data"])

    async def search(self, query: str, entity: str | None = None, limit: int = 20) -> SearchResults:
        from ygmon.monitor.search import check_search

        check_search(entity, limit)
        params = {"q": query[:QUERY_CHARS], "entity": entity, "limit": limit}
        return SearchResults.model_validate(await self.get_data("/search", params))

    async def search_index_overview(self) -> SearchIndexOverview:
        return await self._held("searchIndexOverview")

    async def schedules(self) -> list[ScheduleInfo]:
        return await self._held("schedules")

    async def close(self) -> None:
        if self.live is not None:
            await self.live.close()
        await self._client.aclose()
