"""The job registry in the broker's SQLite file, beside Huey's own tables.

Tables are prefixed `ygmon_` and every row carries the profile's namespace. One
connection guarded by a lock serves all threads of a process (SQLite has one writer
anyway); writers take `BEGIN IMMEDIATE` so a read-then-write never fails half-way with
"database is locked", and WAL lets the TUI read while workers write.

What a write costs is mostly the pages it dirties (each one is a WAL frame, written
and synced at commit), so the hot paths are laid out to dirty few:

- `ygmon_job` has no rowid (new files): the row is its own primary-key index, one
  page per insert instead of two.
- A running job is a row of the small `ygmon_active` table; its `ygmon_job` row keeps
  state `waiting` until the job leaves `active`. Taking a job therefore dirties one
  page that every dequeue shares instead of its row and two index pages; the row is
  rewritten once, when the job finishes, in a batch whose neighbouring rows share
  pages. Reads merge the two, so callers only ever see state `active`.
- Counter changes of a batch are summed and written once per queue and state.
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

_JOB_TABLE = """create table if not exists ygmon_job (
        ns text not null, id text not null, queue text not null, task text not null,
        state text not null, args text, kwargs text, attempts_made text,
        attempts_allowed text, progress text, enqueued_at text, started_at text,
        finished_at text, worker_id text, error_message text, error_stack text,
        stalled_count text, result text, priority text, sort_at real not null,
        primary key (ns, id)) without rowid"""
_DDL = (
    _JOB_TABLE,
    "create index if not exists ygmon_job_qs on ygmon_job (ns, queue, state, sort_at)",
    # No (ns, state, ...) index: each index is one more page per state change, and
    # every cross-queue read walks the per-queue ranges instead (13 queues).
    """create table if not exists ygmon_count (
        ns text not null, queue text not null, state text not null,
        n integer not null default 0, primary key (ns, queue, state))""",
    """create table if not exists ygmon_worker (
        ns text not null, id text not null, data text not null, primary key (ns, id))""",
    """create table if not exists ygmon_last (
        ns text not null, key text not null, at real not null, primary key (ns, key))
        without rowid""",
    """create table if not exists ygmon_active (
        ns text not null, id text not null, queue text not null, worker_id text,
        started_at text, attempts_made text, primary key (ns, id)) without rowid""",
)
_PLAIN = ", ".join(f"j.{c}" for c in FIELDS)
_STATES = ("waiting", "delayed", "active", "completed", "failed", "cancelled")
_ACTIVE_FIELDS = ("worker_id", "started_at", "attempts_made")
"""What taking a job records; kept in `ygmon_active` while it runs."""
_MERGED = ", ".join(
    f"case when a.id is null then j.{c} else 'active' end"
    if c == "state"
    else f"case when a.id is null then j.{c} else a.{c} end"
    if c in _ACTIVE_FIELDS
    else f"j.{c}"
    for c in FIELDS
)
"""A job's fields as callers see them: its `ygmon_active` row (alias a), if any, over
its `ygmon_job` row (alias j)."""
_ACTIVE = frozenset({"active"})
_NOT_ACTIVE = "not exists (select 1 from ygmon_active a where a.ns = j.ns and a.id = j.id)"

_BUMP = (
    "insert into ygmon_count (ns, queue, state, n) values (?, ?, ?, ?) "
    "on conflict (ns, queue, state) do update set n = n + excluded.n"
)

Deltas = dict[tuple[str, str], int]


class SqliteRegistryStore:
    def __init__(self, path: str, namespace: str) -> None:
        self.path = path
        self.ns = namespace
        self._lock = threading.RLock()
        self._sql: dict[tuple, str] = {}
        try:
            self._conn = sqlite3.connect(
                path, timeout=30, check_same_thread=False, isolation_level=None
            )
            self._conn.execute("pragma busy_timeout=30000")
            self._conn.execute("pragma journal_mode=wal")
            self._conn.execute("pragma synchronous=normal")
            with self._write() as cur:
                had = {
                    r[0]
                    for r in cur.execute(
                        "select name from sqlite_master where name in ('ygmon_job', 'ygmon_active')"
                    )
                }
                for sql in _DDL:
                    cur.execute(sql)
                if had == {"ygmon_job"}:
                    self._adopt_active_rows(cur)
        except sqlite3.Error as exc:
            raise UnavailableError(f"cannot open the job registry at {path}: {exc}") from None

    @staticmethod
    def _adopt_active_rows(cur: sqlite3.Cursor) -> None:
        """A file written before `ygmon_active` existed marks running jobs in their row:
        move those marks over once, so both kinds of file read the same."""
        cur.execute(
            "insert or ignore into ygmon_active (ns, id, queue, worker_id, started_at, "
            "attempts_made) select ns, id, queue, worker_id, started_at, attempts_made "
            "from ygmon_job where state = 'active'"
        )
        cur.execute("update ygmon_job set state = 'waiting' where state = 'active'")

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
        cur.execute(_BUMP, (self.ns, queue, state, delta))

    def _bump_all(self, cur: sqlite3.Cursor, deltas: Deltas) -> None:
        """All of a step's counter changes in one statement (a dequeue has two)."""
        rows = [(q, s, n) for (q, s), n in deltas.items() if n]
        if not rows:
            return
        sql = self._sql.get(("bump", len(rows)))
        if sql is None:
            sql = self._sql[("bump", len(rows))] = (
                "insert into ygmon_count (ns, queue, state, n) values "
                + ", ".join(["(?, ?, ?, ?)"] * len(rows))
                + " on conflict (ns, queue, state) do update set n = n + excluded.n"
            )
        cur.execute(sql, [v for row in rows for v in (self.ns, *row)])

    def _update_sql(self, columns: tuple[str, ...]) -> str:
        """`update ygmon_job set <columns>, sort_at = coalesce(?, enqueued_at)`, cached:
        building it per job showed up in profiles, and it runs inside the write lock."""
        sql = self._sql.get(columns)
        if sql is None:
            sets = "".join(f"{c} = ?, " for c in columns)
            sql = self._sql[columns] = (
                f"update ygmon_job set {sets}sort_at = coalesce(?, enqueued_at) "
                "where ns = ? and id = ?"
            )
        return sql

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
                self.move_many_in(cur, moves)
        except sqlite3.Error as exc:
            raise UnavailableError(f"cannot write the job registry at {self.path}: {exc}") from None

    def move_many_in(self, cur: sqlite3.Cursor, moves: list[dict[str, Any]]) -> None:
        """`move_many` inside the caller's write transaction `cur`: the counters, the
        last-finished times and the trims are written once for the whole batch. A
        move's `huey_delete=(Huey queue name, key)` deletes that entry of Huey's too."""
        deltas: Deltas = {}
        finished: list[tuple[str, str, str | None, float]] = []
        trims: dict[tuple[str, str], Retention] = {}
        running = self._stop_running(
            cur, [m["job_id"] for m in moves if _finishes_running(m["to_state"], m)]
        )
        for move in moves:
            to_state, sort_at = move["to_state"], move.get("sort_at")
            finishing = _finishes_running(to_state, move)
            taken = running.pop(move["job_id"], None) if finishing else None
            if taken is not None:
                queue, *values = taken
                changes = {**dict(zip(_ACTIVE_FIELDS, values, strict=True)), **move["fields"]}
                self._update_row(cur, move["job_id"], changes, to_state, sort_at)
                _add(deltas, queue, "active", -1)
                _add(deltas, queue, to_state, 1)
                done: tuple[str, str | None] | None = (queue, None)
            else:
                done = self._move(
                    cur,
                    deltas,
                    move["job_id"],
                    to_state,
                    move["fields"],
                    move.get("allowed_from"),
                    move.get("create"),
                    sort_at,
                )
            if done is None:
                continue
            queue, task = done
            if to_state == "completed":
                now = time.time() if sort_at is None else sort_at
                finished.append((move["job_id"], queue, task, now))
            if move.get("retention") is not None:
                trims[(queue, to_state)] = move["retention"]
        self._bump_all(cur, deltas)
        if finished:
            tasks = self._tasks(cur, [job_id for job_id, _, task, _ in finished if task is None])
            last: dict[str, float] = {}
            for job_id, queue, task, now in finished:
                last[queue] = last[f"{queue}|{task or tasks[job_id]}"] = now
            self._set_last(cur, last)
        for (queue, state), retention in trims.items():
            self._trim(cur, queue, state, retention)
        # Huey's revocation entries of jobs that ran (see ygmon.jobs.revocations);
        # Huey's `kv` table lives in this file.
        huey_deletes = [m["huey_delete"] for m in moves if m.get("huey_delete")]
        if huey_deletes:
            cur.executemany("delete from kv where queue = ? and key = ?", huey_deletes)

    def enqueue_writer(self, move: dict[str, Any]) -> Callable[[sqlite3.Cursor], None]:
        """`move_in(cur, **move)` for an enqueue, its statements built now: the caller
        runs it inside Huey's enqueue transaction, which holds the queue's lock."""
        create, to_state = move.get("create"), move["to_state"]
        if create is None or move.get("sort_at") is not None or to_state == "active":
            return lambda cur: self.move_in(cur, **move)
        record = {**create, **move["fields"], "id": move["job_id"], "state": to_state}
        cols = tuple(c for c in FIELDS if c in record)
        insert = (
            self._insert_sql(cols),
            (self.ns, *(record[c] for c in cols), record["enqueued_at"]),
        )
        bump = (self.ns, record["queue"], to_state, 1)

        def write(cur: sqlite3.Cursor) -> None:
            cur.execute(*insert)
            if cur.rowcount != 1:
                self.move_in(cur, **move)  # the id exists: an ordinary move
                return
            cur.execute(_BUMP, bump)
            if move.get("retention") is not None:
                self._trim(cur, record["queue"], to_state, move["retention"])

        return write

    def _insert_sql(self, cols: tuple[str, ...]) -> str:
        sql = self._sql.get(cols)
        if sql is None:
            sql = self._sql[cols] = (
                f"insert into ygmon_job (ns, {', '.join(cols)}, sort_at) values "
                f"(?, {'?, ' * len(cols)}?) on conflict (ns, id) do nothing"
            )
        return sql

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
        deltas: Deltas = {}
        done = self._move(cur, deltas, job_id, to_state, fields, allowed_from, create, sort_at)
        self._bump_all(cur, deltas)
        if done is None:
            return False
        queue, task = done
        if to_state == "completed":
            now = time.time() if sort_at is None else sort_at
            task = task or self._tasks(cur, [job_id])[job_id]
            self._set_last(cur, {queue: now, f"{queue}|{task}": now})
        if retention is not None:
            self._trim(cur, queue, to_state, retention)
        return True

    def _stop_running(self, cur: sqlite3.Cursor, ids: list[str]) -> dict[str, tuple]:
        """Remove the `ygmon_active` rows of those of `ids` that run, in one read and one
        delete per 500; returns each one's (queue, worker_id, started_at, attempts_made)."""
        found: dict[str, tuple] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ", ".join("?" * len(chunk))
            rows = cur.execute(
                "select id, queue, worker_id, started_at, attempts_made from ygmon_active "
                f"where ns = ? and id in ({marks})",
                (self.ns, *chunk),
            ).fetchall()
            if rows:
                cur.execute(
                    f"delete from ygmon_active where ns = ? and id in ({marks})", (self.ns, *chunk)
                )
                found.update((r[0], r[1:]) for r in rows)
        return found

    def active_in(self, cur: sqlite3.Cursor, queue: str) -> int:
        """Jobs of `queue` active now, read inside the caller's transaction `cur`."""
        row = cur.execute(
            "select n from ygmon_count where ns = ? and queue = ? and state = 'active'",
            (self.ns, queue),
        ).fetchone()
        return row[0] if row else 0

    def activate_in(
        self, cur: sqlite3.Cursor, job_id: str, queue: str, fields: Mapping[str, str | None]
    ) -> bool:
        """The dequeue's move to `active` inside its transaction `cur`: for a job waiting
        in `queue` (the common case) a single statement besides the counters, else an
        ordinary move from waiting or delayed."""
        if fields.keys() <= set(_ACTIVE_FIELDS):
            cur.execute(
                "insert into ygmon_active (ns, id, queue, worker_id, started_at, attempts_made) "
                "select ns, id, queue, ?, ?, ? from ygmon_job "
                "where ns = ? and id = ? and queue = ? and state = 'waiting' "
                "on conflict (ns, id) do nothing",
                (*(fields.get(c) for c in _ACTIVE_FIELDS), self.ns, job_id, queue),
            )
            if cur.rowcount == 1:
                self._bump_all(cur, {(queue, "waiting"): -1, (queue, "active"): 1})
                return True
        return self.move_in(cur, job_id, "active", fields, frozenset({"waiting", "delayed"}))

    def _tasks(self, cur: sqlite3.Cursor, ids: list[str]) -> dict[str, str]:
        """Task name of each of `ids`, in one read."""
        found = dict.fromkeys(ids, "")
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            found.update(
                cur.execute(
                    "select id, task from ygmon_job where ns = ? and id in "
                    f"({', '.join('?' * len(chunk))})",
                    (self.ns, *chunk),
                ).fetchall()
            )
        return found

    def _set_last(self, cur: sqlite3.Cursor, last: Mapping[str, float]) -> None:
        if last:
            cur.execute(
                "insert or replace into ygmon_last (ns, key, at) values "
                + ", ".join(["(?, ?, ?)"] * len(last)),
                [v for key, at in last.items() for v in (self.ns, key, at)],
            )

    def _move(
        self,
        cur: sqlite3.Cursor,
        deltas: Deltas,
        job_id: str,
        to_state: str,
        fields: Mapping[str, str | None],
        allowed_from: frozenset[str] | None = None,
        create: Mapping[str, str | None] | None = None,
        sort_at: float | None = None,
    ) -> tuple[str, str | None] | None:
        """One move; its counter changes go to `deltas`. (queue, task) when it happened
        (task None where the move had no need to read it)."""
        if create is not None and sort_at is None and to_state != "active":
            # The common enqueue: a new id. One insert, no lookup first.
            record = {**create, **fields, "id": job_id, "state": to_state}
            cols = tuple(c for c in FIELDS if c in record)
            cur.execute(
                self._insert_sql(cols),
                (self.ns, *(record[c] for c in cols), record["enqueued_at"]),
            )
            if cur.rowcount == 1:
                _add(deltas, record["queue"], to_state, 1)
                return record["queue"], record["task"]
        elif to_state == "active" and allowed_from is not None and "waiting" in allowed_from:
            # The common dequeue: waiting -> active is one row in the small table.
            # (No RETURNING on the hot paths: SQLite buffers it in a temporary table,
            # which costs more than a second statement.)
            row = cur.execute(
                "select queue from ygmon_job where ns = ? and id = ? and state = 'waiting'",
                (self.ns, job_id),
            ).fetchone()
            if row is not None:
                cur.execute(
                    "insert into ygmon_active (ns, id, queue, worker_id, started_at, "
                    "attempts_made) values (?, ?, ?, ?, ?, ?) on conflict (ns, id) do nothing",
                    (self.ns, job_id, row[0], *(fields.get(c) for c in _ACTIVE_FIELDS)),
                )
            if row is not None and cur.rowcount == 1:
                rest = {c: v for c, v in fields.items() if c not in _ACTIVE_FIELDS}
                if rest:
                    self._update_row(cur, job_id, rest, "waiting", None)
                _add(deltas, row[0], "waiting", -1)
                _add(deltas, row[0], "active", 1)
                return row[0], None
        elif to_state != "active" and allowed_from is not None and allowed_from <= _ACTIVE:
            # The common finish of a running job: its row takes back what taking it
            # recorded, plus the outcome, in one update.
            row = cur.execute(
                "select queue, worker_id, started_at, attempts_made from ygmon_active "
                "where ns = ? and id = ?",
                (self.ns, job_id),
            ).fetchone()
            if row is not None:
                queue, *taken = row
                cur.execute("delete from ygmon_active where ns = ? and id = ?", (self.ns, job_id))
                changes = {**dict(zip(_ACTIVE_FIELDS, taken, strict=True)), **fields}
                self._update_row(cur, job_id, changes, to_state, sort_at)
                _add(deltas, queue, "active", -1)
                _add(deltas, queue, to_state, 1)
                return queue, None
        return self._move_any(cur, deltas, job_id, to_state, fields, allowed_from, create, sort_at)

    def _update_row(
        self,
        cur: sqlite3.Cursor,
        job_id: str,
        fields: Mapping[str, str | None],
        state: str,
        sort_at: float | None,
    ) -> None:
        columns = (*fields, "state")
        cur.execute(self._update_sql(columns), (*fields.values(), state, sort_at, self.ns, job_id))

    def _move_any(
        self,
        cur: sqlite3.Cursor,
        deltas: Deltas,
        job_id: str,
        to_state: str,
        fields: Mapping[str, str | None],
        allowed_from: frozenset[str] | None,
        create: Mapping[str, str | None] | None,
        sort_at: float | None,
    ) -> tuple[str, str | None] | None:
        """Any move: look the job up, check, write."""
        row = cur.execute(
            "select j.state, j.queue, j.task, a.id is not null, a.worker_id, a.started_at, "
            "a.attempts_made from ygmon_job j left join ygmon_active a "
            "on a.ns = j.ns and a.id = j.id where j.ns = ? and j.id = ?",
            (self.ns, job_id),
        ).fetchone()
        if row is None:
            if create is None:
                return None
            record = {**create, **fields, "id": job_id, "state": to_state}
            queue, task = record["queue"], record["task"]
            taken = [record.pop(c, None) for c in _ACTIVE_FIELDS]
            if to_state == "active":
                record["state"] = "waiting"
                self._take(cur, job_id, queue, taken)
            else:
                record.update(zip(_ACTIVE_FIELDS, taken, strict=True))
            record["sort_at"] = sort_at if sort_at is not None else record["enqueued_at"]
            cols = [c for c in FIELDS if c in record]
            cur.execute(
                f"insert into ygmon_job (ns, {', '.join(cols)}) "
                f"values (?, {', '.join('?' * len(cols))})",
                (self.ns, *(record[c] for c in cols)),
            )
            _add(deltas, queue, to_state, 1)
            return queue, task
        state, queue, task, running, *taken = row
        if running:
            state = "active"
        if allowed_from is not None and state not in allowed_from:
            return None
        changes = dict(fields)
        if running:
            cur.execute("delete from ygmon_active where ns = ? and id = ?", (self.ns, job_id))
            changes = {**dict(zip(_ACTIVE_FIELDS, taken, strict=True)), **changes}
        row_state = to_state
        if to_state == "active":
            self._take(cur, job_id, queue, [changes.pop(c, None) for c in _ACTIVE_FIELDS])
            row_state = "waiting"
        self._update_row(cur, job_id, changes, row_state, sort_at)
        _add(deltas, queue, state, -1)
        _add(deltas, queue, to_state, 1)
        return queue, task

    def _take(self, cur: sqlite3.Cursor, job_id: str, queue: str, taken: list) -> None:
        cur.execute(
            "insert or replace into ygmon_active (ns, id, queue, worker_id, started_at, "
            "attempts_made) values (?, ?, ?, ?, ?, ?)",
            (self.ns, job_id, queue, *taken),
        )

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
            "delete from ygmon_job where ns = ? and id in (select id from ygmon_job "
            "where ns = ? and queue = ? and state = ? order by sort_at limit ?)",
            (self.ns, self.ns, queue, state, drop),
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
            f"select {_MERGED} from ygmon_job j left join ygmon_active a "
            "on a.ns = j.ns and a.id = j.id where j.ns = ? and j.id = ?",
            (self.ns, job_id),
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
                    f"select {_in_state(s)} order by j.sort_at desc limit ?",
                    (self.ns, q, offset + limit),
                )
        sort_at = FIELDS.index("sort_at")
        rows.sort(key=lambda r: float(r[sort_at]), reverse=True)
        return [dict(zip(FIELDS, r, strict=True)) for r in rows[offset : offset + limit]], total

    def ids_in(self, queue: str | None, state: str, limit: int) -> list[str]:
        queues = [queue] if queue is not None else self._queues_with(state)
        rows: list[tuple] = []
        for q in queues:
            rows += self._read(
                f"select {_in_state(state, 'j.sort_at, j.id')} order by j.sort_at limit ?",
                (self.ns, q, limit),
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


def _finishes_running(to_state: str, move: Mapping[str, Any]) -> bool:
    """Whether `move` only applies to a running job (a completion, say)."""
    allowed = move.get("allowed_from")
    return to_state != "active" and allowed is not None and allowed <= _ACTIVE


def _add(deltas: Deltas, queue: str, state: str, n: int) -> None:
    deltas[(queue, state)] = deltas.get((queue, state), 0) + n


def _in_state(state: str, columns: str | None = None) -> str:
    """`columns` (default: every field), FROM and WHERE (parameters: namespace, queue)
    of the jobs of a queue in `state`: running jobs are the `ygmon_active` rows, and
    their `ygmon_job` rows, still in state `waiting`, are no waiting jobs."""
    if state == "active":
        return (
            f"{columns or _MERGED} from ygmon_active a "
            "join ygmon_job j on j.ns = a.ns and j.id = a.id where a.ns = ? and a.queue = ?"
        )
    if state not in _STATES:
        raise ValueError(f"unknown job state {state!r}")
    where = f"j.ns = ? and j.queue = ? and j.state = '{state}'"
    if state == "waiting":
        where += f" and {_NOT_ACTIVE}"
    return f"{columns or _PLAIN} from ygmon_job j where {where}"
