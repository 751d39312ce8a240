"""Job history in the registry, on SQLite and on Redis: after a known mix of jobs run by
real workers (failures, a retry, a SIGKILLed worker's re-run) the buckets equal what
the job records say happened, bucket by bucket; the retention sweep drops expired ones.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ygmon.config import LocalProfile
from ygmon.jobs.history import HOUR, MINUTE, RUNTIME_BOUNDS_MS
from ygmon.jobs.runtime import JobRuntime, open_runtime
from ygmon.jobs.worker import in_process_worker
from ygmon.monitor.history import HistoryWindow, percentile
from ygmon.monitor.schemas import JobState

Spawn = Callable[..., subprocess.Popen[str]]


def nap(seconds: float, fail: bool = False) -> float:
    time.sleep(seconds)
    if fail:
        raise ValueError("nap asked to fail")
    return seconds


def fails_first_time(marker: str) -> str:
    path = Path(marker)
    if not path.exists():
        path.touch()
        raise OSError("first attempt fails")
    return "second attempt"


def _expected(runtime: JobRuntime, ids: list[str], step: int) -> dict:
    """Bucket figures computed from the job records alone (raw store fields, full
    precision): {(bucket start, queue, task): (completed, failed, histogram Counter)}."""
    out: dict = {}
    for job_id in ids:
        r = runtime.registry.store.get(job_id)
        assert r is not None and r["state"] in ("completed", "failed"), (job_id, r)
        finished = float(r["finished_at"])
        key = (int(finished // step) * step, r["queue"], r["task"])
        hist = out.setdefault(key, [0, 0, Counter()])[2]
        if r["state"] == "completed":
            out[key][0] += 1
        else:
            out[key][1] += 1
        ms = (finished - float(r["started_at"])) * 1000
        # The bucket index the other way round from the store: bounds it is past.
        hist[sum(ms > b for b in RUNTIME_BOUNDS_MS)] += 1
    return {key: tuple(value) for key, value in out.items()}


def _actual(runtime: JobRuntime, step: int) -> dict:
    now = runtime.registry.now()
    rows = runtime.registry.store.history_rows(
        step, int(now // step) * step - 2 * step, int(now) + step
    )
    return {
        (at, q, t): (b.completed, b.failed, Counter({i: n for i, n in enumerate(b.histogram) if n}))
        for at, q, t, b in rows
    }


def test_buckets_equal_what_happened(runtime: JobRuntime, tmp_path: Path) -> None:
    runtime.register_task("nap", "email", nap, attempts=1)
    runtime.register_task("nap-search", "search-index-update", nap, attempts=1)
    runtime.register_task("twice", "maintenance", fails_first_time, attempts=2, backoff_delay=0)
    ids = []
    naps = (0.0, 0.02, 0.06, 0.15, 0.3)
    for n in range(20):
        task = "nap" if n % 2 else "nap-search"
        ids.append(runtime.enqueue(task, seconds=naps[n % 5], fail=n % 7 == 0))
    ids.append(runtime.enqueue("twice", marker=str(tmp_path / "once")))
    with in_process_worker(
        runtime.profile, ["email", "search-index-update", "maintenance"], 2, runtime=runtime
    ):
        runtime.wait_idle(30)
    assert runtime.registry.get_job(ids[-1]).attempts_made == 2  # the retry ran
    for step in (MINUTE, HOUR):
        assert _actual(runtime, step) == _expected(runtime, ids, step)

    history = runtime.registry.history(HistoryWindow.HOUR)
    assert history.step_seconds == 60 and all(len(s.completed) == 60 for s in history.series)
    by_task = {s.task: s for s in history.series}
    assert by_task["twice"].runs == 1 and by_task["twice"].failures == 0  # one job, once
    failed = [n for n in range(20) if n % 7 == 0]
    assert sum(by_task["nap"].failed) + sum(by_task["nap-search"].failed) == len(failed)
    assert sum(s.runs for s in history.series) == 21
    # The run times cover the naps; the 300 ms ones sit in the (250, 500] bucket.
    nap_ms = sum(1000 * naps[n % 5] for n in range(20))
    total = by_task["nap"].total_ms + by_task["nap-search"].total_ms
    assert nap_ms <= total < nap_ms + 20 * 250
    assert by_task["nap"].max_ms >= 300
    p95 = percentile(by_task["nap"].histogram, history.bounds_ms, 0.95)
    assert p95 == 500.0
    only = runtime.registry.history(HistoryWindow.DAY, queue="email")
    assert [s.task for s in only.series] == ["nap"] and len(only.series[0].completed) == 24


def test_a_sigkilled_workers_job_counts_once(runtime: JobRuntime, spawn_worker: Spawn) -> None:
    slow = [runtime.enqueue("canary", job_id=f"slow-{i}", seconds=1.0) for i in range(2)]
    quick = [runtime.enqueue("canary", job_id=f"quick-{i}") for i in range(3)]
    first = spawn_worker("--no-schedule", "--queues", "maintenance", "--workers", "2")
    deadline = time.monotonic() + 10
    while runtime.registry.counts("maintenance").active < 2:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    active, _ = runtime.registry.list_jobs("maintenance", JobState.ACTIVE, 0, 10)
    assert {j.id for j in active} == set(slow)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    second = spawn_worker("--no-schedule", "--queues", "maintenance", "--workers", "2")
    runtime.wait_idle(20, ["maintenance"])
    second.send_signal(signal.SIGTERM)
    assert second.wait(10) == 0
    assert all(runtime.registry.get_job(j).stalled_count == 1 for j in slow)
    for step in (MINUTE, HOUR):
        assert _actual(runtime, step) == _expected(runtime, slow + quick, step)
    (canary,) = runtime.registry.history(HistoryWindow.HOUR).series
    assert (canary.runs, canary.failures) == (5, 0)
    # The re-runs' times are their second attempt's: a second each, not the stall.
    assert canary.histogram[RUNTIME_BOUNDS_MS.index(2_500)] == 2


class _Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def test_retention_sweep_drops_expired_buckets(job_profile: LocalProfile) -> None:
    now = datetime(2026, 3, 4, 12, 0, 30, tzinfo=UTC)
    clock = _Clock(now - timedelta(days=31))
    with open_runtime(job_profile, clock=clock) as rt:
        with in_process_worker(rt.profile, ["maintenance"], 1, runtime=rt, clock=clock):
            rt.enqueue("canary")
            rt.wait_idle(10, ["maintenance"])
            clock.at = now - timedelta(days=2)
            rt.enqueue("canary")
            rt.wait_idle(10, ["maintenance"])
            clock.at = now - timedelta(minutes=5)
            rt.enqueue("canary")
            rt.wait_idle(10, ["maintenance"])
        clock.at = now
        store = rt.registry.store
        t = now.timestamp()

        def starts(step: int) -> list[int]:
            return sorted(
                at
                for at, *_ in store.history_rows(
                    step, int(t) // step * step - 40 * 86400, int(t) + step
                )
            )

        assert len(starts(MINUTE)) == 3 and len(starts(HOUR)) == 3
        rt.registry.apply_retention()
        # Minutes are kept a day, hours thirty days.
        assert starts(MINUTE) == [int((t - 300) // 60 * 60)]
        assert starts(HOUR) == [int((t - 2 * 86400) // 3600 * 3600), int((t - 300) // 3600 * 3600)]
        month = rt.registry.history(HistoryWindow.MONTH)
        assert sum(month.series[0].completed) == 2 and len(month.series[0].completed) == 720
