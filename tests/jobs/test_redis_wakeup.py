"""Redis: an idle worker that dies right after it wakes for a new task loses nothing.

An idle worker blocks until a task arrives, then pops it and marks it active in one
script. Had it blocked on the queue itself (Huey's BZPOPMIN), the wake-up would already
hold the task outside the queue, and a death before the script ran would lose it.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from ygmon.config import LocalProfile
from ygmon.jobs.huey.redis_storage import RegistryRedisStorage
from ygmon.jobs.runtime import open_runtime
from ygmon.jobs.worker import in_process_worker
from ygmon.monitor.schemas import JobState


class _Died(Exception):
    """Stands for the worker process dying at this point: nothing after it runs."""


def _next_task(storage: RegistryRedisStorage, timeout: float = 10.0) -> bytes | None:
    """Dequeue as a consumer thread does, again and again until a task comes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        data = storage.dequeue()
        if data is not None:
            return data
    return None


@pytest.fixture
def profile(redis_url: str, postgres_url: str, namespace: str, tmp_path: Path) -> LocalProfile:
    return LocalProfile(
        database_url=postgres_url,
        broker_url=redis_url,
        namespace=namespace,
        media_dir=str(tmp_path / "media"),
    )


def test_a_worker_dying_as_it_wakes_leaves_the_task_queued(profile: LocalProfile) -> None:
    with open_runtime(profile) as runtime:
        storage = runtime.hueys["maintenance"].storage
        activate = storage.activate
        looked = threading.Event()

        def dies_once_woken(*args: object) -> list[object] | None:
            if looked.is_set():
                raise _Died
            reply = activate(*args)
            assert reply is None  # the queue starts empty, so the worker blocks
            looked.set()
            return reply

        storage.activate = dies_once_woken
        outcome: list[BaseException | bytes | None] = []

        def idle_worker() -> None:
            try:
                outcome.append(_next_task(storage))
            except _Died as exc:
                outcome.append(exc)

        thread = threading.Thread(target=idle_worker)
        thread.start()
        assert looked.wait(5)
        job_id = runtime.enqueue("canary", job_id="woken")
        thread.join(10)
        assert not thread.is_alive()
        assert len(outcome) == 1 and isinstance(outcome[0], _Died)

        assert storage.queue_size() == 1
        assert runtime.registry.counts("maintenance").waiting == 1
        storage.activate = activate
        with in_process_worker(profile, ["maintenance"], 1, runtime=runtime):
            runtime.wait_idle(10, ["maintenance"])
        job = runtime.registry.get_job(job_id)
        assert job.state == JobState.COMPLETED and job.attempts_made == 1


def test_every_idle_worker_wakes_for_its_own_task(profile: LocalProfile) -> None:
    """One wake-up per enqueue: as many idle workers as new tasks each get one at once,
    not one of them now and the others at their read timeout."""
    waiting = 3
    with open_runtime(profile) as runtime:
        storage = runtime.hueys["maintenance"].storage
        storage.read_timeout = 60  # a worker that missed its wake-up would sleep past the test
        barrier = threading.Barrier(waiting + 1)
        got: list[bytes | None] = []
        lock = threading.Lock()

        def idle_worker() -> None:
            barrier.wait()
            member = _next_task(storage)
            with lock:
                got.append(member)

        threads = [threading.Thread(target=idle_worker) for _ in range(waiting)]
        for thread in threads:
            thread.start()
        barrier.wait()
        for i in range(waiting):
            runtime.enqueue("canary", job_id=f"w{i}")
        for thread in threads:
            thread.join(10)
        assert not any(thread.is_alive() for thread in threads)
        assert len(got) == waiting and all(m is not None for m in got)
        assert runtime.registry.counts("maintenance").active == waiting
