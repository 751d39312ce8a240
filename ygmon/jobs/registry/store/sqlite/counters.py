"""Counters of the SQLite registry: jobs per queue and state, last completion times,
and the retention trims that keep both exact.
"""

from __future__ import annotations

import sqlite3

from ygmon.jobs.registry.store.base import Retention
from ygmon.jobs.registry.store.sqlite.schema import _BUMP

Deltas = dict[tuple[str, str], int]


class SqliteCounters:
    """Counter reads and writes of SqliteRegistryStore (a mixin)."""

    def _bump(self, cur: sqlite3.Cursor, queue: str, state: str, delta: int) -> None:
        cur.execute(_BUMP, (self.ns, queue, state, delta))

    def bump_all_in(self, cur: sqlite3.Cursor, deltas: Deltas) -> None:
        """Counter changes gathered over the caller's write transaction `cur` (its
        enqueues and takes, ygmon.jobs.huey.sqlite_storage), in one statement."""
        self._bump_all(cur, deltas)

    def _bump_all(self, cur: sqlite3.Cursor, deltas: Deltas) -> None:
        """All of a step's counter changes in one statement (a dequeue has two)."""
        rows = [(q, s, n) for (q, s), n in deltas.items() if n]
        if len(rows) <= 1:
            # Most often one: an enqueue and a take in one transaction leave `waiting` as
            # it was.
            if rows:
                cur.execute(_BUMP, (self.ns, *rows[0]))
            return
        sql = self._sql.get(("bump", len(rows)))
        if sql is None:
            sql = self._sql[("bump", len(rows))] = (
                "insert into ygmon_count (ns, queue, state, n) values "
                + ", ".join(["(?, ?, ?, ?)"] * len(rows))
                + " on conflict (ns, queue, state) do update set n = n + excluded.n"
            )
        cur.execute(sql, [v for row in rows for v in (self.ns, *row)])

    def active_in(self, cur: sqlite3.Cursor, queue: str) -> int:
        """Jobs of `queue` active now, read inside the caller's transaction `cur`."""
        row = cur.execute(
            "select n from ygmon_count where ns = ? and queue = ? and state = 'active'",
            (self.ns, queue),
        ).fetchone()
        return row[0] if row else 0

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

    def counts(self) -> dict[tuple[str, str], int]:
        rows = self._read("select queue, state, n from ygmon_count where ns = ?", (self.ns,))
        return {(q, s): n for q, s, n in rows}

    def _queues_with(self, state: str) -> list[str]:
        return [q for (q, s), n in self.counts().items() if s == state and n > 0]

    def last_finished(self, key: str) -> float | None:
        rows = self._read("select at from ygmon_last where ns = ? and key = ?", (self.ns, key))
        return rows[0][0] if rows else None
