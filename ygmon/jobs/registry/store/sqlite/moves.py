"""Job moves of the SQLite registry: enqueue, dequeue, finish and any other change of
state, each inside one write transaction with its counter changes.

The hot paths (a new id, waiting -> active, active -> finished) have statements of
their own that dirty as few pages as possible; `_move_any` handles the rest.
A new job's statements, built before Huey's enqueue transaction, are in
ygmon.jobs.registry.store.sqlite.enqueue.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import Any, Unpack

from ygmon.errors import UnavailableError
from ygmon.jobs.registry.store.base import ATTEMPT, FIELDS, MoveOptions, Retention
from ygmon.jobs.registry.store.buckets import OUTCOMES
from ygmon.jobs.registry.store.latency_buckets import LatencyBatch
from ygmon.jobs.registry.store.sqlite.closing import Closed, closing
from ygmon.jobs.registry.store.sqlite.history import Finished
from ygmon.jobs.registry.store.sqlite.schema import _ACTIVE, _ACTIVE_FIELDS

Deltas = dict[tuple[str, str], int]
_ACTIVE_FIELD_SET = frozenset(_ACTIVE_FIELDS)

_APPEND_ATTEMPT = (
    "attempts = coalesce(attempts, '') || json_set(?, '$.start', ?, '$.worker', ?, '$.n', ?, "
    "'$.due', due_at) || char(10), "
)
"""The closed attempt (a JSON object, see closing.Closed) appended as one line, with
the running record's figures and the due time the row holds (the update reads the
row's values from before it)."""


class SqliteMoves:
    """The moves of SqliteRegistryStore (a mixin: it uses the store's connection)."""

    def _update_sql(self, columns: tuple[str, ...], closes: bool) -> str:
        """`update ygmon_job set <columns>, [attempts,] sort_at = coalesce(?, enqueued_at)`,
        cached: building it per job showed up in profiles, and it runs inside the write
        lock. `closes`: the update appends a closed attempt."""
        key = ("update", columns, closes)
        sql = self._sql.get(key)
        if sql is None:
            sets = "".join(f"{c} = ?, " for c in columns) + (_APPEND_ATTEMPT if closes else "")
            sql = self._sql[key] = (
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
        writer: Callable[[], AbstractContextManager[sqlite3.Cursor]] | None = None,
        **options: Unpack[MoveOptions],
    ) -> bool:
        """See RegistryStore.move. `writer` runs it on another connection's write
        transaction (a queue's Huey storage), so one process never contends with
        itself for SQLite's single write lock."""
        try:
            with (writer or self._write)() as cur:
                return self.move_in(cur, job_id, to_state, fields, **options)
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
        finished: list[Finished] = []
        trims: dict[tuple[str, str], Retention] = {}
        lat = LatencyBatch()
        finishing = [_finishes_running(m["to_state"], m) for m in moves]
        running = self._stop_running(
            cur, [m["job_id"] for m, f in zip(moves, finishing, strict=True) if f]
        )
        for move, finishes in zip(moves, finishing, strict=True):
            to_state, sort_at = move["to_state"], move.get("sort_at")
            taken = running.pop(move["job_id"], None) if finishes else None
            known: tuple[str, str | None] | None = None
            if taken is not None:
                queue, worker, started, made, task, due = taken
                changes, closed, end = closing((worker, started, made), move["fields"])
                lat.close(queue, task, due, started, end)
                self._update_row(cur, move["job_id"], changes, to_state, sort_at, closed)
                _add(deltas, queue, "active", -1)
                _add(deltas, queue, to_state, 1)
                done: tuple[str, str | None] | None = (queue, None)
                # What the history needs of the row, read with the running mark already.
                known = (task, changes["started_at"])
            else:
                done = self._move(
                    cur,
                    deltas,
                    move["job_id"],
                    to_state,
                    move["fields"],
                    move.get("create"),
                    move.get("allowed_from"),
                    sort_at,
                    lat,
                )
            if done is None:
                continue
            queue, _ = done
            if to_state in OUTCOMES:
                now = time.time() if sort_at is None else sort_at
                finished.append((move["job_id"], queue, to_state, now, known))
            if move.get("retention") is not None:
                trims[(queue, to_state)] = move["retention"]
        self._bump_all(cur, deltas)
        self._finish(cur, finished, lat)
        for (queue, state), retention in trims.items():
            self._trim(cur, queue, state, retention)
        # Huey's revocation entries of jobs that ran (see ygmon.jobs.huey.revocations);
        # Huey's `kv` table lives in this file.
        huey_deletes = [m["huey_delete"] for m in moves if m.get("huey_delete")]
        if huey_deletes:
            cur.executemany("delete from kv where queue = ? and key = ?", huey_deletes)

    def move_in(
        self,
        cur: sqlite3.Cursor,
        job_id: str,
        to_state: str,
        fields: Mapping[str, str | None],
        **options: Unpack[MoveOptions],
    ) -> bool:
        """`move` inside the caller's write transaction `cur`."""
        deltas: Deltas = {}
        lat = LatencyBatch()
        sort_at = options.get("sort_at")
        done = self._move(
            cur,
            deltas,
            job_id,
            to_state,
            fields,
            options.get("create"),
            options.get("allowed_from"),
            sort_at,
            lat,
        )
        self._bump_all(cur, deltas)
        finished = []
        if done is not None and to_state in OUTCOMES:
            at = time.time() if sort_at is None else sort_at
            finished.append((job_id, done[0], to_state, at, None))
        self._finish(cur, finished, lat)
        if done is None:
            return False
        queue, _ = done
        retention = options.get("retention")
        if retention is not None:
            self._trim(cur, queue, to_state, retention)
        return True

    def _stop_running(self, cur: sqlite3.Cursor, ids: list[str]) -> dict[str, tuple]:
        """Remove the `ygmon_active` rows of those of `ids` that run, in one read and one
        delete per 500; returns each one's (queue, worker_id, started_at, attempts_made,
        task, due_at)."""
        found: dict[str, tuple] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ", ".join("?" * len(chunk))
            rows = cur.execute(
                "select a.id, a.queue, a.worker_id, a.started_at, a.attempts_made, j.task, "
                "j.due_at from ygmon_active a join ygmon_job j on j.ns = a.ns and j.id = a.id "
                f"where a.ns = ? and a.id in ({marks})",
                (self.ns, *chunk),
            ).fetchall()
            if rows:
                cur.execute(
                    f"delete from ygmon_active where ns = ? and id in ({marks})", (self.ns, *chunk)
                )
                found.update((r[0], r[1:]) for r in rows)
        return found

    def activate_in(
        self,
        cur: sqlite3.Cursor,
        job_id: str,
        queue: str,
        fields: Mapping[str, str | None],
        counts: Deltas | None = None,
    ) -> bool:
        """The dequeue's move to `active` inside its transaction `cur`: for a job waiting
        in `queue` (the common case) a single statement, its counter changes added to
        `counts` when given (the caller writes them before it commits), else an
        ordinary move from waiting or delayed."""
        if fields.keys() <= _ACTIVE_FIELD_SET:
            cur.execute(
                "insert into ygmon_active (ns, id, queue, worker_id, started_at, attempts_made) "
                "select ns, id, queue, ?, ?, ? from ygmon_job "
                "where ns = ? and id = ? and queue = ? and state = 'waiting' "
                "on conflict (ns, id) do nothing",
                (*map(fields.get, _ACTIVE_FIELDS), self.ns, job_id, queue),
            )
            if cur.rowcount == 1:
                into = {} if counts is None else counts
                _add(into, queue, "waiting", -1)
                _add(into, queue, "active", 1)
                if counts is None:
                    self._bump_all(cur, into)
                return True
        return self.move_in(
            cur, job_id, "active", fields, allowed_from=frozenset({"waiting", "delayed"})
        )

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
        create: Mapping[str, str | None] | None,
        allowed_from: frozenset[str] | None,
        sort_at: float | None,
        lat: LatencyBatch,
    ) -> tuple[str, str | None] | None:
        """One move; its counter changes go to `deltas`, the attempt it closes to `lat`.
        (queue, task) when it happened (task None where the move had no need to read
        it). `create` and `allowed_from` come in the order of the fast paths they
        select: a new job, then a taken one."""
        if create is not None and sort_at is None and to_state != "active":
            # The common enqueue: a new id. One insert, no lookup first.
            record = {**create, **fields, "id": job_id, "state": to_state}
            sql, values = self._insert_plan(tuple(record))
            cur.execute(sql, (self.ns, *values(record), record["enqueued_at"]))
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
                    (self.ns, job_id, row[0], *map(fields.get, _ACTIVE_FIELDS)),
                )
            if row is not None and cur.rowcount == 1:
                rest = {c: v for c, v in fields.items() if c not in _ACTIVE_FIELDS and c != ATTEMPT}
                if rest:
                    self._update_row(cur, job_id, rest, "waiting", None)
                _add(deltas, row[0], "waiting", -1)
                _add(deltas, row[0], "active", 1)
                return row[0], None
        elif to_state != "active" and allowed_from is not None and allowed_from <= _ACTIVE:
            # The common finish of a running job: its row takes back what taking it
            # recorded, plus the outcome, in one update.
            row = cur.execute(
                "select a.queue, a.worker_id, a.started_at, a.attempts_made, j.task, j.due_at "
                "from ygmon_active a join ygmon_job j on j.ns = a.ns and j.id = a.id "
                "where a.ns = ? and a.id = ?",
                (self.ns, job_id),
            ).fetchone()
            if row is not None:
                queue, worker, started, made, task, due = row
                cur.execute("delete from ygmon_active where ns = ? and id = ?", (self.ns, job_id))
                changes, closed, end = closing((worker, started, made), fields)
                lat.close(queue, task, due, started, end)
                self._update_row(cur, job_id, changes, to_state, sort_at, closed)
                _add(deltas, queue, "active", -1)
                _add(deltas, queue, to_state, 1)
                return queue, None
        return self._move_any(
            cur, job_id, to_state, fields, allowed_from, create, sort_at, deltas, lat
        )

    def _update_row(
        self,
        cur: sqlite3.Cursor,
        job_id: str,
        fields: Mapping[str, str | None],
        state: str,
        sort_at: float | None,
        closed: Closed | None = None,
    ) -> None:
        """The row's `fields` and `state`, and the attempt it closes (if any) appended."""
        sql = self._update_sql((*fields, "state"), closed is not None)
        cur.execute(sql, (*fields.values(), state, *(closed or ()), sort_at, self.ns, job_id))

    def _move_any(
        self,
        cur: sqlite3.Cursor,
        job_id: str,
        to_state: str,
        fields: Mapping[str, str | None],
        allowed_from: frozenset[str] | None,
        create: Mapping[str, str | None] | None,
        sort_at: float | None,
        deltas: Deltas,
        lat: LatencyBatch,
    ) -> tuple[str, str | None] | None:
        """Any move: look the job up, check, write; its counter changes go to `deltas`."""
        row = cur.execute(
            "select j.state, j.queue, j.task, j.due_at, a.id is not null, a.worker_id, "
            "a.started_at, a.attempts_made from ygmon_job j left join ygmon_active a "
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
        state, queue, task, due, running, *taken = row
        if running:
            state = "active"
        if allowed_from is not None and state not in allowed_from:
            return None
        changes = {c: v for c, v in fields.items() if c != ATTEMPT}
        closed = None
        if running:
            cur.execute("delete from ygmon_active where ns = ? and id = ?", (self.ns, job_id))
            changes, closed, end = closing(taken, fields)
            lat.close(queue, task, due, taken[1], end)
        row_state = to_state
        if to_state == "active":
            self._take(cur, job_id, queue, [changes.pop(c, None) for c in _ACTIVE_FIELDS])
            row_state = "waiting"
        self._update_row(cur, job_id, changes, row_state, sort_at, closed)
        _add(deltas, queue, state, -1)
        _add(deltas, queue, to_state, 1)
        return queue, task

    def _take(self, cur: sqlite3.Cursor, job_id: str, queue: str, taken: list) -> None:
        cur.execute(
            "insert or replace into ygmon_active (ns, id, queue, worker_id, started_at, "
            "attempts_made) values (?, ?, ?, ?, ?, ?)",
            (self.ns, job_id, queue, *taken),
        )


def _finishes_running(to_state: str, move: Mapping[str, Any]) -> bool:
    """Whether `move` only applies to a running job (a completion, say)."""
    allowed = move.get("allowed_from")
    return to_state != "active" and allowed is not None and allowed <= _ACTIVE


def _add(deltas: Deltas, queue: str, state: str, n: int) -> None:
    deltas[(queue, state)] = deltas.get((queue, state), 0) + n
