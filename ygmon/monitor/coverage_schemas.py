"""The typed models of the aggregation coverage (an ygmon extension, not the contract):
for each rollup level, the state of each of its last N periods."""

from __future__ import annotations

import enum
from datetime import date

from ygmon.errors import InvalidQueryError
from ygmon.monitor.schemas import CamelModel, Timestamp

COVERAGE_LEVELS = ("hourly", "daily", "weekly", "monthly")
DEFAULT_PERIODS = 30
MAX_PERIODS = 90


class CoverageState(enum.StrEnum):
    AGGREGATED = "aggregated"
    PARTIAL = "partial"
    """The last run ended PARTIAL: some events could not be attributed."""
    FAILED = "failed"
    STALE = "stale"
    """Aggregated, but events of the period arrived after the run started."""
    RUNNING = "running"
    MISSING = "missing"
    """No run of the period is logged."""


class CoveragePeriod(CamelModel):
    period_start: Timestamp
    period_start_date: date
    period_end_date: date
    label: str
    state: CoverageState
    runs: int
    """Log rows of the period (retries and re-runs included)."""
    last_run_id: str | None = None
    last_run_at: Timestamp | None = None
    events: int = 0
    """Events that occurred in the period."""


class LevelCoverage(CamelModel):
    level: str
    periods: list[CoveragePeriod]
    """Oldest first, ending with the newest closed period."""


class AggregationCoverage(CamelModel):
    as_of: Timestamp
    levels: list[LevelCoverage]


def check_coverage_query(level: str | None, periods: int) -> list[str]:
    """The levels asked for (all by default), or InvalidQueryError naming the problem."""
    problems = []
    if level is not None and level not in COVERAGE_LEVELS:
        problems.append(
            {"field": "level", "message": f"must be one of {', '.join(COVERAGE_LEVELS)}"}
        )
    if not 1 <= periods <= MAX_PERIODS:
        problems.append({"field": "periods", "message": f"must be between 1 and {MAX_PERIODS}"})
    if problems:
        raise InvalidQueryError(problems)
    return [level] if level else list(COVERAGE_LEVELS)
