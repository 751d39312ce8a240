"""The live controls of an SQLite queue's takes, inside the dequeue's transaction
(ygmon.jobs.huey.sqlite_storage): the queue's ceilings, and per task its pause and its
rate limit (TakeRules, from ygmon.jobs.huey.control_gate).

A take under per-task rules walks the queue and the held sets of the tasks that may
start, merged in queue order (priority, then Huey's row id); a job met whose task may
not start (paused, rate spent, or with older jobs of its own still held) is set aside
in `ygmon_held` (ygmon.jobs.registry.store.sqlite.controls), its record still
`waiting`. All of it commits or rolls back with the take: a worker killed at any point
loses no job.

No busy polling: once a task's jobs are all set aside, the queue looks empty to the
dequeue's first check (no transaction), and held jobs are looked at again only when
their task may start: resumed, or its rate window's oldest start 60 s old.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ygmon.jobs.huey.control_gate import REFRESH_SECONDS
from ygmon.jobs.registry.store.base import RATE_WINDOW, TakeRules

LOOK = 200
"""Jobs a take looks at most (set aside or skipped): the rest waits for the next take."""

Row = tuple[str | None, int, bytes, float, int]
"""A candidate: (the task of a held row, else None for a queue row; its key: the held
row's seq or Huey's row id; data; priority; its place in the queue: Huey's row id)."""
TakeRow = Callable[[Any, bytes, Callable[[Any], bool] | None], Any]
"""The storage's take of one row's data: (cursor, data, admit(task) -> bool) -> the
taken tuple, or None when unreadable or not admitted."""


@dataclass(eq=False)
class SqliteTakeControl:
    """The live controls of one queue's takes, on its storage (one per process)."""

    store: Any
    """The registry's SqliteRegistryStore (ygmon.jobs.registry.store.sqlite.controls)."""
    queue: str
    huey_name: str
    """Huey's name of the queue: its rows of `task`."""
    rules: Callable[[], TakeRules]
    now: Callable[[], float]
    """The registry's clock."""
    _open_at: dict[str, float] = field(default_factory=dict)
    """A rate-limited task: when its window has room again (the registry's clock)."""
    _empty_until: dict[str, float] = field(default_factory=dict)
    """A task found with no held job: not looked at again before then."""
    _held_here: set[str] = field(default_factory=set)
    """Tasks this process set jobs aside for, until it finds none held."""

    def slots(self, curs: Any, rules: TakeRules, n: int) -> int:
        """How many of `n` jobs may start now under the queue's ceilings."""
        if rules.ceiling is not None:
            n = min(n, rules.ceiling - self.store.active_in(curs, self.queue))
        if rules.host_limit is not None and n > 0:
            active = self.store.host_active_in(curs, self.queue, rules.host)
            n = min(n, rules.host_limit - active)
        return n

    def ready(self) -> bool:
        """Whether held jobs may start now (asked when the queue itself is empty)."""
        rules = self.rules()
        tasks = rules.held | self._held_here
        if not tasks:
            return False
        now = self.now()
        return any(
            task not in rules.paused
            and self._empty_until.get(task, 0.0) <= now
            and (task not in rules.rates or self._open_at.get(task, 0.0) <= now)
            for task in tasks
        )

    def take(self, curs: Any, rules: TakeRules, n: int, take_row: TakeRow) -> list[Any]:
        """Up to `n` jobs taken under `rules` (see the module's docstring)."""
        run = _Run(self, curs, rules, self.now())
        taken: list[Any] = []
        looked = 0
        while len(taken) < n and looked < LOOK:
            rows = run.heads(n - len(taken))
            if not rows:
                break
            for row in rows:
                looked += 1
                got = run.take(row, take_row)
                if got is not None:
                    taken.append(got)
        return taken


@dataclass(eq=False)
class _Run:
    """One take's state: each rated task's room, the tasks it found may not start."""

    c: SqliteTakeControl
    curs: Any
    rules: TakeRules
    now: float
    room: dict[str, int] = field(default_factory=dict)
    oldest: dict[str, float] = field(default_factory=dict)
    ahead: set[str] = field(default_factory=set)
    """Tasks with held jobs that may start: their queue rows go behind them."""

    def may_start(self, task: str) -> bool:
        if task in self.rules.paused:
            return False
        limit = self.rules.rates.get(task)
        if limit is None:
            return True
        if task not in self.room:
            count, oldest = self.c.store.window_in(self.curs, task, self.now)
            self.room[task] = limit - count
            self.oldest[task] = self.now if oldest is None else oldest
            self._note_full(task)
        return self.room[task] > 0

    def _note_full(self, task: str) -> None:
        if self.room[task] <= 0:
            self.c._open_at[task] = self.oldest[task] + RATE_WINDOW

    def started(self, task: str, job_id: str) -> bool:
        if task in self.rules.rates:
            self.c.store.started_in(self.curs, task, job_id, self.now)
            self.room[task] -= 1
            self._note_full(task)
        return True

    def heads(self, k: int) -> list[Row]:
        """The next `k` candidates: the queue's rows and the held rows of every task
        that may start, merged in queue order (each source keeps its own order)."""
        c = self.c
        sources: list[list[Row]] = [
            [
                (None, row_id, data, priority, row_id)
                for row_id, data, priority in self.curs.execute(
                    "select id, data, priority from task where queue = ? "
                    "order by priority desc, id limit ?",
                    (c.huey_name, k),
                )
            ]
        ]
        self.ahead = set()
        for task in sorted(self.rules.held | c._held_here | set(self.rules.rates)):
            if c._empty_until.get(task, 0.0) > self.now or not self.may_start(task):
                continue
            held = c.store.held_in(self.curs, c.queue, task, k)
            if not held:
                c._held_here.discard(task)
                c._empty_until[task] = self.now + REFRESH_SECONDS
                continue
            self.ahead.add(task)
            sources.append([(task, seq, data, prio, row_id) for seq, row_id, data, prio in held])
        merged: list[Row] = []
        while len(merged) < k:
            live = [s for s in sources if s]
            if not live:
                break
            first = min(live, key=lambda s: (-s[0][3], s[0][4]))
            merged.append(first.pop(0))
        return merged

    def take(self, row: Row, take_row: TakeRow) -> Any:
        task, key, data, priority, row_id = row
        c, curs = self.c, self.curs
        if task is not None:
            if not self.may_start(task) or not c.store.unhold_in(curs, key):
                return None
            return take_row(curs, bytes(data), lambda job: self.started(task, job.id))
        curs.execute("delete from task where id = ?", (key,))
        if curs.rowcount != 1:
            return None

        def admit(job: Any) -> bool:
            name = job.name
            if name in self.ahead or not self.may_start(name):
                c.store.hold_in(curs, c.queue, name, (row_id, bytes(data), priority))
                c._held_here.add(name)
                c._empty_until.pop(name, None)
                return False
            return self.started(name, job.id)

        return take_row(curs, bytes(data), admit)
