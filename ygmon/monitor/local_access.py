"""What LocalMonitor's parts (job operations, queue control, the audit trail) and its
readers (the API's user check) need of the storages LocalMonitor opens: calls into the
job registry or the job runtime in a thread, and the database. Each is given
LocalMonitor through one of these, so it can reach nothing else of it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from ygmon.db import Database
    from ygmon.jobs.registry.job_registry import JobRegistry
    from ygmon.jobs.runtime import JobRuntime

T = TypeVar("T")


class RegistryAccess(Protocol):
    async def in_registry(self, call: Callable[[JobRegistry], T]) -> T:
        """`call(registry)` in a thread; an unreachable store becomes UnavailableError."""
        ...


class RuntimeAccess(RegistryAccess, Protocol):
    async def in_runtime(self, call: Callable[[JobRuntime], T]) -> T:
        """`call(runtime)` in a thread, for what puts a job on a queue (Huey loads)."""
        ...


class SessionReader(Protocol):
    async def __call__(self, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """`work(session)` in a read session; an unreachable database: UnavailableError."""
        ...


class DatabaseAccess(Protocol):
    async def database(self) -> Database: ...

    async def read(self, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """`work(session)` in a read session; an unreachable database: UnavailableError."""
        ...
