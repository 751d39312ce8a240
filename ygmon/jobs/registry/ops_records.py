"""Small keyed records of operator state in the registry's store, beside the jobs:
paused queues (ygmon.jobs.registry.queue_pauses) and schedule runs (ygmon.jobs.schedule_runs).

One SQLite table `ygmon_ops` (namespace, kind, key -> JSON text) in the broker file, or
one Redis hash `<namespace>:ygmon:ops:<kind>` per kind: every worker on every host
reads the same records, and they outlive any process. Nothing here is on a job's path;
a worker reads them at most once per poll (ygmon.jobs.huey.control_gate).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from ygmon.errors import UnavailableError

OPS_DDL = """create table if not exists ygmon_ops (
        ns text not null, kind text not null, key text not null, value text not null,
        primary key (ns, kind, key)) without rowid"""


def _sqlite(store: Any) -> bool:
    return hasattr(store, "_write")


def _table(store: Any) -> None:
    # Created by the first write, once per store object: the store's own schema stays
    # as it is, and a reader (the TUI, `ygmon status`) never writes to make it.
    if not getattr(store, "_ops_table", False):
        with store._write() as cur:
            cur.execute(OPS_DDL)
        store._ops_table = True


def _has_table(store: Any) -> bool:
    # Only a found table is remembered: another process may create it at any time.
    if not getattr(store, "_ops_table", False):
        store._ops_table = bool(store._read("select 1 from sqlite_master where name = 'ygmon_ops'"))
    return store._ops_table


def _redis_key(store: Any, kind: str) -> str:
    return f"{store.p}ops:{kind}"


def _guard(store: Any, work: Any) -> Any:
    try:
        return work()
    except sqlite3.Error as exc:
        raise UnavailableError(f"cannot reach the job registry: {exc}") from None
    except Exception as exc:
        if type(exc).__module__.startswith("redis"):
            raise store._fail(exc) from None
        raise


def read_all(store: Any, kind: str) -> dict[str, Any]:
    """Every record of `kind` as {key: decoded JSON}."""
    return read_kinds(store, (kind,))[kind]


def read_kinds(store: Any, kinds: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """Every record of each of `kinds`, in one read: {kind: {key: decoded JSON}}."""

    def work() -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {kind: {} for kind in kinds}
        if _sqlite(store):
            if not _has_table(store):
                return out
            rows = store._read(
                "select kind, key, value from ygmon_ops where ns = ? "
                f"and kind in ({', '.join('?' * len(kinds))})",
                (store.ns, *kinds),
            )
            for kind, key, value in rows:
                out[kind][key] = json.loads(value)
            return out
        pipe = store.r.pipeline(transaction=False)
        for kind in kinds:
            pipe.hgetall(_redis_key(store, kind))
        for kind, records in zip(kinds, pipe.execute(), strict=True):
            out[kind] = {key: json.loads(value) for key, value in records.items()}
        return out

    return _guard(store, work)


def get(store: Any, kind: str, key: str) -> Any:
    """The decoded record `key` of `kind`, or None."""

    def work() -> Any:
        if _sqlite(store):
            if not _has_table(store):
                return None
            rows = store._read(
                "select value from ygmon_ops where ns = ? and kind = ? and key = ?",
                (store.ns, kind, key),
            )
            text = rows[0][0] if rows else None
        else:
            text = store.r.hget(_redis_key(store, kind), key)
        return None if text is None else json.loads(text)

    return _guard(store, work)


def put(store: Any, kind: str, key: str, value: Any, *, only_new: bool = False) -> bool:
    """Write one record; with `only_new`, only when `key` holds none. Returns whether
    it was written."""
    text = json.dumps(value)

    def work() -> bool:
        if _sqlite(store):
            _table(store)
            verb = "insert or ignore" if only_new else "insert or replace"
            with store._write() as cur:
                cur.execute(
                    f"{verb} into ygmon_ops (ns, kind, key, value) values (?, ?, ?, ?)",
                    (store.ns, kind, key, text),
                )
                return cur.rowcount == 1
        if only_new:
            return bool(store.r.hsetnx(_redis_key(store, kind), key, text))
        store.r.hset(_redis_key(store, kind), key, text)
        return True

    return _guard(store, work)


def delete(store: Any, kind: str, key: str) -> bool:
    """Drop one record; returns whether there was one."""

    def work() -> bool:
        if _sqlite(store):
            _table(store)
            with store._write() as cur:
                cur.execute(
                    "delete from ygmon_ops where ns = ? and kind = ? and key = ?",
                    (store.ns, kind, key),
                )
                return cur.rowcount == 1
        return bool(store.r.hdel(_redis_key(store, kind), key))

    return _guard(store, work)
