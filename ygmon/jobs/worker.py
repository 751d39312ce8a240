"""A worker process: Huey consumers for the chosen queues, heartbeats, stalled-job sweeps.

Why one process with a consumer per queue on threads, rather than a supervisor of
per-queue processes: Huey serves one queue per instance, and ygmon has thirteen queues
whose work waits on I/O (Postgres, SMTP, HTTP, an ffmpeg subprocess), so threads run it
as well as processes would, at a fraction of the memory, with one heartbeat and one
registry connection for the lot. Heavier deployments scale out by starting more
`ygmon worker` processes (optionally with --queues), which the heartbeats and the
stalled-job sweep already handle.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from huey.consumer import Consumer

from ygmon.config import LOCAL_MAX_CONCURRENCY, LocalProfile
from ygmon.errors import YgmonError
from ygmon.jobs.huey.periodic_claims import FrequentScheduler
from ygmon.jobs.runtime import JobRuntime, open_runtime
from ygmon.jobs.schedule_runs import note_watching
from ygmon.jobs.tasks import WORKER_START_HOOKS
from ygmon.liveness import HEARTBEAT_INTERVAL
from ygmon.queues import QUEUE_NAMES, QueueSpec, queue_spec

log = logging.getLogger("ygmon.worker")

INDEX_EVERY = 15.0
"""Seconds between two passes of the job search index (one worker of the deployment
takes each): a burst of jobs is indexed in a few large batches rather than many small
ones, and reads scan what a pass has not reached yet (ygmon.jobs.registry.search)."""
DEPTH_EVERY = 60.0
"""Seconds between two samples of every queue's waiting count (its depth over time)."""


IDLE_POLL = {"search-index-update": 0.1, "notification-delivery": 0.1, "email": 0.1}
"""Seconds between two polls of an idle queue where the broker cannot wake a worker
(SQLite; Redis wakes it at once), when not the default 0.5: a real-time index update,
or an immediate notification (its delivery, then its e-mail), waits 50 ms for its
worker on average, not 250 (a cheap indexed read each time)."""


def concurrency_for(spec: QueueSpec, profile: LocalProfile, workers: int | None = None) -> int:
    """Threads for `spec`: --workers, else the profile's setting, else the capped default."""
    if workers is not None:
        chosen = workers
    elif spec.name in profile.concurrency:
        chosen = profile.concurrency[spec.name]
    else:
        chosen = min(spec.concurrency, LOCAL_MAX_CONCURRENCY)
    if spec.max_concurrency is not None:
        chosen = min(chosen, spec.max_concurrency)
    return max(1, chosen)


class _EmbeddedConsumer(Consumer):
    """Huey's consumer without its own signal handlers: the worker process owns them."""

    scheduler_class = FrequentScheduler

    def _set_signal_handlers(self) -> None:
        pass


class WorkerProcess:
    """Runs the consumers of `queues` (default: all) in this process."""

    def __init__(
        self,
        profile: LocalProfile,
        queues: Sequence[str] | None = None,
        workers: int | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        runtime: JobRuntime | None = None,
        periodic: bool = True,
        host_name: str | None = None,
    ) -> None:
        self.profile = profile
        self.queues = [queue_spec(q).name for q in (queues or QUEUE_NAMES)]
        self.host = host_name or socket.gethostname()
        self.id = f"{self.host}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.runtime = runtime or open_runtime(profile, clock=clock)
        self._owns_runtime = runtime is None
        self.runtime.worker_id = self.id
        self.periodic = periodic
        self.concurrency = {
            q: concurrency_for(queue_spec(q), profile, workers) for q in self.queues
        }
        self.consumers = [
            _EmbeddedConsumer(
                self.runtime.hueys[q],
                workers=self.concurrency[q],
                worker_type="thread",
                # Several workers each running the schedule would enqueue every periodic
                # job once per worker: deployments give the schedule to one of them.
                periodic=periodic,
                initial_delay=0.05,
                backoff=1.5,
                max_delay=IDLE_POLL.get(q, 0.5),
                check_worker_health=False,
            )
            for q in self.queues
        ]
        self._stop = threading.Event()
        self._beat_thread = threading.Thread(target=self._beat_loop, name="ygmon-heartbeat")
        # Its own thread: a first pass over a backlog of a million jobs takes minutes,
        # and in the heartbeat's thread it would let the other workers take this one
        # for dead (and its running jobs for stalled).
        self._index_thread = threading.Thread(
            target=self._index_loop, name="ygmon-job-index", daemon=True
        )
        self.started_at = self.runtime.registry.now()

    def _beat(self) -> None:
        registry = self.runtime.registry
        registry.store.beat(
            {
                "id": self.id,
                "host": self.host,
                "pid": str(os.getpid()),
                "queues": self.queues,  # type: ignore[dict-item]
                "concurrency": str(sum(self.concurrency.values())),
                "started_at": repr(self.started_at),
                "last_heartbeat": repr(registry.now()),
            }
        )

    def _index_loop(self) -> None:
        """Index the jobs recorded since the last pass, off the hot path (one worker of
        the deployment per INDEX_EVERY; see ygmon.jobs.registry.search)."""
        from ygmon.jobs.registry.search import JobSearch

        registry = self.runtime.registry
        search = JobSearch(registry.store, registry.now)
        failing = False
        while not self._stop.wait(HEARTBEAT_INTERVAL):
            try:
                search.maintain(INDEX_EVERY)
                if failing:
                    log.warning("job search index: passes run again")
                failing = False
            except Exception as exc:  # the index is a cache: a pass that fails is retried
                if not failing:  # one line per outage, as the heartbeat logs it
                    log.warning("job search index: %s (retrying)", exc)
                failing = True

    def _beat_loop(self) -> None:
        interval = min(HEARTBEAT_INTERVAL, self.profile.stalled_after / 3)
        failing_since: float | None = None
        sweep_from = 0.0
        depth_at = 0.0
        while not self._stop.wait(interval):
            try:
                self._beat()
                if failing_since is not None:
                    log.warning(
                        "heartbeat: the registry answers again after %.0f s",
                        time.monotonic() - failing_since,
                    )
                    failing_since = None
                    # After an outage every worker's last beat is old: give them all
                    # stalled_after to beat again before taking anyone's jobs.
                    sweep_from = time.monotonic() + self.profile.stalled_after
                if time.monotonic() >= sweep_from:
                    self.runtime.registry.recover_stalled(
                        self.profile.stalled_after, self.profile.max_stalled
                    )
                if time.monotonic() >= depth_at:
                    # Queue depth over time (ygmon.jobs.registry.store.latency_buckets):
                    # one sample a minute, each bucket keeping the largest.
                    self.runtime.registry.record_depth()
                    depth_at = time.monotonic() + DEPTH_EVERY
            except YgmonError as exc:
                # One line when the registry stops answering, one when it answers again.
                if failing_since is None:
                    failing_since = time.monotonic()
                    log.error("heartbeat: %s (retrying)", exc)

    def start(self) -> None:
        self._beat()
        # Jobs of workers that died before this one started come back first.
        self.runtime.registry.recover_stalled(self.profile.stalled_after, self.profile.max_stalled)
        if self.periodic:
            note_watching(self.runtime.registry.store, self.runtime.registry.now())
            # Catch-up of missed schedules belongs with the schedule: a worker started
            # with --no-schedule leaves it to the one that runs it.
            for hook in WORKER_START_HOOKS:
                hook(self.runtime, list(self.queues))
        for consumer in self.consumers:
            consumer.start()
        self._beat_thread.start()
        self._index_thread.start()

    def stop(self, grace: float | None = None) -> None:
        """Let running jobs finish within `grace` seconds (default: shutdown_grace),
        put back to waiting whatever still runs, and leave the registry."""
        grace = self.profile.shutdown_grace if grace is None else grace
        deadline = time.monotonic() + grace
        for consumer in self.consumers:
            consumer.stop_flag.set()
        for consumer in self.consumers:
            for _, thread in consumer.worker_threads:
                thread.join(max(0.0, deadline - time.monotonic()))
            consumer.scheduler.join(max(0.0, deadline - time.monotonic()))
        self._stop.set()
        if self._beat_thread.is_alive():
            self._beat_thread.join()
        # A pass in progress is not waited for long: the index is a cache, and the next
        # pass (of any worker) redoes what this one did not record.
        if self._index_thread.is_alive():
            self._index_thread.join(1.0)
        self.runtime.completions.flush()
        registry = self.runtime.registry
        try:
            left = registry.requeue_worker_jobs(self.id)
            if left:
                log.warning("grace period over: %d running jobs put back to waiting", len(left))
            registry.store.remove_worker(self.id)
        finally:
            if self._owns_runtime:
                self.runtime.close()

    def running(self) -> bool:
        return any(t.is_alive() for c in self.consumers for _, t in c.worker_threads)


@contextmanager
def in_process_worker(
    profile: LocalProfile,
    queues: Sequence[str] | None = None,
    workers: int | None = None,
    *,
    clock: Callable[[], datetime] | None = None,
    grace: float | None = None,
    runtime: JobRuntime | None = None,
    periodic: bool = False,
) -> Iterator[WorkerProcess]:
    """Run real consumers on threads of this process; stop them gracefully on exit.

    With `runtime`, the consumers share it (and the tasks registered on it); otherwise
    the worker opens and closes its own. The periodic schedule is off unless asked
    for, so what runs is exactly what the caller enqueued.
    """
    worker = WorkerProcess(
        profile, queues, workers, clock=clock, runtime=runtime, periodic=periodic
    )
    worker.start()
    try:
        yield worker
    finally:
        worker.stop(grace)
