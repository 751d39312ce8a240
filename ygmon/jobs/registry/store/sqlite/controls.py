"""The live controls' tables in the SQLite registry (a mixin of SqliteRegistryStore):
jobs held aside and each rate-limited task's recent starts, written inside a dequeue's
transaction (ygmon.jobs.huey.sqlite_take) and read back for the screens.

- `ygmon_held`: Huey `task` rows taken off the queue while their task was paused or its
  rate spent, in the order they were set aside (`seq`), with their priority and row id
  (their place in the queue); their jobs' records stay `waiting`.
- `ygmon_rate`: one row per start of a rate-limited task, kept for RATE_WINDOW seconds
  (on the registry's clock).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from ygmon.jobs.registry.store.base import RATE_WINDOW

CONTROLS_DDL = (
    """create table if not exists ygmon_held (
        seq integer primary key autoincrement, ns text not null, queue text not null,
        task text not null, priority real not null, task_id integer not null,
        data blob not null)""",
    "create index if not exists ygmon_held_task on ygmon_held (ns, queue, task, seq)",
    """create table if not exists ygmon_rate (
        ns text not null, task text not null, at real not null, job text not null)""",
    "create index if not exists ygmon_rate_at on ygmon_rate (ns, task, at)",
)

HeldRow = tuple[int, int, bytes, float]
"""(seq, Huey's row id, data, priority) of a job held aside."""


class SqliteControls:
    def host_active_in(self, cur: sqlite3.Cursor, queue: str, host: str) -> int:
        """Jobs of `queue` active on a host (their worker id starts with `host`), read
        inside the caller's transaction."""
        return cur.execute(
            "select count(*) from ygmon_active where ns = ? and queue = ? "
            "and substr(worker_id, 1, ?) = ?",
            (self.ns, queue, len(host), host),
        ).fetchone()[0]

    def hold_in(
        self, cur: sqlite3.Cursor, queue: str, task: str, row: tuple[int, bytes, float]
    ) -> None:
        """Set aside Huey's row (id, data, priority) of a job of `task`."""
        task_id, data, priority = row
        cur.execute(
            "insert into ygmon_held (ns, queue, task, priority, task_id, data) "
            "values (?, ?, ?, ?, ?, ?)",
            (self.ns, queue, task, priority, task_id, data),
        )

    def held_in(self, cur: sqlite3.Cursor, queue: str, task: str, limit: int) -> list[HeldRow]:
        """The first `limit` jobs of `task` held aside, in the order they were set aside."""
        return cur.execute(
            "select seq, task_id, data, priority from ygmon_held "
            "where ns = ? and queue = ? and task = ? order by seq limit ?",
            (self.ns, queue, task, limit),
        ).fetchall()

    def unhold_in(self, cur: sqlite3.Cursor, seq: int) -> bool:
        cur.execute("delete from ygmon_held where seq = ?", (seq,))
        return cur.rowcount == 1

    def window_in(self, cur: sqlite3.Cursor, task: str, now: float) -> tuple[int, float | None]:
        """(starts of `task` in the RATE_WINDOW seconds before `now`, the oldest of them),
        older ones dropped."""
        cur.execute(
            "delete from ygmon_rate where ns = ? and task = ? and at <= ?",
            (self.ns, task, now - RATE_WINDOW),
        )
        n, oldest = cur.execute(
            "select count(*), min(at) from ygmon_rate where ns = ? and task = ?",
            (self.ns, task),
        ).fetchone()
        return n, oldest

    def started_in(self, cur: sqlite3.Cursor, task: str, job_id: str, now: float) -> None:
        """Count a start of `task` in its rate window."""
        cur.execute(
            "insert into ygmon_rate (ns, task, at, job) values (?, ?, ?, ?)",
            (self.ns, task, now, job_id),
        )

    def held_counts(self) -> dict[tuple[str, str], int]:
        """Jobs held aside (still `waiting`) per (queue, task)."""
        rows = self._read(
            "select queue, task, count(*) from ygmon_held where ns = ? group by queue, task",
            (self.ns,),
        )
        return {(queue, task): n for queue, task, n in rows}

    def recent_starts(self, tasks: Iterable[str], now: float) -> dict[str, int]:
        """Starts of each of `tasks` in the 60 seconds before `now`, as its rate limit
        counts them (recorded only while the task has one)."""
        return {
            task: self._read(
                "select count(*) from ygmon_rate where ns = ? and task = ? and at > ?",
                (self.ns, task, now - RATE_WINDOW),
            )[0][0]
            for task in tasks
        }
