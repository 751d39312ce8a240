"""The two storages of LocalMonitor, each opened on first use: the database (async
SQLAlchemy; the embedded default migrates itself, a server database must be at the
schema head) and the job registry (synchronous, as it also runs in Huey's worker
threads, so its calls go through asyncio.to_thread), with Huey's runtime loaded only
for what puts a job on a queue. A storage that cannot be reached becomes
UnavailableError.

LocalMonitor's parts reach these through the protocols of ygmon.monitor.local_access.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

from ygmon.config import LocalProfile
from ygmon.db.schema_head import HEAD_REVISION
from ygmon.errors import SchemaBehindError, UnavailableError, YgmonError
from ygmon.profile_targets import redact

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from ygmon.db import Database
    from ygmon.jobs.registry.job_registry import JobRegistry
    from ygmon.jobs.runtime import JobRuntime

T = TypeVar("T")


class LocalStorages:
    """The database and the job registry of one local profile, at the times `clock`
    gives (this host's clock when None)."""

    def __init__(self, profile: LocalProfile, clock: Callable[[], datetime] | None = None) -> None:
        self.profile = profile
        self.clock = clock
        self._db: Database | None = None
        self._db_lock = asyncio.Lock()
        self._runtime: JobRuntime | None = None
        self._runtime_lock = threading.Lock()
        self._reader: JobRegistry | None = None
        self._reader_lock = threading.Lock()

    def now(self) -> datetime:
        return self.clock() if self.clock else datetime.now(UTC)

    async def database(self) -> Database:
        from ygmon.db import Database, is_sqlite
        from ygmon.db.migrate import current_revision, ensure_schema
        from ygmon.db.reachability import checked

        async with self._db_lock:
            if self._db is None:
                db = Database(self.profile.database_url)
                if is_sqlite(self.profile.database_url):
                    # The embedded default migrates itself on first use.
                    await checked(db, ensure_schema(db))
                else:
                    # Migrating a server database is a deliberate act: say so, rather
                    # than fail every query on a missing table.
                    revision = await checked(db, current_revision(db))
                    if revision != HEAD_REVISION:
                        await db.dispose()
                        raise SchemaBehindError(
                            f"the database {redact(self.profile.database_url)} is at revision "
                            f"{revision or 'none'} and ygmon reads {HEAD_REVISION}: "
                            "run 'ygmon db upgrade'"
                        )
                self._db = db
            return self._db

    async def read(self, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """Run `work(session)` in a read session; an unreachable database becomes
        UnavailableError (also for readers beside the monitor, e.g. the API's user check)."""
        from ygmon.db.reachability import checked

        db = await self.database()

        async def run() -> T:
            async with db.reader() as session:
                return await work(session)

        return await checked(db, run())

    def _open_runtime(self) -> JobRuntime:
        with self._runtime_lock:
            if self._runtime is None:
                from ygmon.jobs.runtime import open_runtime

                self._runtime = open_runtime(self.profile, clock=self.clock)
            return self._runtime

    def _open_reader(self) -> JobRegistry:
        """The registry over its store alone, for reads: Huey loads only when a retry
        needs the runtime to put a job back."""
        with self._reader_lock:
            if self._reader is None:
                from ygmon.jobs.registry.job_registry import JobRegistry
                from ygmon.jobs.registry.store import make_store

                store = make_store(self.profile.broker_url, self.profile.namespace)
                self._reader = JobRegistry(
                    store, lambda record: self._open_runtime()._requeue(record), self.clock
                )
            return self._reader

    async def in_registry(self, call: Callable[[JobRegistry], T]) -> T:
        """`call(registry)` in a thread, on the registry over its store alone."""
        return await self._in_thread(lambda: call(self._open_reader()))

    async def in_runtime(self, call: Callable[[JobRuntime], T]) -> T:
        """`call(runtime)` in a thread, for what puts a job on a queue."""
        return await self._in_thread(lambda: call(self._open_runtime()))

    async def _in_thread(self, call: Callable[[], T]) -> T:
        def work() -> T:
            try:
                return call()
            except YgmonError:
                raise
            except (OSError, sqlite3.Error) as exc:
                raise UnavailableError(f"cannot reach the job registry: {exc}") from exc
            except Exception as exc:
                if type(exc).__module__.startswith("redis"):
                    raise UnavailableError(f"cannot reach the job registry: {exc}") from exc
                raise

        return await asyncio.to_thread(work)

    async def close(self) -> None:
        """Dispose of the database's engine and close the registry and runtime."""
        if self._db is not None:
            await self._db.dispose()
            self._db = None
        runtime, self._runtime = self._runtime, None
        if runtime is not None:
            await asyncio.to_thread(runtime.close)
        reader, self._reader = self._reader, None
        if reader is not None:
            await asyncio.to_thread(reader.close)
