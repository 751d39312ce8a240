"""The enqueue's fast path in the SQLite registry: a new job's insert and counter bump,
its statements built before Huey's enqueue transaction opens, so the part that runs
inside it (holding the queue's lock, ygmon.jobs.huey.signals) does the least it can.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from operator import itemgetter
from typing import Any

from ygmon.jobs.registry.store.base import FIELDS
from ygmon.jobs.registry.store.sqlite.schema import _BUMP, Deltas


class SqliteEnqueue:
    """The enqueue writer of SqliteRegistryStore (a mixin: it uses the store's statement
    cache and, for anything but a plain new job, its moves)."""

    def enqueue_writer(self, move: dict[str, Any]) -> Callable[[sqlite3.Cursor, Deltas], None]:
        """`move_in(cur, **move)` for an enqueue, its statements built now: the caller
        runs it inside Huey's enqueue transaction, which holds the queue's lock, with
        the transaction's counter changes (`counts`), which it writes before it commits
        (ygmon.jobs.huey.sqlite_storage)."""
        create, to_state = move.get("create"), move["to_state"]
        if create is None or move.get("sort_at") is not None or to_state == "active":
            return lambda cur, counts: self.move_in(cur, **move)
        record = {**create, **move["fields"], "id": move["job_id"], "state": to_state}
        sql, values = self._insert_plan(tuple(record))
        insert = (sql, (self.ns, *values(record), record["enqueued_at"]))
        key = (record["queue"], to_state)
        retention = move.get("retention")

        def write(cur: sqlite3.Cursor, counts: Deltas) -> None:
            cur.execute(*insert)
            if cur.rowcount != 1:
                self.move_in(cur, **move)  # the id exists: an ordinary move
            elif retention is None:
                counts[key] = counts.get(key, 0) + 1
            else:
                # The trim reads the counter, which must count this job already.
                cur.execute(_BUMP, (self.ns, *key, 1))
                self._trim(cur, *key, retention)

        return write

    def _insert_plan(self, keys: tuple[str, ...]) -> tuple[str, Callable[[dict], tuple]]:
        """The insert of a new record holding `keys` (in the record's order), and what
        reads its values in the statement's order (then sort_at): the columns are
        worked out once per shape of record, not per job (it showed up in profiles)."""
        plan = self._sql.get(("insert", keys))
        if plan is None:
            cols = tuple(c for c in FIELDS if c in keys)
            # A record always holds id and state, so the getter returns a tuple.
            plan = self._sql["insert", keys] = (
                f"insert into ygmon_job (ns, {', '.join(cols)}, sort_at) values "
                f"(?, {'?, ' * len(cols)}?) on conflict (ns, id) do nothing",
                itemgetter(*cols),
            )
        return plan
