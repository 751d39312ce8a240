"""The job registry: one record per job, the truth the monitor, the API and the CLI read.

Writes come from Huey's signals (ygmon.jobs.huey.signals), from retry and from the
stalled-job sweep; each is one atomic `move` of the store, so the per-queue-per-state
counters stay exact. Reads turn store records into the contract's models.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from ygmon.errors import CannotRetryError, NotFoundError
from ygmon.job_history import History, HistoryWindow
from ygmon.job_latency import Latency, LatencyShare
from ygmon.job_models import JobDetail, JobState, JobSummary, QueueStats, WorkerInfo
from ygmon.jobs.registry.attempts import entry as attempt_entry
from ygmon.jobs.registry.attempts import parse_all as parse_attempts
from ygmon.jobs.registry.clock import StoreClock
from ygmon.jobs.registry.history import build_history
from ygmon.jobs.registry.latency import build_latency, latency_share
from ygmon.jobs.registry.snapshot import queue_row, queue_rows, worker_rows
from ygmon.jobs.registry.store.base import ATTEMPT, FINISHED_STATES, RegistryStore, Retention
from ygmon.jobs.registry.window_read import WindowRead
from ygmon.liveness import GONE_LISTED_FOR
from ygmon.queues import QUEUE_NAMES

# docs/CONTRACT.md#retention: a queue's last 1000 completed jobs (at most 24 hours old) and the last
# 5000 failed jobs (at most 7 days old). Cancelled jobs follow the completed rule.
RETENTION: dict[str, tuple[int, timedelta]] = {
    "completed": (1000, timedelta(hours=24)),
    "failed": (5000, timedelta(days=7)),
    "cancelled": (1000, timedelta(hours=24)),
}
STALLED_MESSAGE = "job stalled more than allowable limit"
RUNNING_READ = 1000
"""Active jobs read to count each worker's (far more than a deployment's threads)."""

Requeue = Callable[[dict[str, Any]], None]
"""Puts a record's job back on its Huey queue (same id, task and arguments)."""


def _ts(value: str | None) -> datetime | None:
    return datetime.fromtimestamp(float(value), UTC) if value else None


def _int(value: str | None, default: int = 0) -> int:
    return int(value) if value not in (None, "") else default


class JobRegistry:
    """The job registry over a RegistryStore: what the monitor, the API and the CLI ask
    of the jobs (ping, queue_stats, list_jobs, get_job, retry, workers, history ...)."""

    def __init__(
        self,
        store: RegistryStore,
        requeue: Requeue,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.store = store
        self._requeue = requeue
        self._clock = clock
        self.store_clock = StoreClock(store.server_time)
        """The store's time: heartbeats, stalls and schedules agree across hosts."""
        self.limits: dict[str, tuple[int, timedelta]] = dict(RETENTION)
        """Retention per finished state; the contract's unless changed (tests shrink it)."""

    def now(self) -> float:
        return self._clock().timestamp() if self._clock else self.store_clock.now()

    def injected_now(self) -> float | None:
        """The injected clock's time (tests), or None where the store's clock applies:
        a store script may then read the server's time itself."""
        return self._clock().timestamp() if self._clock else None

    def retention(self, state: str, now: float | None = None) -> Retention | None:
        if state not in self.limits:
            return None
        keep, age = self.limits[state]
        return Retention(keep, (self.now() if now is None else now) - age.total_seconds())

    # --- reads (the protocol) ----------------------------------------------------

    def ping(self) -> None:
        self.store.ping()

    def queue_stats(self) -> list[QueueStats]:
        return [QueueStats(**row) for row in queue_rows(self.store.counts())]

    def counts(self, queue: str) -> QueueStats:
        return QueueStats(**queue_row(queue, self.store.counts()))

    def list_jobs(
        self, queue: str | None, state: JobState | None, offset: int, limit: int
    ) -> tuple[list[JobSummary], int]:
        rows, total = self.store.page(queue, state.value if state else None, offset, limit)
        return [JobSummary.model_validate(self._summary(r)) for r in rows], total

    def get_job(self, job_id: str) -> JobDetail:
        record = self.store.get(job_id)
        if record is None:
            raise NotFoundError("Job not found")
        return self._detail(record, self.store.attempts(job_id))

    def retry(self, queue: str, job_id: str) -> JobDetail:
        record = self.store.get(job_id)
        if record is None or record["queue"] != queue:
            raise NotFoundError("Job not found")
        if record["state"] != "failed":
            raise CannotRetryError("Cannot retry job")
        now = self.now()
        fields = {
            "attempts_made": "0",
            "stalled_count": "0",
            "enqueued_at": repr(now),
            "due_at": repr(now),
            "started_at": None,
            "finished_at": None,
            "worker_id": None,
            "error_message": None,
            "error_stack": None,
            "progress": None,
            "result": None,
        }
        if not self.store.move(
            job_id, "waiting", fields, allowed_from=frozenset({"failed"}), sort_at=now
        ):
            raise CannotRetryError("Cannot retry job")  # raced with another retry
        record.update(fields, state="waiting")
        self._requeue(record)
        # As it was enqueued: a worker may already be running it by now.
        return self._detail(record, self.store.attempts(job_id))

    def workers(self) -> list[WorkerInfo]:
        return [WorkerInfo(**row) for row in worker_rows(self.store.workers())]

    def running_per_worker(self) -> dict[str, int]:
        """{worker id: its active jobs}: one page of the active jobs, whose number the
        workers' threads bound (RUNNING_READ at most)."""
        active, _ = self.store.page(None, "active", 0, RUNNING_READ)
        running: dict[str, int] = {}
        for record in active:
            if record["worker_id"]:
                running[record["worker_id"]] = running.get(record["worker_id"], 0) + 1
        return running

    def last_finished(self, queue: str, task: str | None = None) -> datetime | None:
        return _ts_float(self.store.last_finished(queue if task is None else f"{queue}|{task}"))

    def history(
        self, window: HistoryWindow, queue: str | None = None, task: str | None = None
    ) -> History:
        """Completed and failed jobs and their run times over `window` (see
        ygmon.job_history), ending with the step holding now."""
        return build_history(self.store, WindowRead(window, self.now(), queue, task))  # type: ignore[arg-type]

    def latency(
        self, window: HistoryWindow, queue: str | None = None, task: str | None = None
    ) -> Latency:
        """Wait and run percentiles, depth and throughput over `window` (see
        ygmon.job_latency), ending with the step holding now."""
        return build_latency(self.store, WindowRead(window, self.now(), queue, task))  # type: ignore[arg-type]

    def latency_share(self, queue: str, kind: str, over_ms: float, minutes: int) -> LatencyShare:
        """`queue`'s waits or runs of the last `minutes` and how many exceeded `over_ms`."""
        return latency_share(self.store, queue, kind, over_ms, minutes, self.now())  # type: ignore[arg-type]

    def record_depth(self) -> None:
        """Sample every queue's waiting count into the depth buckets (the heartbeat
        calls this once a minute)."""
        waiting = {q: n for (q, state), n in self.store.counts().items() if state == "waiting"}
        self.store.record_depth(self.now(), {q: waiting.get(q, 0) for q in QUEUE_NAMES})

    def close(self) -> None:
        self.store.close()

    # --- conversions -------------------------------------------------------------

    @staticmethod
    def _summary(r: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": r["id"],
            "queue": r["queue"],
            "task": r["task"],
            "state": r["state"],
            "attempts_made": _int(r["attempts_made"]),
            "attempts_allowed": _int(r["attempts_allowed"], 1),
            "progress": _int(r["progress"]) if r.get("progress") else None,
            "enqueued_at": _ts(r["enqueued_at"]),
            "started_at": _ts(r["started_at"]),
            "finished_at": _ts(r["finished_at"]),
            "worker_id": r["worker_id"],
            "error_message": r["error_message"],
        }

    def _detail(self, r: dict[str, Any], attempts: list[str]) -> JobDetail:
        return JobDetail.model_validate(
            {
                **self._summary(r),
                "due_at": _ts(r.get("due_at")),
                "attempts": parse_attempts(attempts),
                "args": json.loads(r["args"] or "[]"),
                "kwargs": json.loads(r["kwargs"] or "{}"),
                "error_stack": r["error_stack"],
                "stalled_count": _int(r["stalled_count"]),
                "result": json.loads(r["result"]) if r.get("result") else None,
            }
        )

    def set_progress(self, job_id: str, percent: int) -> None:
        """Record a long job's progress (0-100); its task calls this as batches finish."""
        self.store.set_fields(job_id, {"progress": str(max(0, min(100, int(percent))))})

    # --- maintenance -------------------------------------------------------------

    def apply_retention(self) -> int:
        """Trim every queue to docs/CONTRACT.md#retention; the periodic sweep calls this."""
        now = self.now()
        removed = 0
        for queue in {q for q, _ in self.store.counts()} | set(QUEUE_NAMES):
            for state in FINISHED_STATES:
                retention = self.retention(state, now)
                if retention is not None:
                    removed += self.store.trim(queue, state, retention)
        self.store.trim_history(now)
        return removed

    def recover_stalled(self, stalled_after: float, max_stalled: int) -> list[str]:
        """Put back (or fail) the active jobs of workers whose heartbeat is too old.

        A worker that is gone (killed, host lost) stops beating; its jobs are re-enqueued
        with the same id and arguments, or fail with STALLED_MESSAGE once they stalled
        more than `max_stalled` times. Its record is removed GONE_LISTED_FOR later.
        Returns the ids handled.
        """
        now = self.now()
        beats = {w["id"]: float(w["last_heartbeat"]) for w in self.store.workers()}
        live = {w for w, beat in beats.items() if now - beat <= stalled_after}
        handled = []
        for job_id in self.store.ids_in(None, "active", 100_000):
            record = self.store.get(job_id)
            if record is None or record["state"] != "active" or record["worker_id"] in live:
                continue
            stalled = _int(record["stalled_count"]) + 1
            # The attempt ended when its worker last beat (it died within one beat),
            # not before it started; a worker already gone from the list leaves now.
            end = min(now, beats.get(record["worker_id"] or "", now))
            end = max(end, float(record["started_at"] or end))
            if stalled > max_stalled:
                self.store.move(
                    job_id,
                    "failed",
                    {
                        "stalled_count": str(stalled),
                        "finished_at": repr(now),
                        "error_message": STALLED_MESSAGE,
                        "error_stack": None,
                        ATTEMPT: attempt_entry(end, "failed", STALLED_MESSAGE),
                    },
                    allowed_from=frozenset({"active"}),
                    sort_at=now,
                    retention=self.retention("failed", now),
                )
            elif self.store.move(
                job_id,
                "waiting",
                {
                    "stalled_count": str(stalled),
                    "worker_id": None,
                    "started_at": None,
                    "due_at": repr(now),
                    ATTEMPT: attempt_entry(end, "stalled", "its worker stopped beating"),
                },
                allowed_from=frozenset({"active"}),
            ):
                record["stalled_count"] = str(stalled)
                self._requeue(record)
            handled.append(job_id)
        # A gone worker stays listed a while after its jobs are back (ygmon.liveness),
        # so an admin sees what disappeared; then it is forgotten.
        forget = stalled_after + GONE_LISTED_FOR
        for w in self.store.workers():
            if now - float(w["last_heartbeat"]) > forget:
                self.store.remove_worker(w["id"])
        return handled

    def requeue_worker_jobs(self, worker_id: str) -> list[str]:
        """Put this worker's still-active jobs back to waiting (shutdown past its grace)."""
        moved = []
        for job_id in self.store.ids_in(None, "active", 100_000):
            record = self.store.get(job_id)
            if record is None or record["worker_id"] != worker_id:
                continue
            now = self.now()
            if self.store.move(
                job_id,
                "waiting",
                {
                    "worker_id": None,
                    "started_at": None,
                    "due_at": repr(now),
                    ATTEMPT: attempt_entry(now, "interrupted", "its worker shut down"),
                },
                allowed_from=frozenset({"active"}),
            ):
                self._requeue(record)
                moved.append(job_id)
        return moved


def _ts_float(value: float | None) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if value is not None else None
