"""200 jobs over three queues, a known share failing: the registry equals what ran;
failures carry message and stack; retry works only on failed jobs; retention trims."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest

from ygmon.errors import CannotRetryError, NotFoundError
from ygmon.jobs.runtime import JobRuntime
from ygmon.jobs.worker import in_process_worker
from ygmon.monitor.schemas import JobState

QUEUES = ("email", "search-index-update", "maintenance")


def flaky(n: int, marker: str) -> int:
    """Fails for every seventh n while `marker` does not exist; touches nothing."""
    if n % 7 == 0 and not Path(marker).exists():
        raise ValueError(f"job {n} refused")
    return n


def test_counts_equal_what_happened(runtime: JobRuntime, tmp_path: Path) -> None:
    marker = tmp_path / "fixed"
    for queue in QUEUES:
        runtime.register_task(f"flaky-{queue}", queue, flaky, attempts=1)
    ids = {}
    for n in range(200):
        queue = QUEUES[n % 3]
        ids[n] = runtime.enqueue(f"flaky-{queue}", job_id=f"job-{n}", n=n, marker=str(marker))
    assert sum(q.waiting for q in runtime.registry.queue_stats()) == 200

    with in_process_worker(runtime.profile, QUEUES, workers=2, runtime=runtime):
        runtime.wait_idle(30)
        stats = {q.name: q for q in runtime.registry.queue_stats()}
        for i, queue in enumerate(QUEUES):
            ns = [n for n in range(200) if n % 3 == i]
            failed = [n for n in ns if n % 7 == 0]
            assert (stats[queue].completed, stats[queue].failed) == (
                len(ns) - len(failed),
                len(failed),
            )
            assert (stats[queue].waiting, stats[queue].active, stats[queue].delayed) == (0, 0, 0)
        assert all(
            (q.waiting, q.active, q.completed, q.failed) == (0, 0, 0, 0)
            for q in stats.values()
            if q.name not in QUEUES
        )

        failed_jobs, total = runtime.registry.list_jobs("email", JobState.FAILED, 0, 100)
        assert total == len([n for n in range(0, 200, 3) if n % 7 == 0])
        for job in failed_jobs:
            detail = runtime.registry.get_job(job.id)
            assert detail.error_message == f"job {detail.kwargs['n']} refused"
            assert "ValueError: job" in detail.error_stack
            assert "in flaky" in detail.error_stack
            assert detail.attempts_made == detail.attempts_allowed == 1
            assert detail.finished_at is not None and detail.worker_id

        every, total_all = runtime.registry.list_jobs("email", None, 0, 200)
        assert total_all == len(range(0, 200, 3)) == len(every)
        keys = [(j.finished_at or j.enqueued_at) for j in every]
        assert keys == sorted(keys, reverse=True)  # newest first, finished by finish time
        page, _ = runtime.registry.list_jobs(None, None, 5, 10)
        everything, total_all = runtime.registry.list_jobs(None, None, 0, 300)
        assert total_all == 200 and [j.id for j in page] == [j.id for j in everything[5:15]]

        runtime.registry.set_progress("job-2", 140)
        assert runtime.registry.get_job("job-2").progress == 100

        done = runtime.registry.get_job("job-1")
        assert done.state == JobState.COMPLETED and done.result == 1 and done.error_message is None

        # Retry: a failed job runs again with its arguments once its cause is fixed.
        marker.touch()
        retried = runtime.registry.retry("email", "job-0")
        assert retried.state == JobState.WAITING and retried.attempts_made == 0
        runtime.wait_idle(10)
        again = runtime.registry.get_job("job-0")
        assert again.state == JobState.COMPLETED and again.kwargs["n"] == 0
        assert again.result == 0 and again.error_message is None
        stats = {q.name: q for q in runtime.registry.queue_stats()}
        assert stats["email"].failed == total - 1

        with pytest.raises(CannotRetryError, match=r"^Cannot retry job$"):
            runtime.registry.retry("email", "job-0")
        with pytest.raises(NotFoundError, match=r"^Job not found$"):
            runtime.registry.retry("email", "no-such-job")
        with pytest.raises(NotFoundError, match=r"^Job not found$"):
            runtime.registry.retry("maintenance", "job-7")  # job-7 is on search-index-update


def test_retention_trims_to_the_limits(runtime: JobRuntime, tmp_path: Path) -> None:
    runtime.register_task("flaky", "maintenance", flaky, attempts=1)
    # Limits below docs/CONTRACT.md#retention's 1000/5000 keep the test fast; same rule.
    runtime.registry.limits["completed"] = (5, timedelta(hours=24))
    runtime.registry.limits["failed"] = (3, timedelta(days=7))
    with in_process_worker(runtime.profile, ["maintenance"], workers=1, runtime=runtime):
        for n in range(1, 13):
            runtime.enqueue("flaky", job_id=f"ok-{n}", n=n, marker=str(tmp_path))
            if n % 3 == 0:
                runtime.enqueue("flaky", job_id=f"bad-{n}", n=7 * n, marker="/nonexistent")
        runtime.wait_idle(15)
    stats = runtime.registry.counts("maintenance")
    assert (stats.completed, stats.failed) == (5, 3)
    completed, total = runtime.registry.list_jobs("maintenance", JobState.COMPLETED, 0, 50)
    assert total == 5 and len(completed) == 5
    # The newest are kept; one worker thread runs them in order.
    assert [j.id for j in completed] == [f"ok-{n}" for n in (12, 11, 10, 9, 8)]
    with pytest.raises(NotFoundError):
        runtime.registry.get_job("ok-1")
    failed, total = runtime.registry.list_jobs("maintenance", JobState.FAILED, 0, 50)
    assert [j.id for j in failed] == ["bad-12", "bad-9", "bad-6"]

    # Age: the periodic sweep drops what is older than the limit, even with no new finish.
    runtime.registry.limits["completed"] = (5, timedelta(seconds=0))
    assert runtime.registry.apply_retention() == 5
    assert runtime.registry.counts("maintenance").completed == 0
    assert runtime.registry.counts("maintenance").failed == 3


def fails_first_time(marker: str) -> str:
    """Fails on its first attempt (it leaves `marker` behind), succeeds after."""
    path = Path(marker)
    if not path.exists():
        path.touch()
        raise OSError("first attempt fails")
    return "second attempt"


def test_a_retried_attempt_is_tracked_to_completion(runtime: JobRuntime, tmp_path: Path) -> None:
    runtime.register_task("twice", "maintenance", fails_first_time, attempts=2, backoff_delay=0)
    runtime.register_task("later", "maintenance", fails_first_time, attempts=2, backoff_delay=1)
    with in_process_worker(runtime.profile, ["maintenance"], 2, runtime=runtime):
        runtime.enqueue("twice", job_id="twice", marker=str(tmp_path / "a"))
        runtime.enqueue("later", job_id="later", marker=str(tmp_path / "b"))
        deadline = time.monotonic() + 5
        while runtime.registry.get_job("later").state != JobState.DELAYED:
            assert time.monotonic() < deadline, "the backoff never showed as delayed"
            time.sleep(0.01)
        assert runtime.registry.get_job("later").error_message == "first attempt fails"
        runtime.wait_idle(10)
    for job_id in ("twice", "later"):
        job = runtime.registry.get_job(job_id)
        assert job.state == JobState.COMPLETED and job.result == "second attempt"
        assert (job.attempts_made, job.attempts_allowed) == (2, 2)
        assert job.error_message is None
    stats = runtime.registry.counts("maintenance")
    assert (stats.completed, stats.failed, stats.delayed, stats.waiting) == (2, 0, 0, 0)


def pause(n: int) -> int:
    time.sleep(0.005)
    return n


def test_last_finished_is_the_newest_completion(runtime: JobRuntime) -> None:
    """Per queue and per task, as written with batched completions (and read by the
    digest health check). One worker thread and a 5 ms job put the finishes in order,
    several to a batch."""
    runtime.register_task("pause-a", "maintenance", pause, attempts=1)
    runtime.register_task("pause-b", "maintenance", pause, attempts=1)
    assert runtime.registry.last_finished("maintenance") is None
    for n in range(1, 8):
        runtime.enqueue("pause-a" if n % 3 else "pause-b", job_id=f"j{n}", n=n)
    with in_process_worker(runtime.profile, ["maintenance"], workers=1, runtime=runtime):
        runtime.wait_idle(10, ["maintenance"])
    jobs = [runtime.registry.get_job(f"j{n}") for n in range(1, 8)]
    assert all(j.state == JobState.COMPLETED for j in jobs)
    # Job records carry milliseconds; the last-finished times full precision.
    ms = timedelta(milliseconds=1)
    assert abs(runtime.registry.last_finished("maintenance") - jobs[6].finished_at) < ms
    assert abs(runtime.registry.last_finished("maintenance", "pause-a") - jobs[6].finished_at) < ms
    assert abs(runtime.registry.last_finished("maintenance", "pause-b") - jobs[5].finished_at) < ms
