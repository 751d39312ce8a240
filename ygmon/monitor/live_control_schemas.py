"""The models of live control (ygmon.jobs.registry.live_controls as the Monitor answers
it), camelCase on the wire as the contract's models are, and the bounds every backend
checks a limit and a rate against.

A limit or a rate out of bounds, or a scope that is neither "deployment" nor "host", is
an InvalidQueryError whose issues name the field as the API's body does (`limit`,
`scope`, `perMinute`): the contract's 400, the same through either monitor.
"""

from __future__ import annotations

from typing import Any, Literal

from ygmon.errors import InvalidQueryError
from ygmon.monitor.schemas import CamelModel, Timestamp
from ygmon.queues import MAX_LIMIT, MAX_RATE

Scope = Literal["deployment", "host"]
SCOPES: tuple[Scope, ...] = ("deployment", "host")
WAITING_SCAN = 500
"""The newest waiting jobs of a queue read to count a paused task's (ygmon.jobs.registry.
live_control_reads): past them the count is a lower bound (`waitingExact` false)."""


class LimitState(CamelModel):
    """A queue's concurrency limit; `limit` None when it has none (its own concurrency
    applies)."""

    queue: str
    limit: int | None = None
    scope: Scope | None = None
    """deployment: at most `limit` active across every host; host: on each host."""
    set_at: Timestamp | None = None
    set_by: str | None = None


class TaskControl(CamelModel):
    """One registered task and its live controls: paused or not, its rate limit."""

    task: str
    queue: str
    paused: bool = False
    paused_at: Timestamp | None = None
    paused_by: str | None = None
    per_minute: int | None = None
    """At most this many starts in any minute across the deployment (None: no limit)."""
    rate_set_at: Timestamp | None = None
    rate_set_by: str | None = None
    waiting: int | None = None
    """While paused: its jobs waiting (in the listing only; None in an action's answer)."""
    waiting_exact: bool = True
    """False when its queue holds more waiting jobs than were read (WAITING_SCAN):
    `waiting` is then a lower bound."""
    last_minute: int | None = None
    """While rate-limited: its runs that ended in the last whole minute (the registry's
    per-minute wait buckets), beside `perMinute` (in the listing only)."""


class LiveControls(CamelModel):
    """Every live control at once: the queues with a limit, in queue order, and every
    registered task with its pause and rate, in queue order."""

    limits: list[LimitState] = []
    tasks: list[TaskControl] = []

    def task(self, name: str) -> TaskControl | None:
        return next((t for t in self.tasks if t.task == name), None)

    def limit_of(self, queue: str) -> LimitState | None:
        return next((lim for lim in self.limits if lim.queue == queue), None)


def _bounds_issue(field: str, value: int, high: int) -> dict[str, Any]:
    low = value < 1
    return {
        "code": "too_small" if low else "too_big",
        "expected": f"1..{high}",
        "received": str(value),
        "path": [field],
        "message": f"Number must be between 1 and {high}",
    }


def check_limit(limit: int, scope: str) -> None:
    """InvalidQueryError unless `limit` is 1..MAX_LIMIT and `scope` one of SCOPES."""
    issues = []
    if not 1 <= limit <= MAX_LIMIT:
        issues.append(_bounds_issue("limit", limit, MAX_LIMIT))
    if scope not in SCOPES:
        issues.append(
            {
                "code": "invalid_enum_value",
                "expected": " | ".join(SCOPES),
                "received": "string",
                "path": ["scope"],
                "message": "Invalid scope",
            }
        )
    if issues:
        raise InvalidQueryError(issues)


def check_rate(per_minute: int) -> None:
    """InvalidQueryError unless `per_minute` is 1..MAX_RATE."""
    if not 1 <= per_minute <= MAX_RATE:
        raise InvalidQueryError([_bounds_issue("perMinute", per_minute, MAX_RATE)])
