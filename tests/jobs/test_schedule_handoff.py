"""A task due on Huey's schedule leaves it only as it enters the queue: a scheduler that
dies in between loses nothing, and two schedulers reading it enqueue it once."""

from __future__ import annotations

import time

from ygmon.config import LocalProfile
from ygmon.jobs.runtime import JobRuntime, open_runtime
from ygmon.jobs.worker import in_process_worker
from ygmon.monitor.schemas import JobState

QUEUE = "maintenance"


def probe() -> str:
    return "ran"


def _due_soon(runtime: JobRuntime, job_id: str) -> None:
    """Put a task on Huey's schedule as a worker does with one that is not due yet (or
    with a retry after a delay), and let it fall due."""
    wrapper = runtime.register_task("probe", QUEUE, probe, attempts=1)
    runtime.hueys[QUEUE].add_schedule(wrapper.s(id=job_id, delay=0.2))
    assert runtime.registry.get_job(job_id).state == JobState.DELAYED
    time.sleep(0.3)


def test_a_scheduler_dying_after_its_read_leaves_the_task_scheduled(runtime: JobRuntime) -> None:
    huey = runtime.hueys[QUEUE]
    _due_soon(runtime, "later")
    read = huey.read_schedule()  # what Huey's scheduler does first; then it "dies"
    assert [task.id for task in read] == ["later"]
    assert huey.storage.schedule_size() == 1
    assert huey.storage.queue_size() == 0

    with in_process_worker(runtime.profile, [QUEUE], runtime=runtime):
        runtime.wait_idle(10, [QUEUE])
    job = runtime.registry.get_job("later")
    assert (job.state, job.attempts_made) == (JobState.COMPLETED, 1)
    assert huey.storage.schedule_size() == 0


def test_two_schedulers_reading_one_task_enqueue_it_once(
    runtime: JobRuntime, job_profile: LocalProfile
) -> None:
    _due_soon(runtime, "contested")
    with open_runtime(job_profile) as other:
        other.register_task("probe", QUEUE, probe, attempts=1)
        first, second = runtime.hueys[QUEUE], other.hueys[QUEUE]
        read_first, read_second = first.read_schedule(), second.read_schedule()
        assert [t.id for t in read_first] == [t.id for t in read_second] == ["contested"]
        first.enqueue(read_first[0])
        second.enqueue(read_second[0])
        assert first.storage.queue_size() == 1
        assert first.storage.schedule_size() == 0
        counts = runtime.registry.counts(QUEUE)
        assert (counts.waiting, counts.delayed) == (1, 0)
    with in_process_worker(runtime.profile, [QUEUE], runtime=runtime):
        runtime.wait_idle(10, [QUEUE])
    assert runtime.registry.counts(QUEUE).completed == 1
