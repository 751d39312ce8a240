"""A replay over this machine's job runtime: a finished job (completed, failed or
cancelled) run again as a new job of the same task, with edited keyword arguments
checked against the task's declared ones (ygmon.jobs.tasks.arguments) before anything
is enqueued, and the two jobs linked both ways (ygmon.jobs.registry.replays).

Called by LocalMonitor.replay in the runtime's thread; the monitor records the action.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ygmon.errors import CannotRetryError, InvalidQueryError, NotFoundError
from ygmon.monitor.replay_schemas import ReplayResult
from ygmon.monitor.schemas import JobState

if TYPE_CHECKING:
    from ygmon.jobs.runtime import JobRuntime

REPLAYABLE = frozenset({JobState.COMPLETED, JobState.FAILED, JobState.CANCELLED})
"""A job still waiting or running is not replayed: it has not shown what it does."""


def replay_in(
    rt: JobRuntime, queue: str, job_id: str, kwargs: dict[str, Any] | None, dry_run: bool
) -> ReplayResult:
    """Check `kwargs` (None: the job's own) and, unless `dry_run`, enqueue the new job
    and link it; InvalidQueryError naming each bad argument, CannotRetryError for a job
    that cannot be replayed, NotFoundError("Job not found")."""
    from ygmon.jobs.registry import replays
    from ygmon.jobs.tasks import TASKS
    from ygmon.jobs.tasks.arguments import check_arguments

    old = rt.registry.get_job(job_id)
    if old.queue != queue:
        raise NotFoundError("Job not found")
    spec = TASKS.get(old.task)
    if spec is None:
        raise CannotRetryError(f"Cannot replay job: no task '{old.task}' here")
    new_kwargs = dict(old.kwargs) if kwargs is None else kwargs
    issues = check_arguments(spec, new_kwargs)
    if issues:
        raise InvalidQueryError(issues)
    if old.args:
        raise CannotRetryError("Cannot replay job: it has positional arguments")
    if old.state not in REPLAYABLE:
        raise CannotRetryError(f"Cannot replay job: it is {old.state.value}")
    answer = ReplayResult(
        replay_of=job_id,
        queue=queue,
        task=old.task,
        kwargs=new_kwargs,
        old_kwargs=old.kwargs,
        dry_run=dry_run,
    )
    if dry_run:
        return answer
    new_id = rt.enqueue(old.task, **new_kwargs)
    replays.link(rt.registry.store, new_id, job_id, rt.registry.now())
    return answer.model_copy(update={"job_id": new_id})


def replay_target(queue: str, job_id: str, result: ReplayResult | None = None) -> str:
    """The audit record's words: the old job, then (once done) the new one it links."""
    text = f"{queue}/{job_id}"
    return text if result is None else f"{text} -> {result.job_id}"
