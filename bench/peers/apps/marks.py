"""What the peers' bench jobs leave in Redis, the same for every peer, so one harness
reads them all. Runs inside each peer's own virtual environment: it imports redis only.

The no-op job counts in batches of 100 under a lock (one INCRBY per 100 jobs), so
knowing when 10,000 jobs have drained costs the peers about 1% of a Redis round trip per
job; ygmon's side is read from its registry, which it writes anyway.
"""

from __future__ import annotations

import os
import threading
import time

import redis

R = redis.Redis.from_url(os.environ["BENCH_REDIS_URL"])
BATCH = 100
_lock = threading.Lock()
_count = [0]


def noop() -> None:
    with _lock:
        _count[0] += 1
        flush = _count[0] % BATCH == 0
    if flush:
        R.incrby("bench:done", BATCH)


def stamp(enqueued_at: float) -> None:
    """Enqueue -> start delay, pushed the moment the job starts."""
    R.rpush("bench:lat", repr(time.time() - enqueued_at))


def sleeper(i: int, seconds: float) -> None:
    """Counts its starts and its ends, so a job run twice or never shows."""
    R.hincrby("bench:started", str(i), 1)
    time.sleep(seconds)
    R.hincrby("bench:finished", str(i), 1)
