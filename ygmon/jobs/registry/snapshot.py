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
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple

from ygmon.broker_url import broker_kind, sqlite_path
from ygmon.errors import UnavailableError
from ygmon.liveness import health_document, liveness
from ygmon.queues import QUEUE_NAMES, WORKER_GROUPS
from ygmon.timestamps import iso, to_utc_ms

PAUSED_KIND = "paused"
"""The ops record kind of a paused queue (ygmon.jobs.registry.queue_pauses), read here
with the stdlib for `ygmon status`."""

PAUSES_SQL = f"select key, value from ygmon_ops where ns = ? and kind = '{PAUSED_KIND}'"

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


class Raw(NamedTuple):
    """What the store holds, read in one go."""

    counts: dict[tuple[str, str], int]
    workers: list[dict]
    pauses: dict[str, dict]
    """{queue: {"at": epoch seconds, "by": who}} (ygmon.jobs.registry.queue_pauses)."""
    now: float
    """The store's time (ygmon.jobs.registry.clock): heartbeats are judged by it."""


def read_raw(broker_url: str, namespace: str) -> Raw:
    """Counts per queue and state, heartbeat records, pauses and the store's time."""
    if broker_kind(broker_url) == "sqlite":
        return _read_sqlite(sqlite_path(broker_url, create_parent=False), namespace)
    return _read_redis(broker_url, namespace)


def _read_sqlite(path: str, ns: str) -> Raw:
    now = time.time()  # an SQLite registry's clock is its host's
    if not os.path.exists(path):
        return Raw({}, [], {}, now)  # no worker or enqueue has created the registry yet
    try:
        conn = sqlite3.connect(path, timeout=30)
        try:
            counts = _rows(conn, "select queue, state, n from ygmon_count where ns = ?", ns)
            workers = _rows(conn, "select data from ygmon_worker where ns = ?", ns)
            pauses = _rows(conn, PAUSES_SQL, ns)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise UnavailableError(f"cannot read the job registry at {path}: {exc}") from None
    return Raw(
        {(q, s): n for q, s, n in counts},
        [json.loads(r[0]) for r in workers],
        {q: json.loads(v) for q, v in pauses},
        now,
    )


def _rows(conn: sqlite3.Connection, sql: str, ns: str) -> list[tuple]:
    try:
        return conn.execute(sql, (ns,)).fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):  # created by the first write that needs it
            return []
        raise


def _read_redis(url: str, ns: str) -> Raw:
    prefix = f"{ns}:ygmon:"
    try:
        if url.startswith("redis://"):
            from ygmon.jobs.registry.store.redis.resp_reader import RespReader

            reader = RespReader(url)
            try:
                flat_counts = reader.call("HGETALL", prefix + "counts")
                values = reader.call("HVALS", prefix + "workers")
                flat_pauses = reader.call("HGETALL", prefix + "ops:" + PAUSED_KIND)
                seconds, micros = reader.call("TIME")
            finally:
                reader.close()
            raw = dict(zip(flat_counts[::2], flat_counts[1::2], strict=True))
            paused = dict(zip(flat_pauses[::2], flat_pauses[1::2], strict=True))
        else:
            import redis

            client = redis.Redis.from_url(url, decode_responses=True, socket_timeout=2)
            try:
                raw = client.hgetall(prefix + "counts")
                values = client.hvals(prefix + "workers")
                paused = client.hgetall(prefix + "ops:" + PAUSED_KIND)
                seconds, micros = client.time()
            finally:
                client.close()
    except Exception as exc:  # socket, RESP and redis-py errors all mean the same here
        raise UnavailableError(f"cannot reach the job registry in Redis: {exc}") from None
    counts = {}
    for key, n in raw.items():
        queue, _, state = key.partition("|")
        counts[(queue, state)] = int(n)
    return Raw(
        counts,
        [json.loads(v) for v in values],
        {q: json.loads(v) for q, v in paused.items()},
        int(seconds) + int(micros) / 1e6,
    )


def snapshot(
    broker_url: str,
    namespace: str,
    *,
    gone_after: float,
    stalled_after: float,
    errors: Mapping[str, str] | None = None,
    scheduled_jobs: int | None = None,
    scheduled_jobs_error: str | None = None,
    now: float | None = None,
) -> dict[str, Any]:
    """`health`, `queues` and `workers` as `ygmon status --json` prints them; each worker
    with its liveness and beat age (ygmon.liveness), and health by the same rule as
    GET /api/admin/jobs/health. `now`: the time to judge the beats at instead of the
    store's (a frozen clock, as the app's UiConfig gives its screens)."""
    raw = read_raw(broker_url, namespace)
    if now is not None:
        raw = raw._replace(now=now)
    workers = []
    for row in worker_rows(raw.workers):
        beat_age = max(0.0, raw.now - row["last_heartbeat"].timestamp())
        state = liveness(beat_age, gone_after, stalled_after)
        workers.append({**worker_json(row), "liveness": state, "beatAge": round(beat_age, 1)})
    health = health_document(
        WORKER_GROUPS,
        [(w["queues"], w["liveness"]) for w in workers],
        {q: (p.get("at"), p.get("by")) for q, p in raw.pauses.items()},
        errors or {},
        scheduled_jobs,
        scheduled_jobs_error,
    )
    queues = queue_rows(raw.counts)
    for row in queues:
        if (pause := raw.pauses.get(row["name"])) is not None:
            # As QueueStats.to_json() has it: the API's and the remote status's shape.
            at = to_utc_ms(datetime.fromtimestamp(float(pause["at"]), UTC))
            row.update(paused=True, pausedAt=iso(at))
    return {"health": health, "queues": queues, "workers": workers}
