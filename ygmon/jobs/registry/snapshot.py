"""Every queue's counts and the registered workers, in the contract's JSON shape, read
straight from the registry's storage with no Huey, redis-py, pydantic or asyncio.

`ygmon status --json` answers from here within its 50 ms budget (the counters are kept
per queue and state, so the answer costs two reads however many jobs wait), and
ygmon.jobs.registry.job_registry builds its models from the same rows, so both always agree.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from ygmon.broker_url import broker_kind, sqlite_path
from ygmon.errors import UnavailableError
from ygmon.queues import QUEUE_NAMES
from ygmon.timestamps import iso, to_utc_ms

PAUSED_KIND = "paused"
"""The ops record kind of a paused queue (ygmon.jobs.registry.queue_pauses), read here
with the stdlib for `ygmon status`."""

COUNTED_STATES = ("waiting", "active", "completed", "failed", "delayed")
"""The states QueueStats reports (cancelled jobs are kept but not counted there)."""

Counts = Mapping[tuple[str, str], int]


def queue_rows(counts: Counts) -> list[dict[str, Any]]:
    """One row per queue: docs/CONTRACT.md#queues in their order, then any other seen."""
    names = list(QUEUE_NAMES) + sorted({q for q, _ in counts} - set(QUEUE_NAMES))
    return [queue_row(name, counts) for name in names]


def queue_row(name: str, counts: Counts) -> dict[str, Any]:
    """One queue's QueueStats fields."""
    return {"name": name, **{s: counts.get((name, s), 0) for s in COUNTED_STATES}}


def worker_rows(workers: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Heartbeat records as WorkerInfo fields (snake_case), newest worker first."""
    return [
        {
            "id": w["id"],
            "host": w["host"],
            "pid": int(w["pid"]),
            "queues": list(w["queues"]),
            "concurrency": int(w["concurrency"]),
            "started_at": to_utc_ms(datetime.fromtimestamp(float(w["started_at"]), UTC)),
            "last_heartbeat": to_utc_ms(datetime.fromtimestamp(float(w["last_heartbeat"]), UTC)),
        }
        for w in sorted(workers, key=lambda w: float(w["started_at"]), reverse=True)
    ]


def worker_json(row: Mapping[str, Any]) -> dict[str, Any]:
    """A worker_rows row as WorkerInfo.to_json() gives it."""
    return {
        **{key: row[key] for key in ("id", "host", "pid", "queues", "concurrency")},
        "startedAt": iso(row["started_at"]),
        "lastHeartbeat": iso(row["last_heartbeat"]),
    }


Raw = tuple[dict[tuple[str, str], int], list[dict], dict[str, float]]


def read_raw(broker_url: str, namespace: str) -> Raw:
    """(counts per queue and state, worker heartbeat records, when each paused queue was
    paused) as the store keeps them (the pauses: ygmon.jobs.registry.queue_pauses)."""
    if broker_kind(broker_url) == "sqlite":
        return _read_sqlite(sqlite_path(broker_url, create_parent=False), namespace)
    return _read_redis(broker_url, namespace)


def _read_sqlite(path: str, ns: str) -> Raw:
    if not os.path.exists(path):
        return {}, [], {}  # no worker or enqueue has created the registry yet
    try:
        conn = sqlite3.connect(path, timeout=30)
        try:
            counts = conn.execute(
                "select queue, state, n from ygmon_count where ns = ?", (ns,)
            ).fetchall()
            workers = conn.execute("select data from ygmon_worker where ns = ?", (ns,)).fetchall()
            paused = _sqlite_pauses(conn, ns)
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return {}, [], {}
        raise UnavailableError(f"cannot read the job registry at {path}: {exc}") from None
    except sqlite3.Error as exc:
        raise UnavailableError(f"cannot read the job registry at {path}: {exc}") from None
    return {(q, s): n for q, s, n in counts}, [json.loads(r[0]) for r in workers], paused


def _sqlite_pauses(conn: sqlite3.Connection, ns: str) -> dict[str, float]:
    try:
        rows = conn.execute(
            "select key, value from ygmon_ops where ns = ? and kind = ?", (ns, PAUSED_KIND)
        ).fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):  # made by the first pause (ops_records)
            return {}
        raise
    return _pauses(rows)


def _pauses(rows: Iterable[tuple[str, str]]) -> dict[str, float]:
    return {queue: float(json.loads(value)["at"]) for queue, value in rows}


def _read_redis(url: str, ns: str) -> Raw:
    prefix = f"{ns}:ygmon:"
    try:
        if url.startswith("redis://"):
            from ygmon.jobs.registry.store.redis.resp_reader import RespReader

            reader = RespReader(url)
            try:
                flat_counts = reader.call("HGETALL", prefix + "counts")
                values = reader.call("HVALS", prefix + "workers")
                flat_paused = reader.call("HGETALL", prefix + "ops:" + PAUSED_KIND)
            finally:
                reader.close()
            raw = dict(zip(flat_counts[::2], flat_counts[1::2], strict=True))
            paused_raw = dict(zip(flat_paused[::2], flat_paused[1::2], strict=True))
        else:
            import redis

            client = redis.Redis.from_url(url, decode_responses=True, socket_timeout=2)
            try:
                raw = client.hgetall(prefix + "counts")
                values = client.hvals(prefix + "workers")
                paused_raw = client.hgetall(prefix + "ops:" + PAUSED_KIND)
            finally:
                client.close()
    except Exception as exc:  # socket, RESP and redis-py errors all mean the same here
        raise UnavailableError(f"cannot reach the job registry in Redis: {exc}") from None
    counts = {}
    for key, n in raw.items():
        queue, _, state = key.partition("|")
        counts[(queue, state)] = int(n)
    return counts, [json.loads(v) for v in values], _pauses(paused_raw.items())


def snapshot(broker_url: str, namespace: str) -> dict[str, Any]:
    """`queues` and `workers` as `ygmon status --json` prints them; a paused queue
    carries `paused` and `pausedAt`, as in QueueStats.to_json()."""
    counts, workers, paused = read_raw(broker_url, namespace)
    queues = queue_rows(counts)
    for row in queues:
        if row["name"] in paused:
            at = to_utc_ms(datetime.fromtimestamp(paused[row["name"]], UTC))
            row.update(paused=True, pausedAt=iso(at))
    return {
        "queues": queues,
        "workers": [worker_json(row) for row in worker_rows(workers)],
    }
