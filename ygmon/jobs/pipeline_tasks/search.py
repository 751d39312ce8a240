"""The search pipeline's Huey tasks (thin wrappers of ygmon.pipelines.search) and its
`ygmon enqueue` commands. Filled in by issue 10.

Pipeline code is imported inside each task function: the runtime imports this module
in every producer (the API, the CLI, the demo), which need the specs, not the work.
"""

from __future__ import annotations

from ygmon.jobs.task_spec import EnqueueCommand, TaskSpec

TASKS: tuple[TaskSpec, ...] = ()
ENQUEUE: tuple[EnqueueCommand, ...] = ()
