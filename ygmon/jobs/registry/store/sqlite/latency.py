"""Wait and run times and queue depth in the SQLite registry.

Wait and run buckets (ygmon.jobs.registry.store.latency_buckets) are columns of the
history rows (`ygmon_history`, one per step, bucket start, queue and task): `w*` for
waits, `r*` for runs, each a count, sum, max, distribution and the samples kept. The
moves that close attempts write them in the same statement as the history, so they
dirty no page the history does not (what a commit costs is its pages); the history
sweep trims both. `ygmon_depth` holds each queue's sampled waiting count per step.
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

_KINDS = (("w", "wait"), ("r", "run"))
LATENCY_COLUMNS = tuple(
    c
    for p, _ in _KINDS
    for c in (f"{p}n", f"{p}s", f"{p}m", *(f"{p}h{i}" for i in range(N_RUNTIME_BUCKETS)), f"{p}x")
)
"""The history table's latency columns, in the order latency_values gives them."""
DEPTH_DDL = (
    "create table if not exists ygmon_depth (ns text not null, step integer not null, "
    "at integer not null, queue text not null, waiting integer not null, "
    "primary key (ns, step, at, queue)) without rowid"
)


def add_latency_columns(cur: sqlite3.Cursor) -> None:
    """Give `ygmon_history` the latency columns it lacks (files written before them)."""
    have = {row[1] for row in cur.execute("pragma table_info(ygmon_history)")}
    for c in LATENCY_COLUMNS:
        if c not in have:
            kind = (
                "text not null default ''"
                if c.endswith("x")
                else "real not null default 0"
                if c[1] in "sm"
                else "integer not null default 0"
            )
            cur.execute(f"alter table ygmon_history add column {c} {kind}")


def latency_updates() -> list[str]:
    """The upsert's SET expressions of the latency columns (the row's values from
    before the update on the right): samples grow only while a bucket keeps them all."""
    out = []
    for p, _ in _KINDS:
        for c in LATENCY_COLUMNS:
            if not c.startswith(p):
                continue
            if c == f"{p}m":
                out.append(f"{c} = max({c}, excluded.{c})")
            elif c == f"{p}x":
                out.append(
                    f"{c} = case when {p}n + excluded.{p}n > {SAMPLE_CAP} then {c} "
                    f"when {c} = '' then excluded.{c} when excluded.{c} = '' then {c} "
                    f"else {c} || ',' || excluded.{c} end"
                )
            else:
                out.append(f"{c} = {c} + excluded.{c}")
    return out


_EMPTY = LatencyBucket()


def latency_values(rows: dict, step: int, at: int, queue: str, task: str) -> list:
    """The latency columns' values of one history row, from LatencyBatch.rows."""
    values: list = []
    for _, kind in _KINDS:
        b = rows.get((step, at, queue, task, kind), _EMPTY)
        values += (b.n, b.sum_ms, b.max_ms, *b.histogram, samples_text(b.samples))
    return values


def latency_keys(batch: LatencyBatch) -> tuple[dict, set]:
    """A batch's rows and the history keys (step, start, queue, task) they touch."""
    rows = batch.rows if batch else {}
    return rows, {key[:4] for key in rows}


class SqliteLatency:
    """Latency and depth reads of SqliteRegistryStore, and the depth sample (a mixin:
    it uses the store's connection)."""

    def latency_rows(self, step: int, start: int, end: int) -> list[LatencyRow]:
        """Latency buckets of `step` starting in [start, end), every queue and task."""
        rows = self._window_rows(LATENCY_COLUMNS, "(wn > 0 or rn > 0)", step, start, end)
        width = len(LATENCY_COLUMNS) // 2
        out: list[LatencyRow] = []
        for at, queue, task, *values in rows:
            for i, (_, kind) in enumerate(_KINDS):
                n, s, m, *h, x = values[i * width : (i + 1) * width]
                if n:
                    out.append((at, queue, task, kind, LatencyBucket(n, s, m, h, parse_samples(x))))
        return out

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

    def _trim_depth(self, cur: sqlite3.Cursor, now: float) -> int:
        """Drop the depth buckets past their retention, inside the history sweep's
        transaction (the latency columns go with their history rows)."""
        removed = 0
        for step in STEPS:
            cur.execute(
                "delete from ygmon_depth where ns = ? and step = ? and at < ?",
                (self.ns, step, expired_before(step, now)),
            )
            removed += cur.rowcount
        return removed
