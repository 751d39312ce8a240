"""What the job registry needs of its storage, whichever broker holds it.

A record is a flat dict of strings (or None) as both backends keep it;
ygmon.jobs.registry.job_registry turns it into the contract's models. Every state change goes
through `move`, which is atomic: the record, its place in the per-state indexes and the
per-queue-per-state counters change together, so counts never need a scan and never drift.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypedDict

FINISHED_STATES = frozenset({"completed", "failed", "cancelled"})

# Fields a record may hold; both stores keep exactly these.
FIELDS = (
    "id",
    "queue",
    "task",
    "state",
    "args",
    "kwargs",
    "attempts_made",
    "attempts_allowed",
    "progress",
    "enqueued_at",
    "started_at",
    "finished_at",
    "worker_id",
    "error_message",
    "error_stack",
    "stalled_count",
    "result",
    "priority",
    "sort_at",
    "due_at",
)

ATTEMPT = "attempt"
"""A pseudo-field of a move: a JSON object ({"end", "outcome", "error", "log", "cut"})
closing the job's current attempt. When (and only when) the move takes a running job
out of `active`, the store appends it to the job's attempts, adding what the running
record knows: "start", "worker", "n" (attempts made) and "due" (the record's due_at,
when the attempt became due). Kept with the record, so retention trims both at once."""


@dataclass(frozen=True)
class Retention:
    """Keep at most `keep` jobs of a queue in a state, none finished before `min_time`."""

    keep: int
    min_time: float


RATE_WINDOW = 60.0
"""Seconds over which a task's rate limit (TakeRules.rates) counts its starts."""


@dataclass(frozen=True)
class TakeRules:
    """What a take of one queue applies besides its order (ygmon.jobs.huey.control_gate
    builds them from the live controls, ygmon.jobs.registry.live_controls): checked in
    the same atomic step as the take (the activate script, the dequeue's transaction)."""

    ceiling: int | None = None
    """Take nothing while this many of the queue's jobs are active in the deployment."""
    host_limit: int | None = None
    """Take nothing while this many of the queue's jobs are active on this host: their
    worker id starts with `host`."""
    host: str = ""
    """This worker's host as its worker ids begin ("name:"), for `host_limit`."""
    paused: frozenset[str] = frozenset()
    """Tasks of the queue whose jobs are held aside, not started."""
    rates: Mapping[str, int] = field(default_factory=dict)
    """Tasks of the queue started at most this many times in any 60 seconds."""
    held: frozenset[str] = frozenset()
    """Tasks of the queue that may have jobs held aside, for the take to look at."""

    @property
    def per_task(self) -> bool:
        """Whether a take must know each job's task (else it is the plain take)."""
        return bool(self.paused or self.rates or self.held)

    @functools.cached_property
    def task_json(self) -> str:
        """The per-task rules as the Redis activate script reads them ('' for none)."""
        if not self.per_task:
            return ""
        # Held jobs of a paused task stay held: only the others' are looked at.
        looked = sorted(self.held | set(self.rates))
        return json.dumps({"p": sorted(self.paused), "r": dict(self.rates), "h": looked})


class MoveOptions(TypedDict, total=False):
    """The optional keywords of a move (see RegistryStore.move), for the steps that pass
    them on."""

    allowed_from: frozenset[str] | None
    create: Mapping[str, str | None] | None
    sort_at: float | None
    retention: Retention | None


class RegistryStore(Protocol):
    def ping(self) -> None: ...

    def move(
        self,
        job_id: str,
        to_state: str,
        fields: Mapping[str, str | None],
        *,
        allowed_from: frozenset[str] | None = None,
        create: Mapping[str, str | None] | None = None,
        sort_at: float | None = None,
        retention: Retention | None = None,
        writer: Any = None,
    ) -> bool:
        """Atomically move `job_id` to `to_state` and set `fields`.

        A missing record is created from `create` (or the move is refused when it is
        None); an existing one whose state is not in `allowed_from` (when given) is left
        alone. `sort_at` orders the job in its lists (default: its enqueue time). With
        `retention`, the queue's jobs in `to_state` are trimmed in the same step.
        `writer` (SQLite only) runs it in another connection's write transaction.
        Returns whether the move happened.
        """

    def move_many(self, moves: list[dict[str, Any]], writer: Any = None) -> None:
        """Several `move`s (keyword dicts), written together. A move may carry
        `huey_delete=(where, key)`: a revocation entry of Huey's to delete with it (its
        hash on Redis, its queue's `kv` rows on SQLite; see ygmon.jobs.huey.revocations)."""

    def set_fields(self, job_id: str, fields: Mapping[str, str | None]) -> None: ...

    def get(self, job_id: str) -> dict[str, str | None] | None: ...

    def attempts(self, job_id: str) -> list[str]:
        """The job's finished attempts, oldest first, each a JSON object (see ATTEMPT)."""

    def counts(self) -> dict[tuple[str, str], int]: ...

    def page(
        self, queue: str | None, state: str | None, offset: int, limit: int
    ) -> tuple[list[dict[str, str | None]], int]: ...

    def ids_in(self, queue: str | None, state: str, limit: int) -> list[str]: ...

    def trim(self, queue: str, state: str, retention: Retention) -> int: ...

    def beat(self, worker: Mapping[str, str]) -> None: ...

    def remove_worker(self, worker_id: str) -> None: ...

    def workers(self) -> list[dict[str, str]]: ...

    def last_finished(self, key: str) -> float | None: ...

    def history_rows(self, step: int, start: int, end: int) -> list[Any]:
        """History buckets of `step` (seconds) starting in [start, end), as
        ygmon.jobs.registry.store.buckets.HistoryRow tuples (written with each batch of
        final moves)."""

    def trim_history(self, now: float) -> int:
        """Drop history buckets past their retention
        (ygmon.jobs.registry.store.buckets.KEEP_SECONDS)."""

    def latency_rows(self, step: int, start: int, end: int) -> list[Any]:
        """Wait and run buckets of `step` starting in [start, end), as
        ygmon.jobs.registry.store.latency_buckets.LatencyRow tuples (written with each
        move that closes an attempt); trim_history drops them past retention."""

    def record_depth(self, now: float, waiting: dict[str, int]) -> None:
        """Each queue's waiting count at `now`, kept as the largest of its buckets."""

    def depth_rows(self, step: int, start: int, end: int) -> list[Any]:
        """Depth buckets of `step` starting in [start, end): (start, queue, waiting)."""

    def claim(self, key: str, ttl: float) -> bool:
        """Take `key` for `ttl` seconds; False when another holder has it now."""

    def server_time(self) -> float | None:
        """The store's own clock (epoch seconds), None when it has none of its own."""

    def close(self) -> None: ...
