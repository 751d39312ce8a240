"""RemoteMonitor: the Monitor as an HTTP client of another ygmon's admin REST API.

Each contract status maps back to the YgmonError a LocalMonitor would raise, with a
message fit for a screen, so the UI cannot tell which backend it reads from errors.

The operator tools are parts RemoteMonitor holds (ygmon.monitor.operator_parts), each
given this monitor as the HTTP client they call (ygmon.monitor.admin_api).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from ygmon.config import RemoteProfile
from ygmon.errors import (
    CannotRetryError,
    ForbiddenError,
    InvalidQueryError,
    NotFoundError,
    NotYgmonServerError,
    RateLimitedError,
    ReadOnlyError,
    ServerError,
    UnauthorizedError,
    UnavailableError,
    YgmonError,
)
from ygmon.job_history import History, HistoryWindow
from ygmon.monitor.admin_api import BASE, Json, segment
from ygmon.monitor.alerts import Alerts
from ygmon.monitor.asset_schemas import AssetDetail
from ygmon.monitor.coverage_schemas import (
    DEFAULT_PERIODS,
    AggregationCoverage,
    check_coverage_query,
)
from ygmon.monitor.operator_parts import OperatorParts
from ygmon.monitor.remote_audit import RemoteAudit
from ygmon.monitor.remote_job_ops import RemoteJobOps
from ygmon.monitor.remote_queue_control import RemoteQueueControl
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
)
from ygmon.monitor.search_schemas import QUERY_CHARS, SearchIndexOverview, SearchResults

READ_ONLY_HEADER = "X-Ygmon-Read-Only"
KEEPALIVE_EXPIRY = 2.0
"""Seconds an idle connection is reused: well below uvicorn's 5 s keep-alive."""


class RemoteMonitor(OperatorParts):
    SUPPORTS_LOCAL_WORKER = False

    def __init__(
        self, profile: RemoteProfile, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
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
        super().__init__(
            job_ops=RemoteJobOps(self, profile.read_only),
            queue_control=RemoteQueueControl(self, profile.read_only),
            audit=RemoteAudit(self),
            alert_checks=Alerts(self, profile.alerts, self.now),
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
        url = self.url(path)
        try:
            response = await self._send(method, path, clean, json)
        except httpx.TimeoutException:
            raise UnavailableError(
                f"{url} did not answer within {self.profile.timeout:g} s"
            ) from None
        except httpx.HTTPError as exc:
            reason = str(exc) or type(exc).__name__
            raise UnavailableError(f"cannot reach {self.profile.api_url}: {reason}") from None
        self._note_headers(response)
        if response.status_code == 200:
            try:
                body = response.json()
            except ValueError:
                body = None
            if not isinstance(body, dict) or "data" not in body:
                raise self._not_ygmon(response, "with something other than its JSON envelope")
            return body
        raise self._error(response)

    async def _send(
        self, method: str, path: str, params: dict[str, str], json: Json
    ) -> httpx.Response:
        try:
            return await self._client.request(method, BASE + path, params=params, json=json)
        except httpx.RemoteProtocolError:
            # The server dropped a kept-alive connection as the request went out (a proxy's
            # shorter keep-alive, say): a read is safe to send once more, an action is not.
            if method != "GET":
                raise
            return await self._client.request(method, BASE + path, params=params, json=json)

    def _not_ygmon(self, response: httpx.Response, how: str) -> NotYgmonServerError:
        return NotYgmonServerError(
            f"{self.profile.api_url} is not a ygmon server: {response.request.url.path} "
            f"answered HTTP {response.status_code} {how} (api_url is the address "
            "`ygmon serve` listens on, e.g. http://host:8420)"
        )

    def _note_headers(self, response: httpx.Response) -> None:
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

    def _error(self, response: httpx.Response) -> YgmonError:
        try:
            body = response.json()
        except ValueError:
            body = {}
        message = body.get("error") if isinstance(body, dict) else None
        status = response.status_code
        # Every error of ygmon (and of the contract's API) is {success: false, error}: a
        # "no such path" in any other body is another service on that address.
        ygmon_body = isinstance(body, dict) and body.get("success") is False and message
        if not ygmon_body and (status in (404, 405) or 200 <= status < 300):
            return self._not_ygmon(response, "without ygmon's error body")
        if status == 400 and isinstance(body, dict) and body.get("details") is not None:
            return InvalidQueryError(body["details"])
        if status == 400:
            return CannotRetryError(message or "Cannot retry job")
        if status == 401:
            return UnauthorizedError(
                "The server rejected the token (missing, expired or wrongly signed): "
                "set a fresh ADMIN token with --token or the profile's `token`"
            )
        if status == 403:
            if message and "read-only" in message:
                return ReadOnlyError(message)
            return ForbiddenError(
                "Forbidden: Admin access required (the token's role is not ADMIN)"
            )
        if status == 404:
            return NotFoundError(message or "Not found")
        if status == 429:
            raw = response.headers.get("Retry-After", "60")
            try:
                retry_after = float(raw)
            except ValueError:
                retry_after = 60.0
            return RateLimitedError(
                f"Too many requests: try again in {retry_after:g} s", retry_after
            )
        if status == 503:
            return UnavailableError(f"{self.profile.api_url} cannot reach its broker or database")
        return ServerError(f"{self.profile.api_url} failed ({status}): {message or 'server error'}")

    async def get_data(self, path: str, params: dict[str, Any] | None = None) -> Json:
        return (await self.request("GET", path, params))["data"]

    async def get_page(self, path: str, params: dict[str, Any]) -> dict[str, Json]:
        body = await self.request("GET", path, params)
        return {"data": body["data"], "pagination": body["pagination"]}

    # --- the Monitor protocol -----------------------------------------------------

    async def health(self) -> AllWorkersHealth:
        return AllWorkersHealth.model_validate(await self.get_data("/health"))

    async def queues(self) -> list[QueueStats]:
        return [QueueStats.model_validate(q) for q in await self.get_data("/queues")]

    async def workers(self) -> list[WorkerInfo]:
        return [WorkerInfo.model_validate(w) for w in await self.get_data("/workers")]

    async def search_index_stats(self) -> SearchIndexStats:
        return SearchIndexStats.model_validate(await self.get_data("/search-index/stats"))

    async def notification_stats(self) -> NotificationJobStats:
        return NotificationJobStats.model_validate(await self.get_data("/notifications/stats"))

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
        return Page[MetricsAggregationJobLog].model_validate(body)

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
        return Page[JobSummary].model_validate(body)

    async def history(
        self,
        queue: str | None = None,
        task: str | None = None,
        window: HistoryWindow = HistoryWindow.HOUR,
    ) -> History:
        params = {"window": HistoryWindow(window).value, "queue": queue, "task": task}
        return History.model_validate(await self.get_data("/history", params))

    async def failed_jobs(self, page: int = 1, page_size: int = 50) -> Page[JobSummary]:
        body = await self.get_page("/failed", {"page": page, "pageSize": page_size})
        return Page[JobSummary].model_validate(body)

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
        return Page[PreviewAsset].model_validate(body)

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

    async def search(self, query: str, entity: str | None = None, limit: int = 20) -> SearchResults:
        from ygmon.monitor.search import check_search

        check_search(entity, limit)
        params = {"q": query[:QUERY_CHARS], "entity": entity, "limit": limit}
        return SearchResults.model_validate(await self.get_data("/search", params))

    async def search_index_overview(self) -> SearchIndexOverview:
        return SearchIndexOverview.model_validate(await self.get_data("/search-index/overview"))

    async def close(self) -> None:
        await self._client.aclose()
