"""The job runtime of one profile: a Huey instance per queue, its tasks, the registry.

Producers (the CLI, the API, the demo) and workers open the same runtime; a worker
process then runs consumers over it (ygmon.jobs.worker).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from huey import crontab
from huey.api import TaskWrapper

from ygmon.broker_url import broker_kind
from ygmon.config import LocalProfile
from ygmon.job_ids import new_job_id
from ygmon.jobs import job_log
from ygmon.jobs.collapse import Collapse
from ygmon.jobs.huey import signals
from ygmon.jobs.huey.broker import QueueHooks, RegistryHuey, make_huey
from ygmon.jobs.huey.control_gate import ControlGate
from ygmon.jobs.job_context import JobContext, ThreadResources, set_current_job
from ygmon.jobs.registry.completions import CompletionWriter
from ygmon.jobs.registry.job_registry import JobRegistry
from ygmon.jobs.registry.store import make_store
from ygmon.jobs.schedule_runs import TRIGGERS, periodic_names, record_run
from ygmon.jobs.tasks import RETENTION_CRON, TASKS, TaskSpec, task_spec
from ygmon.queues import QUEUE_NAMES, QUEUES, queue_spec


def cron_schedule(cron: str) -> Callable[[datetime], bool]:
    """Huey's crontab of a five-field cron expression."""
    minute, hour, day, month, dow = cron.split()
    return crontab(minute=minute, hour=hour, day=day, month=month, day_of_week=dow)


RETENTION_SWEEP = cron_schedule(RETENTION_CRON)


class JobRuntime:
    def __init__(self, profile: LocalProfile, clock: Callable[[], datetime] | None = None) -> None:
        self.profile = profile
        self.clock = clock
        self.worker_id: str | None = None
        """Set by the worker process that runs consumers over this runtime."""
        self.registry = JobRegistry(
            make_store(profile.broker_url, profile.namespace), self._requeue, clock
        )
        self.hueys: dict[str, RegistryHuey] = {}
        self.collapse = Collapse(self.hueys)
        """Markers that let one job cover a burst of requests (ygmon.jobs.collapse)."""
        on_sqlite = broker_kind(profile.broker_url) == "sqlite"
        self.completions = CompletionWriter(self._write_completions, piggyback=on_sqlite)
        self.thread_resources = ThreadResources(profile.database_url)
        """Each worker thread's event loop and Database (ygmon.jobs.job_context)."""
        self._tasks: dict[str, TaskWrapper] = {}
        self._task_queue: dict[str, str] = {}
        self._periodic = periodic_names()
        # One cached read of the pauses and live controls for every queue's dequeues
        # (ygmon.jobs.huey.control_gate).
        gate = ControlGate(self.registry.store, self._task_queue, lambda: self.worker_id)
        for spec in QUEUES:
            hooks = QueueHooks(
                spec.name,
                claim=self.registry.store.claim,
                # An injected clock (tests) leaves Huey on its own: delayed retries
                # must still come due while that clock stands still. So does SQLite,
                # whose registry's clock is this host's (ygmon.jobs.registry.clock):
                # Huey reads it each job, and its own read is the cheaper.
                store_now=self.registry.now if clock is None and not on_sqlite else None,
                on_periodic=self._note_periodic,
                gate=gate,
            )
            huey = make_huey(profile.broker_url, profile.namespace, hooks)
            self.hueys[spec.name] = huey
            signals.connect(huey, spec.name, self)
            huey.pre_execute("ygmon-job-context")(self._enter_job)
            huey.post_execute("ygmon-job-context")(self._leave_job)
        for task in TASKS.values():
            self._register_spec(task)
        self._register_maintenance()

    def _enter_job(self, task: Any) -> None:
        job_log.start(self.profile.job_log_lines, self.profile.job_log_bytes)
        set_current_job(
            JobContext(
                self,
                task.id,
                task.name,
                attempt=max(1, self.attempts_allowed(task) - task.retries),
            )
        )

    def _leave_job(self, task: Any, value: Any, exc: BaseException | None) -> None:
        set_current_job(None)

    def _register_spec(self, task: TaskSpec) -> None:
        if task.schedule is None:
            self.register_task(task.name, task.queue, task.func)
            return
        # A periodic task is also enqueued by hand (`ygmon enqueue`), with arguments,
        # and both paths must run as one task name: Huey's periodic_task wrapper
        # enqueues by that name, so the manual path uses the same wrapper.
        spec = queue_spec(task.queue)
        cron = dict(spec.schedules)[task.schedule]
        wrapper = self.hueys[task.queue].periodic_task(
            cron_schedule(cron),
            retries=spec.retries,
            retry_delay=spec.backoff_delay,
            retry_backoff=spec.retry_backoff,
            priority=spec.priority,
            name=task.name,
        )(task.func)
        self._tasks[task.name] = wrapper
        self._task_queue[task.name] = task.queue

    def _note_periodic(self, task: Any, slot: float) -> None:
        record_run(self.registry.store, task.name, slot, task.id, "schedule")

    def _write_completions(self, queue: str, moves: list[dict[str, Any]]) -> None:
        storage = self.hueys[queue].storage
        writer = (lambda: storage.db(commit=True)) if hasattr(storage, "db") else None
        self.registry.store.move_many(moves, writer=writer)

    def register_task(
        self,
        name: str,
        queue: str,
        func: Callable[..., Any],
        *,
        attempts: int | None = None,
        backoff_delay: float | None = None,
    ) -> TaskWrapper:
        """Run `func` as task `name` on `queue` (attempts and backoff default to the
        queue's); returns Huey's wrapper of it. For pipelines wired at run time and for
        tests; a worker runs it only when it shares this runtime
        (in_process_worker(..., runtime=...))."""
        spec = queue_spec(queue)
        wrapper = self.hueys[queue].task(
            retries=spec.retries if attempts is None else attempts - 1,
            retry_delay=spec.backoff_delay if backoff_delay is None else backoff_delay,
            retry_backoff=spec.retry_backoff,
            priority=spec.priority,
            name=name,
        )(func)
        self._tasks[name] = wrapper
        self._task_queue[name] = queue
        return wrapper

    def _register_maintenance(self) -> None:
        registry = self.registry

        def sweep_retention() -> int:
            """Trim finished jobs past retention. Idempotent: trimming twice trims nothing."""
            return registry.apply_retention()

        self._tasks["sweep-retention"] = self.hueys["maintenance"].periodic_task(
            RETENTION_SWEEP, name="sweep-retention"
        )(sweep_retention)
        self._task_queue["sweep-retention"] = "maintenance"

    # --- producing ---------------------------------------------------------------

    def attempts_allowed(self, task: Any) -> int:
        wrapper = self._tasks.get(task.name)
        return (wrapper.task_class.default_retries if wrapper else task.retries) + 1

    def enqueue(
        self,
        task: str,
        *,
        job_id: str | None = None,
        delay: float | None = None,
        **kwargs: Any,
    ) -> str:
        """Enqueue `task` with `kwargs`; returns the job id (`job_id` if given)."""
        if task not in self._tasks:
            task_spec(task)  # UnknownTaskError listing the known ones
        wrapper = self._tasks[task]
        job_id = job_id or new_job_id()
        huey_task = wrapper.s(id=job_id, delay=delay, **kwargs)
        self.hueys[self._task_queue[task]].enqueue(huey_task)
        if task in self._periodic:
            # A run of a periodic task outside its slot is still a run of its schedule
            # (ygmon.jobs.schedule_runs): Schedules would say "never ran" otherwise.
            trigger = kwargs.get("trigger")
            record_run(
                self.registry.store,
                task,
                self.registry.now(),
                job_id,
                trigger if trigger in TRIGGERS else "manual",
            )
        return job_id

    def _requeue(self, record: dict[str, Any]) -> None:
        """Put a registry record back on its queue: same id, task and arguments."""
        import json

        wrapper = self._tasks.get(record["task"])
        if wrapper is None:
            return
        allowed = int(record.get("attempts_allowed") or 1)
        made = int(record.get("attempts_made") or 0)
        task = wrapper.task_class(
            (),
            json.loads(record.get("kwargs") or "{}"),
            id=record["id"],
            retries=allowed - max(made, 1),
        )
        task.args = tuple(json.loads(record.get("args") or "[]"))
        self.hueys[record["queue"]].enqueue(task)

    # --- waiting -----------------------------------------------------------------

    def wait_idle(self, timeout: float = 10.0, queues: Iterable[str] | None = None) -> None:
        """Return once no job of `queues` (default: all) is waiting, delayed or active.

        Raises TimeoutError after `timeout` seconds, naming what is left.
        """
        names = set(queues or QUEUE_NAMES)
        deadline = time.monotonic() + timeout
        pause = 0.005
        while True:
            counts = self.registry.store.counts()
            busy = {
                (q, s): n
                for (q, s), n in counts.items()
                if q in names and s in ("waiting", "delayed", "active") and n
            }
            if not busy:
                return
            if time.monotonic() >= deadline:
                raise TimeoutError(f"jobs still pending after {timeout}s: {busy}")
            time.sleep(pause)
            pause = min(pause * 2, 0.05)

    def now(self) -> datetime:
        """The jobs' clock: the injected one, else the registry's store clock, so a
        worker on a host whose clock is off still aggregates and publishes on time."""
        if self.clock:
            return self.clock()
        return datetime.fromtimestamp(self.registry.now(), UTC)

    def close(self) -> None:
        self.completions.close()
        self.thread_resources.close()
        for huey in self.hueys.values():
            storage = huey.storage
            if hasattr(storage, "close"):
                storage.close()
            pool = getattr(storage, "pool", None)
            if pool is not None:
                pool.disconnect()
        self.registry.close()

    def __enter__(self) -> JobRuntime:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_runtime(
    profile: LocalProfile, *, clock: Callable[[], datetime] | None = None
) -> JobRuntime:
    """The runtime of `profile`; UnavailableError when its broker cannot be reached."""
    return JobRuntime(profile, clock)
