"""The blog pipeline's Huey tasks (thin wrappers of ygmon.pipelines.blog) and its
`ygmon enqueue publish-posts` command.

Pipeline code is imported inside each task function: the runtime imports this module
in every producer (the API, the CLI, the demo), which need the specs, not the work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ygmon.errors import ConfigError
from ygmon.jobs.tasks.spec import EnqueueCommand, TaskSpec

if TYPE_CHECKING:
    from ygmon.jobs.job_context import Producer

QUEUE = "blog-scheduled-publishing"


def publish_scheduled_posts() -> dict[str, Any]:
    """Publish the due posts; two runs at once publish each post once (a conditional
    UPDATE), and a re-run finds nothing left to publish."""
    from ygmon.jobs.job_context import current_job
    from ygmon.pipelines.blog.publish import publish_due_posts

    ctx = current_job()
    return ctx.run(publish_due_posts(ctx.database, ctx.enqueue, ctx.now()))


def _enqueue_publish(
    runtime: Producer, values: list[str], delay: float | None
) -> list[tuple[str, str]]:
    if values:
        raise ConfigError(f"enqueue publish-posts: takes no arguments, got {' '.join(values)}")
    return [(runtime.enqueue("publish-scheduled-posts", delay=delay), QUEUE)]


TASKS: tuple[TaskSpec, ...] = (
    TaskSpec(
        "publish-scheduled-posts",
        QUEUE,
        publish_scheduled_posts,
        "publish the blog posts whose scheduled time has passed",
        schedule="minutely",
    ),
)
ENQUEUE: tuple[EnqueueCommand, ...] = (
    EnqueueCommand("publish-posts", "publish the due blog posts now", _enqueue_publish),
)
