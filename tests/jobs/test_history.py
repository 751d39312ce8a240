"""Job history in the registry, on SQLite and on Redis: after a known mix of jobs run by
real workers (failures, a retry) the buckets equal what the job records say happened,
bucket by bucket; the retention sweep drops expired ones. A SIGKILLed worker's re-run
is counted once: test_worker_signals checks it on the same killed worker it uses.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from history_helpers import actual_buckets, expected_buckets

from ygmon.config import LocalProfile
from ygmon.job_history import HistoryWindow, percentile
from ygmon.jobs.registry.store.buckets import HOUR, MINUTE
from ygmon.jobs.runtime import JobRuntime, open_runtime
from ygmon.jobs.worker import in_process_worker


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
        assert actual_buckets(runtime, step) == expected_buckets(runtime, ids, step)

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
    # p95 of ten runs is the slowest one, exactly: never the bucket's 500 ms bound.
    nap_series = by_task["nap"]
    p95 = percentile(nap_series.histogram, history.bounds_ms, 0.95, nap_series.max_ms)
    assert p95 == (nap_series.max_ms, True) and p95.ms < 500
    only = runtime.registry.history(HistoryWindow.DAY, queue="email")
    assert [s.task for s in only.series] == ["nap"] and len(only.series[0].completed) == 24


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
