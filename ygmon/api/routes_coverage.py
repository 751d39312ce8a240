"""GET /api/admin/jobs/aggregation/coverage: the rollups' coverage (an ygmon extension,
marked `x-ygmon-extension`), behind the same guard, rate limit and errors as the rest."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from ygmon.api.deps import monitor_of, ok
from ygmon.api.models import QUERY_ERRORS, Envelope, extension_get, extension_router, query_param
from ygmon.api.params import QueryParams
from ygmon.monitor.coverage_schemas import (
    COVERAGE_LEVELS,
    DEFAULT_PERIODS,
    MAX_PERIODS,
    AggregationCoverage,
)

router = extension_router()


@extension_get(
    router,
    "/aggregation/coverage",
    Envelope[AggregationCoverage],
    QUERY_ERRORS,
    query_param(
        "level",
        {"type": "string", "enum": list(COVERAGE_LEVELS)},
        "Only this rollup level (default: every level)",
    ),
    query_param(
        "periods",
        {"type": "integer", "minimum": 1, "maximum": MAX_PERIODS},
        f"How many closed periods back (default {DEFAULT_PERIODS})",
    ),
)
async def coverage(request: Request) -> JSONResponse:
    """Each level's last N closed periods: aggregated, partial, failed, stale (events
    arrived after the run), running or missing."""
    q = QueryParams(request.query_params)
    level = q.choice("level", COVERAGE_LEVELS)
    periods = q.integer("periods", DEFAULT_PERIODS, 1, MAX_PERIODS)
    q.check()
    return ok(await monitor_of(request).aggregation_coverage(level, periods))
