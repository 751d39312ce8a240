"""The job models the registry answers in and the monitor, API and UI show: a job, a
queue's counts, a worker, in the contract's JSON shape, and CamelModel, the base of
every contract model (ygmon.monitor.schemas holds the rest).

Field names serialise in the contract's camelCase; timestamps as ISO 8601 UTC strings
with millisecond precision (what JavaScript's toISOString gives), and are truncated to
milliseconds on the way in too, so a value read locally equals the same value read
through the API.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    computed_field,
    model_serializer,
)
from pydantic.alias_generators import to_camel

from ygmon.timestamps import iso, to_utc_ms

Timestamp = Annotated[
    datetime, AfterValidator(to_utc_ms), PlainSerializer(iso, return_type=str, when_used="json")
]


class CamelModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        serialize_by_alias=True,
        from_attributes=True,
        frozen=True,
        defer_build=True,
    )

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON shape (camelCase, ISO strings)."""
        return self.model_dump(mode="json", by_alias=True)


class JobState(enum.StrEnum):
    WAITING = "waiting"
    DELAYED = "delayed"
    ACTIVE = "active"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class QueueCounts(CamelModel):
    """The contract's `{waiting, active, completed, failed}` object."""

    waiting: int = 0
    active: int = 0
    completed: int = 0
    failed: int = 0


class QueueStats(QueueCounts):
    """One queue's counts (extension `GET /api/admin/jobs/queues`)."""

    name: str
    delayed: int = 0
    paused: bool = False
    """Its workers take no new job (ygmon.jobs.registry.queue_pauses)."""
    paused_at: Timestamp | None = None

    @model_serializer(mode="wrap")
    def _pause_when_paused(self, handler: Any) -> dict[str, Any]:
        # Only a paused queue carries the two keys: the listing stays as it was.
        dumped = handler(self)
        if not self.paused:
            for key in ("paused", "pausedAt", "paused_at"):
                dumped.pop(key, None)
        return dumped

    def counts(self) -> QueueCounts:
        return QueueCounts(
            waiting=self.waiting, active=self.active, completed=self.completed, failed=self.failed
        )


class JobSummary(CamelModel):
    """One job as the lists show it."""

    id: str
    queue: str
    task: str
    state: JobState
    attempts_made: int = 0
    attempts_allowed: int = 1
    progress: int | None = None
    enqueued_at: Timestamp
    started_at: Timestamp | None = None
    finished_at: Timestamp | None = None
    worker_id: str | None = None
    error_message: str | None = None


class Attempt(CamelModel):
    """One finished run of a job: when it became due, started and ended, how it ended,
    where it ran, and what it logged (ygmon extension)."""

    number: int | None = None
    due_at: Timestamp | None = None
    started_at: Timestamp | None = None
    finished_at: Timestamp | None = None
    outcome: str
    """completed, failed, retried (failed, another attempt follows), stalled (its
    worker stopped beating), interrupted (its worker shut down) or cancelled."""
    wait_seconds: float | None = None
    """Queue wait: start - due."""
    run_seconds: float | None = None
    """Run time: end - start."""
    worker_id: str | None = None
    """host:pid:suffix (ygmon.jobs.worker); host and pid are read from it."""
    error: str | None = None
    log: str | None = None
    """The attempt's own log (logging records, stdout, stderr), its last lines."""
    log_cut: int = 0
    """Lines of the log dropped to keep it within the cap (the oldest)."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def host(self) -> str | None:
        """The worker's host (a host name holds no ':')."""
        return self.worker_id.split(":")[0] if self.worker_id else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def pid(self) -> int | None:
        """The worker's process id, where its id carries one."""
        parts = (self.worker_id or "").split(":")
        return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


class JobDetail(JobSummary):
    """One job with everything needed to understand or rerun it."""

    args: list[Any] = Field(default_factory=list)
    kwargs: dict[str, Any] = Field(default_factory=dict)
    error_stack: str | None = None
    stalled_count: int = 0
    result: Any = None
    due_at: Timestamp | None = None
    """When the current (or last) attempt became due: enqueue time, or a delay's or
    retry's eta (ygmon extension)."""
    attempts: list[Attempt] = Field(default_factory=list)
    """Finished attempts, oldest first (ygmon extension)."""
    replay_of: str | None = None
    """The job this one replays with edited arguments (ygmon extension)."""
    replayed_as: list[str] = Field(default_factory=list)
    """This job's replays, oldest first (ygmon extension)."""

    def replay_notes(self) -> list[tuple[str, str]]:
        """(label, text) of each replay link there is, in the words `ygmon jobs show`
        and the job detail screen both print: what this job replays, what replays it."""
        notes = []
        if self.replay_of:
            notes.append(("replays", f"{self.replay_of} (its arguments edited)"))
        if self.replayed_as:
            notes.append(("replayed", f"as {', '.join(self.replayed_as)}"))
        return notes


class WorkerInfo(CamelModel):
    """A worker process as its heartbeat registered it."""

    id: str
    host: str
    pid: int
    queues: list[str]
    concurrency: int
    started_at: Timestamp
    last_heartbeat: Timestamp
    liveness: str = "live"
    """live, late or gone (ygmon.liveness), judged by the store's clock when read."""
    running: int | None = None
    """Jobs it runs now (the monitor counts them; None where not counted)."""
