"""Wait and run times per queue and task, on SQLite and on Redis: a known mix of delays
and retries gives, bucket by bucket, the waits and run times its attempts had; the
percentiles read back are those of the recorded times; retention trims the buckets."""

from __future__ import annotations

import math
import time
from collections import Counter

from latency_helpers import actual_latency, assert_buckets_hold, expected_latency

from ygmon.job_history import HistoryWindow
from ygmon.jobs.registry.store.buckets import HOUR, MINUTE, HistoryBatch
from ygmon.jobs.runtime import JobRuntime
from ygmon.jobs.worker import in_process_worker

IDS = ["slow-1", "slow-2", "delayed", "retried", "quick-1", "quick-2", "quick-3"]


def test_a_mix_of_delays_and_retries_gives_the_waits_and_runs_that_happened(
    runtime: JobRuntime,
) -> None:
    attempts: Counter[str] = Counter()

    def work(name: str, seconds: float, fails: int = 0) -> None:
        attempts[name] += 1
        time.sleep(seconds)
        if attempts[name] <= fails:
            raise RuntimeError(f"{name} fails attempt {attempts[name]}")

    runtime.register_task("test-work", "maintenance", work, attempts=2, backoff_delay=0.5)
    # One thread: the quick jobs wait behind the slow ones.
    runtime.enqueue("test-work", job_id="slow-1", name="slow-1", seconds=0.4)
    runtime.enqueue("test-work", job_id="slow-2", name="slow-2", seconds=0.3)
    runtime.enqueue("test-work", job_id="delayed", delay=1.0, name="delayed", seconds=0.0)
    runtime.enqueue("test-work", job_id="retried", name="retried", seconds=0.1, fails=1)
    for i in (1, 2, 3):
        runtime.enqueue("test-work", job_id=f"quick-{i}", name=f"quick-{i}", seconds=0.0)
    with in_process_worker(runtime.profile, ["maintenance"], 1, runtime=runtime):
        runtime.wait_idle(30, ["maintenance"])

    for step in (MINUTE, HOUR):
        assert_buckets_hold(expected_latency(runtime, IDS, step), actual_latency(runtime, step))
    # 8 attempts: the retried job ran twice, and the quick ones waited behind the slow.
    by_hour = expected_latency(runtime, IDS, HOUR).items()
    waits = sorted(ms for (_, _, _, k), (s, _) in by_hour if k == "wait" for ms in s)
    assert len(waits) == 8 and waits[-1] >= 700

    latency = runtime.registry.latency(HistoryWindow.HOUR, "maintenance")
    queue_row = next(r for r in latency.rows if r.task is None)
    assert queue_row.wait.count == queue_row.run.count == 8
    for q in (0.5, 0.95, 0.99):
        fig = queue_row.wait.at(q)
        assert fig is not None and fig.exact
        assert abs(fig.ms - waits[math.ceil(q * 8) - 1]) <= 0.051
        assert fig.ms <= queue_row.wait.max_ms
    (flow,) = latency.flow
    assert sum(flow.throughput) == 8


def test_depth_is_sampled_and_retention_trims_every_bucket(runtime: JobRuntime) -> None:
    runtime.register_task("test-idle", "maintenance", lambda: None)
    for i in range(3):
        runtime.enqueue("test-idle", job_id=f"w-{i}")
    runtime.registry.record_depth()
    with in_process_worker(runtime.profile, ["maintenance"], 1, runtime=runtime):
        runtime.wait_idle(30, ["maintenance"])
    runtime.registry.record_depth()  # 0 waiting now: the minute keeps its largest, 3
    (flow,) = runtime.registry.latency(HistoryWindow.HOUR, "maintenance").flow
    assert max(d for d in flow.depth if d is not None) == 3
    assert sum(flow.throughput) == 3

    store, now = runtime.registry.store, runtime.registry.now()
    far = int(now) + 40 * 24 * HOUR

    def kept(step: int) -> tuple[int, int]:
        return len(store.latency_rows(step, 0, far)), len(store.depth_rows(step, 0, far))

    assert all(n > 0 for n in (*kept(MINUTE), *kept(HOUR)))
    store.trim_history(now + 25 * HOUR)  # minutes are kept 24 hours, hours 30 days
    assert kept(MINUTE) == (0, 0) and all(n > 0 for n in kept(HOUR))
    store.trim_history(now + 31 * 24 * HOUR)
    assert kept(HOUR) == (0, 0)


def test_an_older_sqlite_file_gains_the_latency_columns(tmp_path) -> None:
    import sqlite3

    from ygmon.jobs.registry.store.latency_buckets import LatencyBatch
    from ygmon.jobs.registry.store.sqlite.history import HISTORY_DDL
    from ygmon.jobs.registry.store.sqlite.store import SqliteRegistryStore

    path = str(tmp_path / "old.db")
    with sqlite3.connect(path) as conn:
        conn.execute(HISTORY_DDL)  # the history table as files before latency hold it
    store = SqliteRegistryStore(path, "t")
    batch = LatencyBatch()
    batch.close("email", "send", 100.0, 101.5, 102.0)
    with store._write() as cur:
        store._write_history(cur, HistoryBatch(), batch)
    rows = {(k, b.n, tuple(b.samples)) for _, _, _, k, b in store.latency_rows(MINUTE, 0, 200)}
    assert rows == {("wait", 1, (1500.0,)), ("run", 1, (500.0,))}
    assert store.history_rows(MINUTE, 0, 200) == []  # a retry's row holds no history
    store.close()
