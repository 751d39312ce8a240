"""Wait and run times and queue depth in the SQLite registry: the `ygmon_latency` table
(one row per step, bucket start, queue, task and kind; see
ygmon.jobs.registry.store.latency_buckets), written inside the transaction of the moves
that close attempts, and `ygmon_depth` (one row per step, bucket start and queue).
"""

from __future__ import annotations

import sqlite3

from ygmon.errors import UnavailableError
from ygmon.jobs.registry.store.buckets import N_RUNTIME_BUCKETS, STEPS, expired_before
from ygmon.jobs.registry.store.latency_buckets import (
    SAMPLE_CAP,
    DepthRow,
    LatencyBatch,
    LatencyBucket,
    LatencyRow,
    depth_keys,
    parse_samples,
    samples_text,
)

_H = tuple(f"h{i}" for i in range(N_RUNTIME_BUCKETS))
LATENCY_DDL = (
    "create table if not exists ygmon_latency (ns text not null, step integer not null, "
    "at integer not null, queue text not null, task text not null, kind text not null, "
    "n integer not null default 0, sum_ms real not null default 0, "
    "max_ms real not null default 0, "
    + "".join(f"{h} integer not null default 0, " for h in _H)
    + "samples text not null default '', "
    "primary key (ns, step, at, queue, task, kind)) without rowid",
    "create table if not exists ygmon_depth (ns text not null, step integer not null, "
    "at integer not null, queue text not null, waiting integer not null, "
    "primary key (ns, step, at, queue)) without rowid",
)
_COLUMNS = ("n", "sum_ms", "max_ms", *_H, "samples")
_HEAD = (
    f"insert into ygmon_latency (ns, step, at, queue, task, kind, {', '.join(_COLUMNS)}) values "
)
_MARKS = "(" + ", ".join("?" * (6 + len(_COLUMNS))) + ")"
# The samples grow only while the bucket keeps them all (SAMPLE_CAP); the expressions
# read the row's values from before the update.
_TAIL = " on conflict (ns, step, at, queue, task, kind) do update set " + ", ".join(
    f"{c} = max({c}, excluded.{c})"
    if c == "max_ms"
    else (
        f"samples = case when n + excluded.n > {SAMPLE_CAP} then samples "
        "when samples = '' then excluded.samples when excluded.samples = '' then samples "
        "else samples || ',' || excluded.samples end"
    )
    if c == "samples"
    else f"{c} = {c} + excluded.{c}"
    for c in _COLUMNS
)


class SqliteLatency:
    """Latency and depth rows of SqliteRegistryStore (a mixin: it uses the store's
    connection)."""

    def _write_latency(self, cur: sqlite3.Cursor, batch: LatencyBatch) -> None:
        """A batch's rows in one statement (per queue, task and kind: its minute and its
        hour)."""
        if not batch:
            return
        rows = list(batch.rows.items())
        sql = self._sql.get(("latency", len(rows)))
        if sql is None:
            sql = self._sql[("latency", len(rows))] = (
                _HEAD + ", ".join([_MARKS] * len(rows)) + _TAIL
            )
        cur.execute(
            sql,
            [
                v
                for (step, at, queue, task, kind), b in rows
                for v in (
                    self.ns,
                    step,
                    at,
                    queue,
                    task,
                    kind,
                    b.n,
                    b.sum_ms,
                    b.max_ms,
                    *b.histogram,
                    samples_text(b.samples),
                )
            ],
        )

    def latency_rows(self, step: int, start: int, end: int) -> list[LatencyRow]:
        """Latency buckets of `step` starting in [start, end), every queue and task."""
        rows = self._read(
            f"select at, queue, task, kind, {', '.join(_COLUMNS)} from ygmon_latency "
            "where ns = ? and step = ? and at >= ? and at < ? order by at",
            (self.ns, step, start, end),
        )
        return [
            (at, queue, task, kind, LatencyBucket(n, s, m, list(h), parse_samples(x)))
            for at, queue, task, kind, n, s, m, *h, x in rows
        ]

    def record_depth(self, now: float, waiting: dict[str, int]) -> None:
        """Each queue's waiting count at `now`, kept as its bucket's largest."""
        if not waiting:
            return
        try:
            with self._write() as cur:
                cur.executemany(
                    "insert into ygmon_depth (ns, step, at, queue, waiting) values "
                    "(?, ?, ?, ?, ?) on conflict (ns, step, at, queue) do update set "
                    "waiting = max(waiting, excluded.waiting)",
                    [
                        (self.ns, step, at, queue, n)
                        for step, at in depth_keys(now)
                        for queue, n in waiting.items()
                    ],
                )
        except sqlite3.Error as exc:
            raise UnavailableError(f"cannot write the job registry at {self.path}: {exc}") from None

    def depth_rows(self, step: int, start: int, end: int) -> list[DepthRow]:
        return list(
            self._read(
                "select at, queue, waiting from ygmon_depth "
                "where ns = ? and step = ? and at >= ? and at < ? order by at",
                (self.ns, step, start, end),
            )
        )

    def _trim_latency(self, cur: sqlite3.Cursor, now: float) -> int:
        """Drop the latency and depth buckets past their retention, inside the history
        sweep's transaction."""
        removed = 0
        for table in ("ygmon_latency", "ygmon_depth"):
            for step in STEPS:
                cur.execute(
                    f"delete from {table} where ns = ? and step = ? and at < ?",
                    (self.ns, step, expired_before(step, now)),
                )
                removed += cur.rowcount
        return removed
