"""A SIGKILLed worker's attempt in the registry, with the DEFAULT settings, on SQLite and
on Redis + Postgres: a real `ygmon worker` is killed while it runs a job; another takes
the job back once the killed one's last heartbeat is stalled_after (30 s) old, and runs
it again. The job's attempts are what happened, to the timestamps the test took
itself: the killed one stalled, on the killed worker, ending at its last heartbeat; the
re-run on the second worker, due when the job was taken back. The wait and run buckets
per queue and task hold those two attempts."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from latency_helpers import actual_latency, assert_buckets_hold, expected_latency

from ygmon.config import LocalProfile
from ygmon.job_history import HistoryWindow
from ygmon.jobs.registry.store.buckets import HOUR, MINUTE
from ygmon.jobs.runtime import JobRuntime
from ygmon.monitor.schemas import JobState

pytestmark = pytest.mark.timeout(180)

DEFAULTS = LocalProfile()
RUN = 8.0
"""Seconds the job sleeps: long enough for its worker to beat (every HEARTBEAT_INTERVAL)
and be killed mid-run on a loaded machine."""
SLACK = 0.05
"""Seconds the registry's times may sit outside the test's own: the store's clock read
beside the host's."""
SHOWN = 0.001
"""The resolution of the times an attempt shows (the millisecond)."""
POLL = 0.01
TAKEN_BACK = DEFAULTS.stalled_after + 30
"""Seconds after the kill by which the job must be running again: stalled_after from
the killed worker's last beat, one sweep (HEARTBEAT_INTERVAL), a loaded machine."""


@pytest.fixture(
    params=["sqlite", pytest.param("redis", marks=[pytest.mark.redis, pytest.mark.postgres])]
)
def job_profile(request: pytest.FixtureRequest, tmp_path: Path, namespace: str) -> LocalProfile:
    """Only where things live: every timing setting keeps its default."""
    if request.param == "sqlite":
        where = {
            "database_url": request.getfixturevalue("sqlite_url"),
            "broker_url": f"sqlite:///{tmp_path / 'queue.db'}",
        }
    else:
        where = {
            "database_url": request.getfixturevalue("postgres_url"),
            "broker_url": request.getfixturevalue("redis_url"),
        }
    return LocalProfile(**where, namespace=namespace, media_dir=str(tmp_path / "media"))


def _poll(runtime: JobRuntime, job_id: str, until: Callable[[dict], bool], timeout: float) -> float:
    """Read the job's record every POLL until `until(record)`; the time.time() of the
    read that saw it (taken after the read: the state held by then)."""
    deadline = time.monotonic() + timeout
    while True:
        record = runtime.registry.store.get(job_id) or {}
        seen = time.time()
        if until(record):
            return seen
        assert time.monotonic() < deadline, f"timed out: {job_id} is {record}"
        time.sleep(POLL)


def _last_beat_after(runtime: JobRuntime, worker_id: str, after: float) -> float:
    """Poll the worker's heartbeat every POLL until one is later than `after`; its time."""
    deadline = time.monotonic() + 30
    while True:
        (worker,) = [w for w in runtime.registry.store.workers() if w["id"] == worker_id]
        beat = float(worker["last_heartbeat"])
        if beat > after:
            return beat
        assert time.monotonic() < deadline, f"no heartbeat of {worker_id} after {after}"
        time.sleep(POLL)


def _worker_id(runtime: JobRuntime, proc: subprocess.Popen) -> str:
    (worker,) = [w for w in runtime.registry.store.workers() if w["pid"] == str(proc.pid)]
    return worker["id"]


@pytest.mark.xdist_group("sleepy-a")
def test_a_killed_workers_attempt_and_its_rerun_are_what_happened(
    job_profile: LocalProfile, runtime: JobRuntime, spawn_worker: Callable
) -> None:
    assert job_profile.stalled_after == DEFAULTS.stalled_after == 30
    store = runtime.registry.store
    args = ("--no-schedule", "--queues", "maintenance", "--workers", "1")
    killed = spawn_worker(*args)
    killed_id = _worker_id(runtime, killed)

    before_enqueue = time.time()
    runtime.enqueue("canary", job_id="killed", seconds=RUN)
    after_enqueue = time.time()
    seen_running = _poll(
        runtime, "killed", lambda r: r.get("state") == "active" and r["worker_id"] == killed_id, 60
    )
    started = float(store.get("killed")["started_at"])
    # Killed right after a heartbeat it sent while running the job: the attempt ends at
    # the last sign of life the registry has, which the test saw.
    beat_seen = _last_beat_after(runtime, killed_id, started)
    killed.send_signal(signal.SIGKILL)
    killed.wait(10)
    dead = time.time()
    # Killed mid-run: the job had not ended (nor could a completion wait unwritten).
    assert dead - started < RUN - 1, "the machine stalled past the job's run: no kill mid-run"
    (last_beat,) = [float(w["last_heartbeat"]) for w in store.workers() if w["id"] == killed_id]
    assert beat_seen <= last_beat <= dead + SLACK

    survivor = spawn_worker(*args)
    survivor_id = _worker_id(runtime, survivor)
    seen_taken_back = _poll(
        runtime,
        "killed",
        lambda r: r.get("state") != "active" or r["worker_id"] != killed_id,
        TAKEN_BACK,
    )
    seen_rerunning = _poll(runtime, "killed", lambda r: r.get("state") != "waiting", 30)
    seen_completed = _poll(runtime, "killed", lambda r: r.get("state") == "completed", RUN + 30)

    job = runtime.registry.get_job("killed")
    assert job.state == JobState.COMPLETED and job.stalled_count == 1
    stalled, rerun = job.attempts
    due, start, end = zip(
        *(
            (a.due_at.timestamp(), a.started_at.timestamp(), a.finished_at.timestamp())
            for a in job.attempts
        ),
        strict=True,
    )

    # The killed attempt: due when enqueued, taken by the killed worker before the test
    # saw it run, ended (as far as the registry can know) at the worker's last beat.
    assert stalled.outcome == "stalled" and stalled.error == "its worker stopped beating"
    assert stalled.worker_id == killed_id
    assert (stalled.host, stalled.pid) == (socket.gethostname(), killed.pid)
    assert before_enqueue - SLACK <= due[0] <= after_enqueue + SLACK
    assert due[0] <= start[0] <= seen_running + SLACK and abs(start[0] - started) <= SHOWN
    assert abs(end[0] - last_beat) <= SHOWN

    # Taken back no sooner than stalled_after from the last beat, and put on the queue
    # then: the re-run's due time is when the sweep moved it.
    assert last_beat + DEFAULTS.stalled_after - SHOWN <= due[1] <= seen_taken_back + SLACK
    # The re-run: on the survivor, started once due, ran the job's RUN seconds.
    assert rerun.outcome == "completed" and rerun.error is None
    assert rerun.worker_id == survivor_id and rerun.pid == survivor.pid
    assert due[1] <= start[1] <= seen_rerunning + SLACK
    assert start[1] + RUN - SLACK <= end[1] <= seen_completed + SLACK
    # Both are the job's first try: a stall spends none of its tries (max_stalled
    # counts stalls apart, as stalled_count shows).
    assert stalled.number == rerun.number == 1 and job.attempts_made == 1

    # Wait and run of each are the differences of the times shown (to the millisecond).
    for attempt, d, s, e in zip(job.attempts, due, start, end, strict=True):
        assert abs(attempt.wait_seconds - (s - d)) <= 2 * SHOWN
        assert abs(attempt.run_seconds - (e - s)) <= 2 * SHOWN
    assert rerun.run_seconds >= RUN - SLACK

    # Bucket by bucket, per queue and task: the two attempts' waits and runs.
    for step in (MINUTE, HOUR):
        assert_buckets_hold(
            expected_latency(runtime, ["killed"], step), actual_latency(runtime, step)
        )
    latency = runtime.registry.latency(HistoryWindow.HOUR, "maintenance")
    waits = [a.wait_seconds * 1000 for a in job.attempts]
    runs = [a.run_seconds * 1000 for a in job.attempts]
    for row in latency.rows:  # the queue's row and the canary task's
        assert row.wait.count == row.run.count == 2
        assert abs(row.wait.max_ms - max(waits)) <= 1 and abs(row.run.max_ms - max(runs)) <= 1
    assert {row.task for row in latency.rows} == {None, "canary"}
