"""What a take does under a task's live controls, on each store, with an in-process
worker of one thread (so the order of takes is the order of starts): a paused task's
jobs are held back in order and start in that order once resumed; a job refused by a
rate waits without using an attempt; held jobs outlive the worker that held them."""

from __future__ import annotations

import time

from ygmon.config import LocalProfile
from ygmon.jobs.registry.live_controls import (
    clear_rate,
    held_back,
    pause_task,
    recent_starts,
    resume_task,
    set_rate,
)
from ygmon.jobs.runtime import JobRuntime, open_runtime
from ygmon.jobs.worker import in_process_worker
from ygmon.monitor.schemas import JobState

QUEUE = "maintenance"


def _probe(runtime: JobRuntime) -> None:
    for name in ("probe-a", "probe-b"):
        runtime.register_task(name, QUEUE, lambda n: n, attempts=1)


def _paused(runtime: JobRuntime):
    """The probes registered, `probe-a` paused; returns the registry's store."""
    _probe(runtime)
    store = runtime.registry.store
    pause_task(store, "probe-a", runtime.registry.now(), "test")
    return store


def _until(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _state(runtime: JobRuntime, job_id: str) -> JobState:
    return runtime.registry.get_job(job_id).state


def test_a_paused_tasks_jobs_are_held_in_order_and_start_in_order_once_resumed(
    runtime: JobRuntime, job_profile: LocalProfile
) -> None:
    store = _paused(runtime)
    order = ["a0", "b0", "a1", "b1", "a2", "b2", "a3"]
    for job_id in order:
        runtime.enqueue(f"probe-{job_id[0]}", job_id=job_id, n=job_id)
    with in_process_worker(job_profile, [QUEUE], 1, runtime=runtime):
        _until(lambda: all(_state(runtime, f"b{i}") == JobState.COMPLETED for i in range(3)),
               10, "the other task's jobs")  # fmt: skip
        _until(lambda: held_back(store) == {(QUEUE, "probe-a"): 4}, 5, "the held jobs")
        assert [_state(runtime, f"a{i}") for i in range(4)] == [JobState.WAITING] * 4
        # A job of the task enqueued after the others were held goes behind them.
        runtime.enqueue("probe-a", job_id="a4", n="a4")
        resume_task(store, "probe-a")
        _until(lambda: all(_state(runtime, f"a{i}") == JobState.COMPLETED for i in range(5)),
               10, "the resumed jobs")  # fmt: skip
    started = {j: float(store.get(j)["started_at"]) for j in ["a0", "a1", "a2", "a3", "a4"]}
    assert sorted(started, key=started.__getitem__) == ["a0", "a1", "a2", "a3", "a4"]
    assert held_back(store) == {}


def test_a_job_refused_by_a_rate_waits_without_using_an_attempt(
    runtime: JobRuntime, job_profile: LocalProfile
) -> None:
    _probe(runtime)
    store = runtime.registry.store
    set_rate(store, "probe-a", 2, runtime.registry.now(), "test")
    ids = [runtime.enqueue("probe-a", n=i) for i in range(5)]
    with in_process_worker(job_profile, [QUEUE], 1, runtime=runtime):
        _until(lambda: held_back(store) == {(QUEUE, "probe-a"): 3}, 10, "three held back")
        expected = [JobState.COMPLETED] * 2 + [JobState.WAITING] * 3
        _until(lambda: [_state(runtime, j) for j in ids] == expected, 10, "two run, three wait")
        assert [runtime.registry.get_job(j).attempts_made for j in ids[2:]] == [0, 0, 0]
        assert recent_starts(store, ["probe-a", "probe-b"], runtime.registry.now()) == {
            "probe-a": 2,
            "probe-b": 0,
        }
        clear_rate(store, "probe-a")
        _until(lambda: all(_state(runtime, j) == JobState.COMPLETED for j in ids), 10, "the rest")
    assert [runtime.registry.get_job(j).attempts_made for j in ids] == [1] * 5


def test_held_jobs_outlive_the_worker_that_held_them(
    runtime: JobRuntime, job_profile: LocalProfile
) -> None:
    store = _paused(runtime)
    ids = [runtime.enqueue("probe-a", n=i) for i in range(3)]
    with in_process_worker(job_profile, [QUEUE], 1, runtime=runtime):
        _until(lambda: held_back(store) == {(QUEUE, "probe-a"): 3}, 10, "the held jobs")
    resume_task(store, "probe-a")
    # Another worker (its own runtime, as a restarted process would have) runs them.
    with open_runtime(job_profile) as other:
        _probe(other)
        with in_process_worker(job_profile, [QUEUE], 1, runtime=other):
            _until(lambda: all(_state(other, j) == JobState.COMPLETED for j in ids), 10, "them")
    assert held_back(store) == {}


def test_a_sqlite_take_reads_nothing_of_the_store_inside_its_transaction(tmp_path) -> None:
    """A take runs inside Huey's SQLite transaction. Were it to reread the controls there,
    it would wait on the store's connection, whose user may be a write waiting on that
    very transaction's lock: each stalled for the busy timeout (jobs of a loaded demo
    did not flow for 15 s). The gate's read is stale and the store's connection held by
    another thread: the take still takes the job at once."""
    import threading

    from ygmon.jobs.huey.control_gate import REFRESH_SECONDS

    profile = LocalProfile(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'app.db'}",
        broker_url=f"sqlite:///{tmp_path / 'queue.db'}",
        namespace="take",
    )
    with open_runtime(profile) as runtime:
        runtime.enqueue("canary")
        storage = runtime.hueys[QUEUE].storage
        time.sleep(REFRESH_SECONDS + 0.1)  # the gate's last read is now stale
        taken: list = []
        with runtime.registry.store._lock:  # another user of the store's connection
            take = threading.Thread(target=lambda: taken.append(storage.take()))
            take.start()
            take.join(10)
            stalled = take.is_alive()
        take.join()
    assert not stalled, "the take waited on the store's connection"
    assert taken and taken[0] is not None, "the job was not taken"
