"""Job history in the SQLite registry: the `ygmon_history` table, one row per step,
bucket start, queue and task (see ygmon.jobs.registry.store.buckets), written inside the transaction
of the final moves it counts and read back a window at a time in one query.
"""

from __future__ import annotations

import sqlite3

from ygmon.errors import UnavailableError
from ygmon.jobs.registry.store.buckets import (
    N_RUNTIME_BUCKETS,
    STEPS,
    Bucket,
    HistoryBatch,
    HistoryRow,
    expired_before,
)
from ygmon.jobs.registry.store.latency_buckets import LatencyBatch
from ygmon.jobs.registry.store.sqlite.latency import (
    LATENCY_COLUMNS,
    latency_keys,
    latency_updates,
    latency_values,
)

Finished = tuple[str, str, str, float, tuple[str, str | None] | None]
"""A final move, as the history counts it: (job id, queue, outcome, time, and the job's
(task, started_at) when the move knew them, else None: they are read from its row)."""
_H = tuple(f"h{i}" for i in range(N_RUNTIME_BUCKETS))
HISTORY_DDL = (
    "create table if not exists ygmon_history (ns text not null, step integer not null, "
    "at integer not null, queue text not null, task text not null, "
    "completed integer not null default 0, failed integer not null default 0, "
    "sum_ms real not null default 0, max_ms real not null default 0, "
    + "".join(f"{h} integer not null default 0, " for h in _H)
    + "primary key (ns, step, at, queue, task)) without rowid"
)
_COLUMNS = ("completed", "failed", "sum_ms", "max_ms", *_H)
_WRITTEN = (*_COLUMNS, *LATENCY_COLUMNS)
_UPSERT_HEAD = (
    f"insert into ygmon_history (ns, step, at, queue, task, {', '.join(_WRITTEN)}) values "
)
_ROW_MARKS = "(" + ", ".join("?" * (5 + len(_WRITTEN))) + ")"
_UPSERT_TAIL = " on conflict (ns, step, at, queue, task) do update set " + ", ".join(
    [
        f"{c} = max({c}, excluded.{c})" if c == "max_ms" else f"{c} = {c} + excluded.{c}"
        for c in _COLUMNS
    ]
    + latency_updates()
)
_NO_RUNS = Bucket()


class SqliteHistory:
    """History rows of SqliteRegistryStore (a mixin: it uses the store's connection)."""

    def _finish(self, cur: sqlite3.Cursor, finished: list[Finished], lat: LatencyBatch) -> None:
        """What final moves leave besides the rows: the last-completed times and the
        history buckets, each written once for the batch, with the wait and run times
        of the attempts the batch closed (`lat`)."""
        if not finished:
            self._write_history(cur, HistoryBatch(), lat)
            return
        unknown = [job_id for job_id, *_, known in finished if known is None]
        jobs = self._task_and_start(cur, unknown) if unknown else {}
        last: dict[str, float] = {}
        history = HistoryBatch()
        for job_id, queue, outcome, now, known in finished:
            task, started_at = known or jobs[job_id]
            if outcome == "completed":
                last[queue] = last[f"{queue}|{task}"] = now
            history.add(queue, task, outcome, now, started_at)
        self._set_last(cur, last)
        self._write_history(cur, history, lat)

    def _task_and_start(self, cur: sqlite3.Cursor, ids: list[str]) -> dict[str, tuple]:
        """(task, started_at) of each of `ids`, in one read."""
        found: dict[str, tuple] = dict.fromkeys(ids, ("", None))
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            found.update(
                (job_id, (task, started))
                for job_id, task, started in cur.execute(
                    "select id, task, started_at from ygmon_job where ns = ? and id in "
                    f"({', '.join('?' * len(chunk))})",
                    (self.ns, *chunk),
                ).fetchall()
            )
        return found

    def _write_history(self, cur: sqlite3.Cursor, batch: HistoryBatch, lat: LatencyBatch) -> None:
        """A batch's bucket rows in one statement (two rows per queue and task: its
        minute and its hour), history and latency columns together."""
        if not batch and not lat:
            return
        counted = batch.rows if batch else {}
        timed, keys = latency_keys(lat)
        rows = [(key, counted.get(key, _NO_RUNS)) for key in counted.keys() | keys]
        sql = self._sql.get(("history", len(rows)))
        if sql is None:
            sql = self._sql[("history", len(rows))] = (
                _UPSERT_HEAD + ", ".join([_ROW_MARKS] * len(rows)) + _UPSERT_TAIL
            )
        cur.execute(
            sql,
            [
                v
                for (step, at, queue, task), b in rows
                for v in (
                    self.ns,
                    step,
                    at,
                    queue,
                    task,
                    b.completed,
                    b.failed,
                    b.sum_ms,
                    b.max_ms,
                    *b.histogram,
                    *latency_values(timed, step, at, queue, task),
                )
            ],
        )

    def history_rows(self, step: int, start: int, end: int) -> list[HistoryRow]:
        """Buckets of `step` starting in [start, end), every queue and task."""
        # Rows only attempts that did not end their job wrote (a retry) hold no history.
        rows = self._window_rows(_COLUMNS, "completed + failed > 0", step, start, end)
        return [
            (at, queue, task, Bucket(c, f, s, m, list(h)))
            for at, queue, task, c, f, s, m, *h in rows
        ]

    def trim_history(self, now: float) -> int:
        """Drop the buckets past their retention; returns how many went."""
        removed = 0
        try:
            with self._write() as cur:
                for step in STEPS:
                    cur.execute(
                        "delete from ygmon_history where ns = ? and step = ? and at < ?",
                        (self.ns, step, expired_before(step, now)),
                    )
                    removed += cur.rowcount
                removed += self._trim_depth(cur, now)
        except sqlite3.Error as exc:
            raise UnavailableError(f"cannot write the job registry at {self.path}: {exc}") from None
        return removed
