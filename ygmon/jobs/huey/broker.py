"""The Huey instance of each queue, from a profile's `broker_url`.

`sqlite:///PATH` gives Huey's SqliteHuey (the embedded default) and the registry's
tables in the same file; `redis://...` gives PriorityRedisHuey and the registry's keys
in the same Redis. Every Huey name and registry key starts with the profile's namespace
so deployments (and tests) can share one Redis.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from huey import PriorityRedisHuey, SqliteHuey
from huey.api import Huey, Task

from ygmon.broker_url import broker_kind, sqlite_path
from ygmon.jobs.huey.control_gate import ControlGate
from ygmon.jobs.huey.pause_gate import PausableDequeue
from ygmon.jobs.huey.periodic_claims import ClaimedPeriodic
from ygmon.jobs.huey.redis_storage import RegistryRedisStorage
from ygmon.jobs.huey.revocations import DeferredRevocationDelete, prefetched
from ygmon.jobs.huey.schedule_handoff import ScheduleHandoff
from ygmon.jobs.huey.sqlite_storage import RegistrySqliteStorage


@dataclass(frozen=True)
class QueueHooks:
    """What the runtime lends the Huey instance of one queue, given at construction."""

    queue: str
    claim: Callable[[str, float], bool] | None = None
    """claim(key, ttl): the first caller wins (ygmon.jobs.huey.periodic_claims)."""
    store_now: Callable[[], float] | None = None
    """The store's clock, epoch seconds; None leaves Huey on the host's."""
    on_periodic: Callable[[Any, float], None] | None = None
    """(task, slot as epoch seconds): a periodic slot this scheduler won."""
    gate: ControlGate | None = None
    """The process's cached read of pauses and live controls (one for every queue)."""


class _RegistryHuey(ClaimedPeriodic, ScheduleHandoff, DeferredRevocationDelete, Huey):
    """What both brokers' Huey classes add: the runtime's hooks, given at construction."""

    def __init__(self, name: str, *, hooks: QueueHooks, **kwargs: Any) -> None:
        self.hooks = hooks
        self._class_keys: dict[type, str] = {}
        super().__init__(name, **kwargs)

    def class_revoke_key(self, task_class: type) -> str:
        """Where Huey's revoke_all(task_class) keeps its entry, for the Redis scripts
        that check it in the same step as the pop. It depends on the class alone, so
        it is worked out once per class: every job asks for it once or twice."""
        key = self._class_keys.get(task_class)
        if key is None:
            key = self._class_keys[task_class] = self._task_key(task_class, "rt")
        return key

    def _revoke_keys(self, task: Any) -> list[str]:
        # Huey._revoke_keys: asked twice per job on SQLite (the dequeue's read of the
        # entries, then is_revoked); a task's keys without Huey's type tests per call.
        if isinstance(task, Task):
            return [task.revoke_id, self.class_revoke_key(type(task))]
        return super()._revoke_keys(task)


class _SqliteHuey(_RegistryHuey, SqliteHuey):
    storage_class = RegistrySqliteStorage

    def get_storage(self, **kwargs: Any) -> RegistrySqliteStorage:
        # Huey.get_storage: the storage also decodes each task once, for the registry
        # and the consumer, and reads its revocation entries in the dequeue's transaction.
        return RegistrySqliteStorage(
            self.name, decode=self.deserialize_task, revoke_keys=self._revoke_keys, **kwargs
        )

    def dequeue(self) -> Any:
        # Huey.dequeue: the task comes decoded, with its revocation entries, from the
        # storage's group-committed take.
        prefetched(None)
        taken = self.storage.take()
        if taken is None:
            return None
        prefetched(taken[2])
        return taken[1]


class _RedisHuey(_RegistryHuey, PriorityRedisHuey):
    storage_class = RegistryRedisStorage

    def dequeue(self) -> Any:
        # Huey.dequeue: a task this worker cannot read fails its job instead of being
        # logged and dropped, which would leave the job `active` for good.
        data = self.storage.dequeue()
        if data is None:
            return None
        try:
            return self.deserialize_task(data)
        except Exception as exc:
            if self.storage.on_unreadable is None:
                raise
            self.storage.on_unreadable(None, data, exc)
            return None


class _PausableSqliteHuey(PausableDequeue, _SqliteHuey):
    """The SQLite Huey whose dequeue a pause stops (ygmon.jobs.huey.pause_gate)."""


class _PausableRedisHuey(PausableDequeue, _RedisHuey):
    """The Redis Huey whose dequeue a pause stops (ygmon.jobs.huey.pause_gate)."""


RegistryHuey = _PausableSqliteHuey | _PausableRedisHuey


def huey_name(namespace: str, queue: str) -> str:
    # Redis storage keeps only [A-Za-z0-9_] of a name; '_' keeps queues apart.
    return f"{namespace}_{queue.replace('-', '_')}"


def make_huey(url: str, namespace: str, hooks: QueueHooks) -> RegistryHuey:
    """The Huey instance of `hooks.queue` (one per queue). Results live in the
    registry, not in Huey."""
    name = huey_name(namespace, hooks.queue)
    if broker_kind(url) == "sqlite":
        return _PausableSqliteHuey(
            name, hooks=hooks, filename=sqlite_path(url), results=False, utc=True, timeout=30
        )
    return _PausableRedisHuey(name, hooks=hooks, url=url, results=False, utc=True, read_timeout=1)
