"""The enqueue's fast path in the SQLite registry: a new job's insert and counter bump,
its statements built before Huey's enqueue transaction opens, so the part that runs
inside it (holding the queue's lock, ygmon.jobs.huey.signals) does the least it can.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from ygmon.jobs.registry.store.base import FIELDS
from ygmon.jobs.registry.store.sqlite.schema import _BUMP


class SqliteEnqueue:
    """The enqueue writer of SqliteRegistryStore (a mixin: it uses the store's statement
    cache and, for anything but a plain new job, its moves)."""

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
