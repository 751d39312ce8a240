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
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from ygmon.errors import UnavailableError
from ygmon.jobs.registry.store.base import FIELDS
from ygmon.jobs.registry.store.sqlite.claims import CLAIM_DDL, SqliteClaims
from ygmon.jobs.registry.store.sqlite.controls import CONTROLS_DDL, SqliteControls
from ygmon.jobs.registry.store.sqlite.counters import SqliteCounters
from ygmon.jobs.registry.store.sqlite.enqueue import SqliteEnqueue
from ygmon.jobs.registry.store.sqlite.history import HISTORY_DDL, SqliteHistory
from ygmon.jobs.registry.store.sqlite.latency import (
    DEPTH_DDL,
    SqliteLatency,
    add_latency_columns,
)
from ygmon.jobs.registry.store.sqlite.moves import SqliteMoves
from ygmon.jobs.registry.store.sqlite.schema import (
    _DDL,
    _MERGED,
    _STATES,
    _in_state,
    add_missing_columns,
)
from ygmon.jobs.registry.store.sqlite.workers import SqliteWorkers


class SqliteRegistryStore(
    SqliteMoves,
    SqliteEnqueue,
    SqliteCounters,
    SqliteWorkers,
    SqliteHistory,
    SqliteLatency,
    SqliteClaims,
    SqliteControls,
):
    def __init__(self, path: str, namespace: str) -> None:
        self.path = path
        self.ns = namespace
        self._lock = threading.RLock()
        self._sql: dict[tuple, Any] = {}
        """Statements (and their value getters) built once per shape of write."""
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
                for sql in (*_DDL, HISTORY_DDL, DEPTH_DDL, CLAIM_DDL, *CONTROLS_DDL):
                    cur.execute(sql)
                add_missing_columns(cur)
                add_latency_columns(cur)
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

    def _window_rows(
        self, columns: Iterable[str], holding: str, step: int, start: int, end: int
    ) -> list[tuple]:
        """(at, queue, task, *columns) of the ygmon_history rows of `step` starting in
        [start, end) for which the SQL `holding` is true, oldest first: a window of
        history or latency buckets, which share the table's rows."""
        return self._read(
            f"select at, queue, task, {', '.join(columns)} from ygmon_history "
            f"where ns = ? and step = ? and at >= ? and at < ? and {holding} order by at",
            (self.ns, step, start, end),
        )

    def ping(self) -> None:
        self._read("select 1")

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

    def attempts(self, job_id: str) -> list[str]:
        rows = self._read(
            "select attempts from ygmon_job where ns = ? and id = ?", (self.ns, job_id)
        )
        text = rows[0][0] if rows else None
        return text.splitlines() if text else []

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

    def close(self) -> None:
        with self._lock:
            self._conn.close()
