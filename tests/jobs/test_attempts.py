"""Every job's attempts in the registry, on SQLite and on Redis: a known mix of delays and
retries gives the attempts, waits and run times that happened, each attempt keeps its
own capped log, and retention trims both with the job."""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from processes import run_ygmon, worker_processes

from ygmon.jobs.runtime import JobRuntime
from ygmon.jobs.worker import in_process_worker
from ygmon.monitor.schemas import JobState

SLACK = 0.05
"""Seconds the registry's times may sit outside what the task saw of itself: the
store's clock against the host's, read on either side of the task's own call."""


def test_a_mix_of_delays_and_retries_gives_the_attempts_that_happened(
    runtime: JobRuntime,
) -> None:
    seen: dict[str, list[tuple[float, float]]] = {}
    lock = threading.Lock()

    def flaky(name: str, fails: int) -> str:
        start = time.time()
        mine = seen.setdefault(name, [])
        attempt = len(mine) + 1
        print(f"{name} attempt {attempt} on stdout")
        logging.getLogger("test.flaky").warning("%s attempt %d logged", name, attempt)
        time.sleep(0.2)
        with lock:
            mine.append((start, time.time()))
        if attempt <= fails:
            raise RuntimeError(f"{name} failed attempt {attempt}")
        return name

    runtime.register_task("test-flaky", "maintenance", flaky, attempts=3, backoff_delay=1.0)
    enqueued = time.time()
    runtime.enqueue("test-flaky", job_id="twice-failed", name="twice-failed", fails=2)
    runtime.enqueue("test-flaky", job_id="delayed", delay=1.5, name="delayed", fails=0)
    runtime.enqueue("test-flaky", job_id="all-failed", name="all-failed", fails=5)
    with in_process_worker(runtime.profile, ["maintenance"], 2, runtime=runtime):
        runtime.wait_idle(30, ["maintenance"])

    twice = runtime.registry.get_job("twice-failed")
    assert twice.state == JobState.COMPLETED
    assert [a.outcome for a in twice.attempts] == ["retried", "retried", "completed"]
    assert [a.number for a in twice.attempts] == [1, 2, 3]
    assert [a.error for a in twice.attempts] == [
        "twice-failed failed attempt 1",
        "twice-failed failed attempt 2",
        None,
    ]
    for attempt, (start, end) in zip(twice.attempts, seen["twice-failed"], strict=True):
        assert attempt.started_at.timestamp() <= start + SLACK
        assert attempt.finished_at.timestamp() >= end - SLACK
        assert 0.2 <= attempt.run_seconds < (end - start) + 0.5
        assert attempt.wait_seconds >= 0
        assert attempt.pid is not None and attempt.host
        # Wait and run are the differences of the times shown (to the millisecond).
        wait = attempt.started_at.timestamp() - attempt.due_at.timestamp()
        assert abs(attempt.wait_seconds - wait) <= 0.002
    first, second, third = twice.attempts
    assert abs(first.due_at.timestamp() - enqueued) < 1.0
    # Each retry came due a backoff after the failure (1 s, then 1 s * Huey's backoff
    # factor of the queue), and no earlier.
    assert second.due_at.timestamp() - first.finished_at.timestamp() >= 1.0 - SLACK
    assert third.due_at.timestamp() - second.finished_at.timestamp() >= 1.0 - SLACK
    assert second.started_at >= second.due_at and third.started_at >= third.due_at
    # Each attempt kept its own lines: stdout and logging, nothing of another's.
    for n, attempt in enumerate(twice.attempts, 1):
        assert attempt.log is not None and attempt.log_cut == 0
        assert f"twice-failed attempt {n} on stdout" in attempt.log
        assert f"twice-failed attempt {n} logged" in attempt.log
        assert "delayed" not in attempt.log and "all-failed" not in attempt.log

    delayed = runtime.registry.get_job("delayed")
    (only,) = delayed.attempts
    assert only.outcome == "completed"
    assert delayed.due_at == only.due_at
    assert only.due_at.timestamp() - enqueued >= 1.5 - SLACK
    assert only.started_at >= only.due_at

    failed = runtime.registry.get_job("all-failed")
    assert failed.state == JobState.FAILED
    assert [a.outcome for a in failed.attempts] == ["retried", "retried", "failed"]
    assert failed.attempts[-1].error == "all-failed failed attempt 3"


@pytest.mark.parametrize("job_profile", ["redis"], indirect=True)
def test_a_job_starts_when_it_is_taken_not_when_its_worker_read_the_clock(
    runtime: JobRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Redis: a worker's call to take a job can be held after the worker read its clock
    # (a loaded machine, a busy server), and a job enqueued meanwhile is the one it
    # takes. The job waited in the queue until the call took it: its start is the
    # take's, never before it was enqueued.
    held = 0.3
    store = runtime.registry.store
    take = store.activate
    calling, enqueued = threading.Event(), threading.Event()

    def held_call(*args: object, **kwargs: object) -> object:
        if not calling.is_set():
            calling.set()
            assert enqueued.wait(10)
            time.sleep(held)  # the delay under test, not a synchronisation
        return take(*args, **kwargs)

    monkeypatch.setattr(store, "activate", held_call)
    with in_process_worker(runtime.profile, ["maintenance"], 1, runtime=runtime):
        assert calling.wait(10)
        runtime.enqueue("canary", job_id="taken-late")
        enqueued.set()
        runtime.wait_idle(20, ["maintenance"])
    (raw,) = store.attempts("taken-late")
    entry = json.loads(raw)
    assert float(entry["start"]) - float(entry["due"]) >= held - SLACK, entry
    (attempt,) = runtime.registry.get_job("taken-late").attempts
    assert attempt.wait_seconds >= held - SLACK and attempt.run_seconds < held


def test_a_long_log_keeps_its_capped_tail_and_a_quiet_job_keeps_none(
    runtime: JobRuntime,
) -> None:
    def chatty(lines: int) -> None:
        for i in range(lines):
            print(f"line {i}")

    runtime.register_task("test-chatty", "maintenance", chatty)
    runtime.enqueue("test-chatty", job_id="chatty", lines=1000)
    runtime.enqueue("test-chatty", job_id="quiet", lines=0)
    with in_process_worker(runtime.profile, ["maintenance"], 2, runtime=runtime):
        runtime.wait_idle(30, ["maintenance"])

    (attempt,) = runtime.registry.get_job("chatty").attempts
    lines = attempt.log.splitlines()
    assert len(lines) == runtime.profile.job_log_lines == 500
    assert lines[0] == "line 500" and lines[-1] == "line 999"
    assert attempt.log_cut == 500
    (quiet,) = runtime.registry.get_job("quiet").attempts
    assert quiet.log is None and quiet.log_cut == 0
    # Nothing of the jobs reached the process's own output.
    assert "line 999" not in str(getattr(sys.stdout, "getvalue", lambda: "")())


def test_retention_trims_the_attempts_with_their_job(runtime: JobRuntime) -> None:
    runtime.register_task("test-noisy", "maintenance", lambda: print("noise"))
    runtime.enqueue("test-noisy", job_id="old")
    with in_process_worker(runtime.profile, ["maintenance"], 1, runtime=runtime):
        runtime.wait_idle(30, ["maintenance"])
        assert len(runtime.registry.store.attempts("old")) == 1
        runtime.registry.limits["completed"] = (1, timedelta(hours=24))
        runtime.enqueue("test-noisy", job_id="new")
        runtime.wait_idle(30, ["maintenance"])
    assert runtime.registry.store.get("old") is None
    assert runtime.registry.store.attempts("old") == []
    assert len(runtime.registry.store.attempts("new")) == 1


def test_jobs_show_prints_attempts_and_their_log(runtime: JobRuntime, worker_config: Path) -> None:
    with in_process_worker(runtime.profile, ["maintenance"], 1, runtime=runtime):
        runtime.enqueue("canary", job_id="show-bad", fail=True)
        runtime.wait_idle(20, queues=["maintenance"])
    out = run_ygmon(worker_config, "jobs", "show", "show-bad")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("show-bad  maintenance  canary  failed  attempts ")
    last = max(i for i, line in enumerate(lines) if line.startswith("attempt "))
    assert ": failed  wait " in lines[last] and " run " in lines[last] and " pid " in lines[last]
    assert "  error: canary asked to fail" in lines[last:]
    assert "  | WARNING ygmon.canary: canary: slept 0.0s, failing as asked" in lines[last:]
    body = json.loads(run_ygmon(worker_config, "jobs", "show", "show-bad", "--json").stdout)
    assert body["attempts"][-1]["outcome"] == "failed"
    missing = run_ygmon(worker_config, "jobs", "show", "no-such-job", "--queue", "maintenance")
    assert missing.returncode == 1 and missing.stderr == "ygmon: Job not found\n"


def test_a_worker_keeps_its_tasks_info_lines(runtime: JobRuntime, worker_config: Path) -> None:
    # `ygmon worker` prints warnings only; a job's own log still has the task's info.
    with worker_processes() as start:
        start(worker_config, "--queues", "maintenance")
        runtime.enqueue("canary", job_id="info-ok", seconds=0.05)
        deadline = time.monotonic() + 30
        while (runtime.registry.store.get("info-ok") or {}).get("state") != "completed":
            assert time.monotonic() < deadline, runtime.registry.store.get("info-ok")
            time.sleep(0.1)
    out = run_ygmon(worker_config, "jobs", "show", "info-ok")
    assert "  | INFO ygmon.canary: canary: slept 0.05s" in out.stdout.splitlines(), out.stdout
