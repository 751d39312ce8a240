"""Worker heartbeats in the SQLite registry: one row per running worker process."""

from __future__ import annotations

import json
from collections.abc import Mapping


class SqliteWorkers:
    """Heartbeat rows of SqliteRegistryStore (a mixin)."""

    def beat(self, worker: Mapping[str, str]) -> None:
        with self._write() as cur:
            cur.execute(
                "insert or replace into ygmon_worker (ns, id, data) values (?, ?, ?)",
                (self.ns, worker["id"], json.dumps(dict(worker))),
            )

    def remove_worker(self, worker_id: str) -> None:
        with self._write() as cur:
            cur.execute("delete from ygmon_worker where ns = ? and id = ?", (self.ns, worker_id))

    def workers(self) -> list[dict[str, str]]:
        return [
            json.loads(r[0])
            for r in self._read("select data from ygmon_worker where ns = ?", (self.ns,))
        ]
