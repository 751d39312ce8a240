"""Claims in the SQLite registry (a mixin of SqliteRegistryStore): one row per claimed
name until it expires; see ygmon.jobs.registry.store.redis.claims for what a claim is for.

An SQLite registry is one file on one host, so its clock is that host's: there is no
server clock to read (`server_time` is None and the offset stays 0).
"""

from __future__ import annotations

import time

CLAIM_DDL = """create table if not exists ygmon_claim (
        ns text not null, key text not null, until real not null,
        primary key (ns, key)) without rowid"""


class SqliteClaims:
    def claim(self, key: str, ttl: float) -> bool:
        now = time.time()
        with self._write() as cur:
            cur.execute("delete from ygmon_claim where ns = ? and until < ?", (self.ns, now))
            cur.execute(
                "insert or ignore into ygmon_claim (ns, key, until) values (?, ?, ?)",
                (self.ns, key, now + ttl),
            )
            return cur.rowcount == 1

    def server_time(self) -> float | None:
        return None
