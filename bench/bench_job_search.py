"""Job search over 1,000,000 registry jobs, and failures grouped by cause over 100,000
failed jobs, on the SQLite and the Redis registry (issue 14).

The jobs are written straight into the registry's tables / keys (rows as the moves
leave them, 10% failed with one of a few dozen error shapes carrying ids and
numbers), then indexed by one `JobSearch.catch_up` pass, as a worker's heartbeat
loop would (its time is given, not judged). Measured, median of each:

(a) a search by an argument value, by an error word and by an id suffix (page of 50
    and the total), target under 100 ms; baseline: the registry's plain newest-50
    page of every queue (`store.page`), what the Queues screen reads;
(b) the failure groups of every queue, target under 500 ms; same baseline.

    .venv/bin/python -m bench job_search
    YGMON_BENCH_SEARCH_JOBS=100000 YGMON_BENCH_KINDS=sqlite .venv/bin/python -m bench job_search

Redis: YGMON_BENCH_REDIS_URL (default the local one); keys under a fresh namespace,
deleted afterwards.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.figure import Figure
from ygmon.jobs.registry.search import JobSearch
from ygmon.jobs.registry.store.base import FIELDS
from ygmon.monitor.job_ops import build_groups
from ygmon.queues import QUEUE_NAMES

JOBS = int(os.environ.get("YGMON_BENCH_SEARCH_JOBS", "1000000"))
QUERIES = int(os.environ.get("YGMON_BENCH_SEARCH_QUERIES", "30"))
KINDS = tuple(os.environ.get("YGMON_BENCH_KINDS", "sqlite,redis").split(","))
REDIS_URL = os.environ.get("YGMON_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
FAILED_SHARE = 10
"""One job in this many failed: 100,000 of a million."""
ERRORS = (
    "connection refused by replica-{k} after {n} ms",
    "asset {i} not found in bucket 'media-{k}'",
    "timeout after {n}s reading /var/lib/ygmon/media/{i}.mp4",
    "invalid transcoder preset '{k}' for user {i}",
    "SMTP 451 temporary failure for message <{i}@mail.example>",
)
EXC_TYPES = ("ConnectionError", "LookupError", "TimeoutError", "ValueError", "RuntimeError")
TASKS = ("send-email", "generate-preview", "index-asset", "aggregate-metrics", "deliver")
START = 1_750_000_000.0


def _job(i: int, rng: random.Random) -> dict[str, str | None]:
    at = START + i * 0.5
    # As ygmon.job_ids.new_job_id makes them: a UUIDv7's 32 hex digits, time first.
    job_id = f"{int(at * 1000):012x}7{rng.getrandbits(76):019x}"
    failed = i % FAILED_SHARE == 0
    e = rng.randrange(len(ERRORS))
    record: dict[str, str | None] = dict.fromkeys(FIELDS)
    record.update(
        id=job_id,
        queue=QUEUE_NAMES[i % len(QUEUE_NAMES)],
        task=TASKS[i % len(TASKS)],
        state="failed" if failed else ("completed" if i % 3 else "waiting"),
        args="[]",
        kwargs=json.dumps({"asset_id": i, "user": f"user-{rng.randrange(50_000)}"}),
        attempts_made="1",
        attempts_allowed="3",
        enqueued_at=repr(at - 1),
        finished_at=repr(at) if i % 3 or failed else None,
        sort_at=repr(at),
    )
    if failed:
        k, n = rng.randrange(1000), rng.randrange(10_000)
        record["error_message"] = ERRORS[e].format(i=i, k=k, n=n)
        record["error_stack"] = f'Traceback:\n  File "x.py", line 1\n{EXC_TYPES[e]}: ...\n'
    return record


def _jobs() -> Iterator[dict[str, str | None]]:
    rng = random.Random(14)
    for i in range(JOBS):
        yield _job(i, rng)


@contextmanager
def _sqlite_store(tmp: Path) -> Iterator[Any]:
    from ygmon.jobs.registry.store.sqlite.store import SqliteRegistryStore

    store = SqliteRegistryStore(str(tmp / "queue.db"), "bench")
    counts: dict[tuple[str, str], int] = {}
    batch: list[tuple] = []
    columns = ", ".join(("ns", *FIELDS))
    marks = ", ".join("?" * (len(FIELDS) + 1))

    def flush() -> None:
        with store._write() as cur:
            cur.executemany(f"insert into ygmon_job ({columns}) values ({marks})", batch)
        batch.clear()

    for record in _jobs():
        batch.append(("bench", *(record[f] for f in FIELDS)))
        key = (str(record["queue"]), str(record["state"]))
        counts[key] = counts.get(key, 0) + 1
        if len(batch) >= 20_000:
            flush()
    flush()
    with store._write() as cur:
        cur.executemany(
            "insert into ygmon_count (ns, queue, state, n) values ('bench', ?, ?, ?)",
            [(q, s, n) for (q, s), n in counts.items()],
        )
    try:
        yield store
    finally:
        store.close()


@contextmanager
def _redis_store() -> Iterator[Any]:
    from ygmon.jobs.registry.store.redis.store import RedisRegistryStore

    namespace = f"bench{uuid.uuid4().hex[:8]}"
    store = RedisRegistryStore(REDIS_URL, namespace)
    p = store.p
    try:
        pipe = store.r.pipeline(transaction=False)
        for n, record in enumerate(_jobs(), 1):
            fields = {k: v for k, v in record.items() if v}
            pipe.hset(p + "job:" + str(record["id"]), mapping=fields)  # type: ignore[arg-type]
            pipe.zadd(
                f"{p}idx:{record['queue']}:{record['state']}",
                {str(record["id"]): float(str(record["sort_at"]))},
            )
            pipe.hincrby(p + "counts", f"{record['queue']}|{record['state']}", 1)
            if n % 5000 == 0:
                pipe.execute()
        pipe.execute()
        yield store
    finally:
        for key in store.r.scan_iter(f"{namespace}:*", count=10_000):
            store.r.unlink(key)
        store.close()


def _median_ms(call: Callable[[], object], arguments: list[Any]) -> float:
    times = []
    for argument in arguments:
        started = time.perf_counter()
        call(argument)  # type: ignore[call-arg]
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _measure(kind: str, store: Any) -> list[Figure]:
    now = START + JOBS * 0.5 + 3600
    search = JobSearch(store, lambda: now)
    started = time.perf_counter()
    indexed = search.catch_up()
    build = time.perf_counter() - started
    rng = random.Random(7)
    ids = [r["id"] for r in store.page(None, None, 0, 2000)[0]]
    queries = {
        "an argument value": [f"user-{rng.randrange(50_000)}" for _ in range(QUERIES)],
        "an error word": [f"replica-{rng.randrange(1000)}" for _ in range(QUERIES)],
        "an id suffix": [rng.choice(ids)[-8:] for _ in range(QUERIES)],
    }
    found = search.search(queries["an id suffix"][0], (None, None, None, None), 0, 50)[1]
    baseline = _median_ms(lambda _: store.page(None, None, 0, 50), list(range(QUERIES)))
    label = f"{kind}, {JOBS:,} jobs"
    figures = [
        Figure(f"{label}: index build ({indexed:,} jobs, one pass)", build, "s"),
    ]
    for what, texts in queries.items():
        median = _median_ms(
            lambda text: search.search(text, (None, None, None, None), 0, 50), texts
        )
        figures.append(
            Figure(
                f"{label}: search by {what}, median of {len(texts)}",
                median,
                "ms",
                "newest-50 page",
                baseline,
                "< 100 ms",
                median < 100,
            )
        )
    assert found >= 1, "an id suffix found nothing"
    failures = 0

    def groups(_: object) -> None:
        nonlocal failures
        counts, names = search.group_counts(None)
        failures = sum(g.count for g in build_groups(counts, names))

    median = _median_ms(groups, list(range(5)))
    figures.append(
        Figure(
            f"{label}: failure groups over {failures:,} failed jobs, median of 5",
            median,
            "ms",
            "newest-50 page",
            baseline,
            "< 500 ms",
            median < 500,
        )
    )
    return figures


def run() -> list[Figure]:
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        for kind in KINDS:
            if kind == "sqlite":
                with _sqlite_store(Path(tmp_name)) as store:
                    figures.extend(_measure(kind, store))
            elif kind == "redis":
                with _redis_store() as store:
                    figures.extend(_measure(kind, store))
    return figures
