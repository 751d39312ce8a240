"""What a running task may use besides its arguments: its job, the database, the clock.

Huey runs tasks on long-lived worker threads. The pipelines are async SQLAlchemy
services, and an async engine must stay on the event loop that made it (asyncpg fails
with "attached to a different loop", aiosqlite under contention), so each worker
thread gets one `asyncio.Runner` and one `Database` of the profile, made on first use
and disposed when the runtime closes. A pre-execute hook of the runtime sets the
current job before each task runs; tasks read it with `current_job()`.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from ygmon.errors import YgmonError

if TYPE_CHECKING:
    from ygmon.config import LocalProfile
    from ygmon.db import Database
    from ygmon.jobs.collapse import Collapse
    from ygmon.jobs.registry.job_registry import JobRegistry

T = TypeVar("T")


class _ThreadResources:
    """One thread's event loop and database of one runtime."""

    def __init__(self, database_url: str) -> None:
        self.runner = asyncio.Runner()
        self.database_url = database_url
        self._db: Database | None = None

    @property
    def database(self) -> Database:
        if self._db is None:
            from ygmon.db import Database

            self._db = Database(self.database_url)
        return self._db

    def close(self) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            self._close()
            return
        # An async caller (a test, the app): asyncio.Runner refuses to run inside a
        # running loop, and the engine's dispose would be made and never awaited; the
        # runner's own loop runs on a thread of its own instead.
        closing = threading.Thread(target=self._close, name="ygmon-close-resources")
        closing.start()
        closing.join()

    def _close(self) -> None:
        try:
            if self._db is not None:
                self.runner.run(self._db.dispose())
        finally:
            self.runner.close()


class ThreadResources:
    """The per-thread resources of one runtime: `run(coro)` and `database`."""

    def __init__(self, database_url: str) -> None:
        self._url = database_url
        self._local = threading.local()
        self._all: list[_ThreadResources] = []
        self._lock = threading.Lock()

    def _mine(self) -> _ThreadResources:
        res = getattr(self._local, "res", None)
        if res is None:
            res = _ThreadResources(self._url)
            self._local.res = res
            with self._lock:
                self._all.append(res)
        return res

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run `coro` to completion on this thread's event loop."""
        return self._mine().runner.run(coro)

    @property
    def database(self) -> Database:
        """This thread's Database of the profile (use it inside `run`)."""
        return self._mine().database

    def close(self) -> None:
        """Dispose every thread's engine and loop (the threads have stopped by now)."""
        with self._lock:
            resources, self._all = self._all, []
        for res in resources:
            # A closing engine must not keep the others open.
            with contextlib.suppress(Exception):
                res.close()
        self._local = threading.local()


class Producer(Protocol):
    """What a job, a task module and a worker-start hook use of the job runtime
    (ygmon.jobs.runtime.JobRuntime is the one implementation; declared here so that
    the tasks need not import the runtime that gathers them)."""

    profile: LocalProfile
    worker_id: str | None
    thread_resources: ThreadResources
    registry: JobRegistry
    collapse: Collapse

    def now(self) -> datetime: ...

    def enqueue(
        self, task: str, *, job_id: str | None = None, delay: float | None = None, **kwargs: Any
    ) -> str: ...


@dataclass
class JobContext:
    """The job a task runs as, and what the runtime lends it."""

    runtime: Producer
    job_id: str | None
    task: str
    attempt: int = 1
    """1 for the first run, 2 for the first retry, ..."""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def profile(self) -> LocalProfile:
        return self.runtime.profile

    @property
    def database(self) -> Database:
        return self.runtime.thread_resources.database

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self.runtime.thread_resources.run(coro)

    def now(self) -> datetime:
        return self.runtime.now()

    def progress(self, percent: float) -> None:
        """Record this job's progress (0-100) in the registry."""
        if self.job_id is not None:
            self.runtime.registry.set_progress(self.job_id, int(percent))

    def enqueue(self, task: str, **kwargs: Any) -> str:
        return self.runtime.enqueue(task, **kwargs)

    @property
    def collapse(self) -> Collapse:
        """The runtime's collapse markers (ygmon.jobs.collapse), as JobRuntime.collapse."""
        return self.runtime.collapse


def run_aside(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run `make()` to completion on a new event loop in a thread of its own, for work
    outside any job (a worker-start hook) whose caller may be inside an event loop (an
    app, a test); its exception is raised here."""
    out: list[T] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            out.append(asyncio.run(make()))
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=work, name="ygmon-aside")
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return out[0]


_current = threading.local()


def set_current_job(ctx: JobContext | None) -> None:
    _current.ctx = ctx


def current_job() -> JobContext:
    """The job this thread runs; YgmonError outside a task run by a worker."""
    ctx = getattr(_current, "ctx", None)
    if ctx is None:
        raise YgmonError("no job is running on this thread (call the pipeline service directly)")
    return ctx
