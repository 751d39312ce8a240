"""A task the worker cannot read (a task name it does not know, as a newer producer may
enqueue) fails its job with a clear message, and the worker goes on with the queue."""

from __future__ import annotations

from ygmon.jobs.runtime import JobRuntime
from ygmon.jobs.worker import in_process_worker
from ygmon.monitor.schemas import JobState


def newer_task() -> str:
    return "only a newer worker knows me"


def test_an_unknown_task_fails_its_job_and_the_queue_moves_on(runtime: JobRuntime) -> None:
    # The producer's runtime knows the task; the worker below opens its own, which does not.
    runtime.register_task("from-a-newer-release", "maintenance", newer_task, attempts=1)
    runtime.enqueue("from-a-newer-release", job_id="unknown")
    runtime.enqueue("canary", job_id="behind-it")
    with in_process_worker(runtime.profile, ["maintenance"], workers=1):
        runtime.wait_idle(15, ["maintenance"])
    assert runtime.registry.get_job("behind-it").state == JobState.COMPLETED
    job = runtime.registry.get_job("unknown")
    assert job.state == JobState.FAILED
    assert job.error_message is not None
    assert job.error_message.startswith("this worker cannot run task 'from-a-newer-release': ")
    assert "not found in TaskRegistry" in job.error_message
    assert "HueyException" in (job.error_stack or "")
    counts = runtime.registry.counts("maintenance")
    assert (counts.failed, counts.completed, counts.active, counts.waiting) == (1, 1, 0, 0)
