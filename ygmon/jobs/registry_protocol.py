"""What the rest of ygmon may ask of the job registry (the monitor, the API, the CLI).

The registry is the truth about every job: its state, attempts, times and error, plus
the workers' heartbeats. Its methods are synchronous (they run in Huey's worker threads
and, from async code, through asyncio.to_thread) and raise YgmonError subclasses only:
NotFoundError("Job not found"), CannotRetryError("Cannot retry job"),
UnavailableError(...) when its storage cannot be reached.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from ygmon.monitor.schemas import JobDetail, JobState, JobSummary, QueueStats, WorkerInfo


class JobRegistry(Protocol):
    def ping(self) -> None:
        """Raise UnavailableError when the registry's storage cannot be reached."""

    def queue_stats(self) -> list[QueueStats]:
        """Counts per state of every known queue, in a fixed queue order. O(queues)."""

    def list_jobs(
        self, queue: str | None, state: JobState | None, offset: int, limit: int
    ) -> tuple[list[JobSummary], int]:
        """A page of jobs (newest first: by finish time for finished states, else by
        enqueue time) and the total matching. `queue=None` means every queue."""

    def get_job(self, job_id: str) -> JobDetail:
        """One job, or NotFoundError("Job not found")."""

    def retry(self, queue: str, job_id: str) -> JobDetail:
        """Enqueue a failed job again with its arguments and attempts reset.

        NotFoundError("Job not found") when no job `job_id` is in `queue`;
        CannotRetryError("Cannot retry job") when it is not failed.
        """

    def workers(self) -> list[WorkerInfo]:
        """Worker processes whose heartbeat is registered, newest first."""

    def last_finished(self, queue: str, task: str | None = None) -> datetime | None:
        """When a job of `queue` (and `task`, if given) last completed."""

    def close(self) -> None: ...
