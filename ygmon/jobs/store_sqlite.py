"""The job registry in the broker's SQLite file, beside Huey's own tables.

Tables are prefixed `ygmon_` and every row carries the profile's namespace. One
connection guarded by a lock serves all threads of a process (SQLite has one writer
anyway); writers take `BEGIN IMMEDIATE` so a read-then-write never fails half-way with
"database is locked", and WAL lets the TUI read while workers write.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from ygmon.errors import UnavailableError
from ygmon.jobs.store import FIELDS, Retention

_DDL = (
    """create table if not exists ygmon_job (
        ns text not null, id text not null, queue text not null, task text not null,
        state text not null, args text, kwargs text, attempts_made text,
        attempts_allowed text, progress text, enqueued_at text, started_at text,
        finished_at text, worker_id text, error_message text, error_stack text,
        stalled_count text, result text, priority text, sort_at real not null,
        primary key (ns, id))""",
    "create index if not exists ygmon_job_qs on ygmon_job (ns, queue, state, sort_at)",
    # No (ns, state, ...) index: each index is one more page per state change, and
    # every cross-queue read walks the per-queue ranges instead (13 queues).
    """create table if not exists ygmon_count (
        ns text not null, queue text not null, state text not null,
        n integer not null default 0, primary key (ns, queue, state))""",
    """create table if not exists ygmon_worker (
        ns text not null, id text not null, data text not null, primary key (ns, id))""",
    """create table if not exists ygmon_last (
        ns text not null, key text not null, at real not null, primary key (ns, key))""",
)
_COLUMNS = ", ".join(FIELDS)
_STATES = ("waiting", "delayed", "active", "completed", "failed", "cancelled")


class SqliteRegistryStore:
    def __init__(self, path: str, namespace: str) -> None:
        self.path = path
        self.ns = namespace
        self._lock = threading.RLock()
        try:
            self._conn = sqlite3.connect(
                path, timeout=30, check_same_thread=False, isolation_level=None
            )
            self._conn.execute("pragma busy_timeout=30000")
            self._conn.execute("pragma journal_mode=wal")
            self._conn.execute("pragma synchronous=normal")
            with self._write() as cur:
                for sql in _DDL:
                    cur.execute(sql)
        except sqlite3.Error as exc:
            raise UnavailableError(f"cannot open the job registry at {path}: {exc}") from None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Cursor]:
        with self._lock:
            cur = self._conn.cursor()
            try:
                cur.execute("begin immediate")
                yield cur
            except BaseException:
                self._conn.rollback()
                raise
            else:
                self._conn.commit()
            finally:
                cur.close()

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        try:
            with self._lock:
                return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise UnavailableError(f"cannot read the job registry at {self.path}: {exc}") from None

    def ping(self) -> None:
        self._read("select 1")

    def _bump(self, cur: sqlite3.Cursor, queue: str, state: str, delta: int) -> None:
        cur.execute(
            "insert into ygmon_count (ns, queue, state, n) values (?, ?, ?, ?) "
            "on conflict (ns, queue, state) do update set n = n + excluded.n",
            (self.ns, queue, state, delta),
        )

    def move(
        self,
        job_id: str,
        to_state: str,
        fields: Mapping[str, str | None],
        *,
        allowed_from: frozenset[str] | None = None,
        create: Mapping[str, str | None] | None = None,
        sort_at: float | None = None,
        retention: Retention | None = None,
        writer: Callable[[], AbstractContextManager[sqlite3.Cursor]] | None = None,
    ) -> bool:
        """See RegistryStore.move. `writer` runs it on another connection's write
        transaction (a queue's Huey storage), so one process never contends with
        itself for SQLite's single write lock."""
        try:
            with (writer or self._write)() as cur:
                return self.move_in(
                    cur, job_id, to_state, fields, allowed_from, create, sort_at, retention
                )
        except sqlite3.Error as exc:
            raise UnavailableError(f"cannot write the job registry at {self.path}: {exc}") from None

    def move_many(
        self,
        moves: list[dict[str, Any]],
        writer: Callable[[], AbstractContextManager[sqlite3.Cursor]] | None = None,
    ) -> None:
        """Several `move`s (keyword dicts) in one transaction."""
        try:
            with (writer or self._write)() as cur:
                for move in moves:
                    self.move_in(cur, **move)
        except sqlite3.Error as exc:
            raise UnavailableError(f"cannot write the job registry at {self.path}: {exc}") from None

    def move_in(
        self,
        cur: sqlite3.Cursor,
        job_id: str,
        to_state: str,
        fields: Mapping[str, str | None],
        allowed_from: frozenset[str] | None = None,
        create: Mapping[str, str | None] | None = None,
        sort_at: float | None = None,
        retention: Retention | None = None,
    ) -> bool:
        """`move` inside the caller's write transaction `cur`."""
        if create is not None and sort_at is None and retention is None:
            # The common enqueue: a new id. One insert, no lookup first.
            record = {**create, **fields, "id": job_id, "state": to_state}
            record["sort_at"] = record["enqueued_at"]
            cols = [c for c in FIELDS if c in record]
            cur.execute(
                f"insert into ygmon_job (ns, {', '.join(cols)}) "
                f"values (?, {', '.join('?' * len(cols))}) on conflict (ns, id) do nothing",
                (self.ns, *(record[c] for c in cols)),
            )
            if cur.rowcount == 1:
                self._bump(cur, record["queue"], to_state, 1)
                return True
        elif to_state == "active" and allowed_from is not None and "waiting" in allowed_from:
            # The common dequeue: waiting -> active, one update, no lookup first.
            changes = {**fields, "state": "active"}
            row = cur.execute(
                f"update ygmon_job set {', '.join(f'{c} = ?' for c in changes)}, "
                "sort_at = enqueued_at where ns = ? and id = ? and state = 'waiting' "
                "returning queue",
                (*changes.values(), self.ns, job_id),
            ).fetchone()
            if row is not None:
                self._bump(cur, row[0], "waiting", -1)
                self._bump(cur, row[0], "active", 1)
                return True
        row = cur.execute(
            "select state, queue, task, enqueued_at from ygmon_job where ns = ? and id = ?",
            (self.ns, job_id),
        ).fetchone()
        if row is None:
            if create is None:
                return False
            record = {**create, **fields, "id": job_id, "state": to_state}
            queue, task = record["queue"], record["task"]
            record["sort_at"] = str(sort_at if sort_at is not None else record["enqueued_at"])
            cols = [c for c in FIELDS if c in record]
            cur.execute(
                f"insert into ygmon_job (ns, {', '.join(cols)}) "
                f"values (?, {', '.join('?' * len(cols))})",
                (self.ns, *(record[c] for c in cols)),
            )
        else:
            state, queue, task, enqueued_at = row
            if allowed_from is not None and state not in allowed_from:
                return False
            changes = {**fields, "state": to_state}
            changes["sort_at"] = str(sort_at if sort_at is not None else enqueued_at)
            cur.execute(
                f"update ygmon_job set {', '.join(f'{c} = ?' for c in changes)} "
                "where ns = ? and id = ?",
                (*changes.values(), self.ns, job_id),
            )
            self._bump(cur, queue, state, -1)
        self._bump(cur, queue, to_state, 1)
        if to_state == "completed":
            now = time.time() if sort_at is None else sort_at
            for key in (queue, f"{queue}|{task}"):
                cur.execute(
                    "insert or replace into ygmon_last (ns, key, at) values (?, ?, ?)",
                    (self.ns, key, now),
                )
        if retention is not None:
            self._trim(cur, queue, to_state, retention)
        return True

    def _trim(self, cur: sqlite3.Cursor, queue: str, state: str, retention: Retention) -> int:
        n = cur.execute(
            "select n from ygmon_count where ns = ? and queue = ? and state = ?",
            (self.ns, queue, state),
        ).fetchone()
        total = n[0] if n else 0
        # Oldest first: everything past the age limit, then enough to get under `keep`.
        old = cur.execute(
            "select count(*) from ygmon_job where ns = ? and queue = ? and state = ? "
            "and sort_at < ?",
            (self.ns, queue, state, retention.min_time),
        ).fetchone()[0]
        drop = max(old, total - retention.keep)
        if drop <= 0:
            return 0
        cur.execute(
            "delete from ygmon_job where rowid in (select rowid from ygmon_job where ns = ? "
            "and queue = ? and state = ? order by sort_at limit ?)",
            (self.ns, queue, state, drop),
        )
        removed = cur.rowcount
        self._bump(cur, queue, state, -removed)
        return removed

    def trim(self, queue: str, state: str, retention: Retention) -> int:
        with self._write() as cur:
            return self._trim(cur, queue, state, retention)

    def set_fields(self, job_id: str, fields: Mapping[str, str | None]) -> None:
        with self._write() as cur:
            cur.execute(
                f"update ygmon_job set {', '.join(f'{c} = ?' for c in fields)} "
                "where ns = ? and id = ?",
                (*fields.values(), self.ns, job_id),
            )

    def get(self, job_id: str) -> dict[str, str | None] | None:
        rows = self._read(
            f"select {_COLUMNS} from ygmon_job where ns = ? and id = ?", (self.ns, job_id)
        )
        return dict(zip(FIELDS, rows[0], strict=True)) if rows else None

    def counts(self) -> dict[tuple[str, str], int]:
        rows = self._read("select queue, state, n from ygmon_count where ns = ?", (self.ns,))
        return {(q, s): n for q, s, n in rows}

    def page(
        self, queue: str | None, state: str | None, offset: int, limit: int
    ) -> tuple[list[dict[str, str | None]], int]:
        # Totals come from the counters; rows from one index range per state, merged, so
        # a page costs offset+limit rows per state however many jobs there are.
        counts = self.counts()
        total = sum(
            n
            for (q, s), n in counts.items()
            if (queue is None or q == queue) and (state is None or s == state)
        )
        rows: list[tuple] = []
        for s in [state] if state is not None else _STATES:
            for q in [queue] if queue is not None else self._queues_with(s):
                rows += self._read(
                    f"select {_COLUMNS} from ygmon_job where ns = ? and queue = ? "
                    "and state = ? order by sort_at desc limit ?",
                    (self.ns, q, s, offset + limit),
                )
        sort_at = FIELDS.index("sort_at")
        rows.sort(key=lambda r: float(r[sort_at]), reverse=True)
        return [dict(zip(FIELDS, r, strict=True)) for r in rows[offset : offset + limit]], total

    def ids_in(self, queue: str | None, state: str, limit: int) -> list[str]:
        queues = [queue] if queue is not None else self._queues_with(state)
        rows: list[tuple] = []
        for q in queues:
            rows += self._read(
                "select sort_at, id from ygmon_job where ns = ? and queue = ? and state = ? "
                "order by sort_at limit ?",
                (self.ns, q, state, limit),
            )
        return [r[1] for r in sorted(rows)[:limit]]

    def _queues_with(self, state: str) -> list[str]:
        return [q for (q, s), n in self.counts().items() if s == state and n > 0]

    def beat(self, worker: Mapping[str, str]) -> None:
        import json

        with self._write() as cur:
            cur.execute(
                "insert or replace into ygmon_worker (ns, id, data) values (?, ?, ?)",
                (self.ns, worker["id"], json.dumps(dict(worker))),
            )

    def remove_worker(self, worker_id: str) -> None:
        with self._write() as cur:
            cur.execute("delete from ygmon_worker where ns = ? and id = ?", (self.ns, worker_id))

    def workers(self) -> list[dict[str, str]]:
        import json

        return [
            json.loads(r[0])
            for r in self._read("select data from ygmon_worker where ns = ?", (self.ns,))
        ]

    def last_finished(self, key: str) -> float | None:
        rows = self._read("select at from ygmon_last where ns = ? and key = ?", (self.ns, key))
        return rows[0][0] if rows else None

    def close(self) -> None:
        with self._lock:
            self._conn.close()
