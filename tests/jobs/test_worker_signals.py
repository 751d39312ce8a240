"""A real `ygmon worker` killed with SIGKILL loses nothing (and its jobs' re-runs count
once in the history); SIGTERM lets jobs finish."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable

from history_helpers import actual_buckets, expected_buckets

from ygmon.job_history import HistoryWindow
from ygmon.jobs.registry.store.buckets import HOUR, MINUTE, RUNTIME_BOUNDS_MS
from ygmon.jobs.runtime import JobRuntime
from ygmon.monitor.schemas import JobState

Spawn = Callable[..., subprocess.Popen[str]]


def _until(check: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def test_sigkill_then_new_worker_completes_every_job_once(
    runtime: JobRuntime, spawn_worker: Spawn
) -> None:
    slow = [runtime.enqueue("canary", job_id=f"slow-{i}", seconds=1.0) for i in range(4)]
    quick = [runtime.enqueue("canary", job_id=f"quick-{i}") for i in range(6)]
    first = spawn_worker("--no-schedule", "--queues", "maintenance", "--workers", "4")
    _until(lambda: runtime.registry.counts("maintenance").active == 4)
    active, _ = runtime.registry.list_jobs("maintenance", JobState.ACTIVE, 0, 10)
    killed = {j.id for j in active}
    assert killed == set(slow)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    assert runtime.registry.counts("maintenance").active == 4  # Huey alone would lose them

    second = spawn_worker("--no-schedule", "--queues", "maintenance", "--workers", "4")
    runtime.wait_idle(20, ["maintenance"])
    stats = runtime.registry.counts("maintenance")
    assert (stats.completed, stats.failed, stats.waiting, stats.active) == (10, 0, 0, 0)
    for job_id in killed:
        job = runtime.registry.get_job(job_id)
        assert job.state == JobState.COMPLETED and job.stalled_count == 1
        assert job.kwargs == {"seconds": 1.0}
    for job_id in quick:
        assert runtime.registry.get_job(job_id).stalled_count == 0
        (attempt,) = runtime.registry.get_job(job_id).attempts
        assert attempt.outcome == "completed" and attempt.pid == second.pid
    # A killed job's attempts: the one its dead worker lost, then the re-run's.
    for job_id in killed:
        lost, rerun = runtime.registry.get_job(job_id).attempts
        assert (lost.outcome, lost.pid) == ("stalled", first.pid)
        assert (rerun.outcome, rerun.pid) == ("completed", second.pid)
        assert lost.finished_at <= rerun.due_at <= rerun.started_at
        assert 1.0 <= rerun.run_seconds < 2.5
        # The lost attempt ran until its worker's last beat, at most a beat's gap after
        # the kill; never past the sweep that noticed it.
        assert lost.run_seconds < 1.0 + 10.0
    # The dead worker stays listed a while (ygmon.liveness.GONE_LISTED_FOR), its beat old.
    beats = {w.pid: w.last_heartbeat for w in runtime.registry.workers()}
    assert set(beats) == {first.pid, second.pid}
    assert beats[second.pid] > beats[first.pid]
    second.send_signal(signal.SIGTERM)
    assert second.wait(10) == 0
    # The history counts each job once, bucket by bucket, and a re-run's time is its
    # second attempt's (a second), not the stall.
    for step in (MINUTE, HOUR):
        assert actual_buckets(runtime, step) == expected_buckets(runtime, slow + quick, step)
    (canary,) = runtime.registry.history(HistoryWindow.HOUR).series
    assert (canary.runs, canary.failures) == (10, 0)
    assert canary.histogram[RUNTIME_BOUNDS_MS.index(2_500)] == 4


def test_sigkill_past_max_stalled_fails_the_job(runtime: JobRuntime, spawn_worker: Spawn) -> None:
    # A job that keeps killing its worker: after max_stalled (1) returns it fails.
    runtime.enqueue("canary", job_id="doomed", seconds=30)
    for stalls in range(2):
        proc = spawn_worker("--no-schedule", "--queues", "maintenance")

        def running_here(stalls: int = stalls, proc: subprocess.Popen[str] = proc) -> bool:
            job = runtime.registry.get_job("doomed")
            on = f":{proc.pid}:"
            return job.state == JobState.ACTIVE and on in (job.worker_id or "")

        _until(running_here)
        assert runtime.registry.get_job("doomed").stalled_count == stalls
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    survivor = spawn_worker("--no-schedule", "--queues", "maintenance")
    _until(lambda: runtime.registry.counts("maintenance").failed == 1)
    job = runtime.registry.get_job("doomed")
    assert job.error_message == "job stalled more than allowable limit"
    assert job.stalled_count == 2
    survivor.send_signal(signal.SIGTERM)
    assert survivor.wait(10) == 0


def test_sigterm_lets_running_jobs_finish_and_leaves_the_registry(
    runtime: JobRuntime, spawn_worker: Spawn
) -> None:
    runtime.enqueue("canary", job_id="short-0", seconds=0.6)
    runtime.enqueue("canary", job_id="short-1", seconds=0.6)
    proc = spawn_worker("--no-schedule", "--queues", "maintenance", "--workers", "3")
    runtime.enqueue("canary", job_id="long", seconds=60)  # outlives the 2 s grace
    _until(lambda: runtime.registry.counts("maintenance").active == 3)
    assert [w.pid for w in runtime.registry.workers()] == [proc.pid]
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(15) == 0
    assert time.monotonic() - started < 2.0 + 3.0  # the grace, plus process exit
    stats = runtime.registry.counts("maintenance")
    assert (stats.completed, stats.active, stats.waiting) == (2, 0, 1)
    assert runtime.registry.get_job("long").state == JobState.WAITING
    assert runtime.registry.workers() == []
