"""The worker's side of pauses and live controls: one cached read of the store per
process, shared by every queue's threads.

The paused queues, the live controls (ygmon.jobs.registry.live_controls) and the
held-back counts are read at most once per REFRESH_SECONDS (an unreadable store keeps
the last known state: the dequeue that follows reports the outage). From them the gate
answers, per dequeue, a clock read and a dict lookup: is the queue paused, and what
does a take of it apply (TakeRules: its ceilings, its tasks' pauses and rates, the tasks
with jobs held aside). A queue without any control gets its plain rules (its fixed
ceiling only), so its take stays the plain one.

A change reaches every worker within STOPS_WITHIN: the read's staleness plus one poll
already under way (an idle SQLite queue is polled every 0.5 s at most; a Redis dequeue
blocks up to 1 s on the queue's wake-up list, and a job that wakes it then is taken).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from ygmon.errors import YgmonError
from ygmon.jobs.registry.live_controls import WorkerView, read_for_workers
from ygmon.jobs.registry.store.base import TakeRules
from ygmon.queues import QUEUES, QUEUES_BY_NAME

log = logging.getLogger("ygmon.worker")

REFRESH_SECONDS = 0.5
"""How stale the gate's state may be: the longest idle poll of a queue."""
STOPS_WITHIN = REFRESH_SECONDS + 1.0
"""Seconds after a pause (or any live control) by which every worker applies it."""

_PLAIN = {spec.name: TakeRules(ceiling=spec.max_concurrency) for spec in QUEUES}
"""Each queue's rules when no live control touches it."""
_NONE = TakeRules()


def host_of(worker_id: str | None) -> str:
    """The host part of a worker id (`host:pid:suffix`) with its colon, as the
    registry's worker ids begin ('' for none)."""
    return worker_id.rsplit(":", 2)[0] + ":" if worker_id else ""


class ControlGate:
    """Answers "is this queue paused?" and "what does a take of it apply?" from a
    cached read of the store."""

    def __init__(
        self,
        store: Any,
        task_queue: Mapping[str, str],
        worker_id: Callable[[], str | None],
        refresh: float = REFRESH_SECONDS,
    ) -> None:
        self.store = store
        self.task_queue = task_queue
        """Each task this process knows and its queue (the runtime's, filled later)."""
        self.worker_id = worker_id
        self.refresh = refresh
        self._paused: frozenset[str] = frozenset()
        self._rules: dict[str, TakeRules] = {}
        self._read_at = float("-inf")
        self._lock = threading.Lock()

    def paused(self, queue: str) -> bool:
        if time.monotonic() - self._read_at >= self.refresh:
            self._reread()
        return queue in self._paused

    def rules(self, queue: str) -> TakeRules:
        if time.monotonic() - self._read_at >= self.refresh:
            self._reread()
        return self.known_rules(queue)

    def known_rules(self, queue: str) -> TakeRules:
        """The queue's rules as last read, without reading the store: for a take inside
        its SQLite transaction. A read there waits on the store's connection, whose
        writer may be waiting on that very transaction's lock: the take then stalls
        for the busy timeout. The dequeue's `paused` check, just before, rereads."""
        rules = self._rules.get(queue)
        return rules if rules is not None else _PLAIN.get(queue, _NONE)

    def _reread(self) -> None:
        with self._lock:
            if time.monotonic() - self._read_at < self.refresh:
                return  # another thread of this process just read it
            try:
                view = read_for_workers(self.store)
                self._paused = view.paused_queues
                self._rules = self._build(view)
            except YgmonError as exc:
                # The last known state stays: the dequeue that follows reports the outage.
                log.debug("live controls unreadable: %s", exc)
            self._read_at = time.monotonic()

    def _build(self, view: WorkerView) -> dict[str, TakeRules]:
        """The rules of each queue some control (or held job) touches."""
        controls = view.controls
        paused: dict[str, set[str]] = {}
        rates: dict[str, dict[str, int]] = {}
        held: dict[str, set[str]] = {}
        for task in controls.paused_tasks:
            if (queue := self.task_queue.get(task)) is not None:
                paused.setdefault(queue, set()).add(task)
        for task, rate in controls.rates.items():
            if (queue := self.task_queue.get(task)) is not None:
                rates.setdefault(queue, {})[task] = rate.per_minute
        for queue, task in view.held:
            held.setdefault(queue, set()).add(task)
        host = host_of(self.worker_id())
        out = {}
        for queue in {*controls.limits, *paused, *rates, *held}:
            spec = QUEUES_BY_NAME.get(queue)
            if spec is None:
                continue
            ceiling, host_limit = spec.max_concurrency, None
            limit = controls.limits.get(queue)
            if limit is not None and limit.scope == "host":
                host_limit = limit.limit if host else None
            elif limit is not None:
                ceiling = limit.limit if ceiling is None else min(ceiling, limit.limit)
            out[queue] = TakeRules(
                ceiling,
                host_limit,
                host,
                frozenset(paused.get(queue, ())),
                rates.get(queue, {}),
                frozenset(held.get(queue, ())),
            )
        return out
