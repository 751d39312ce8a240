"""What a task is to the runtime (TaskSpec) and to `ygmon enqueue` (EnqueueCommand).

Kept apart from ygmon.jobs.tasks so that each pipeline's task module can declare its
specs without importing the list they are gathered into.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ygmon.errors import ConfigError

if TYPE_CHECKING:
    from ygmon.jobs.job_context import Producer


@dataclass(frozen=True)
class TaskSpec:
    name: str
    queue: str
    func: Callable[..., Any]
    summary: str
    schedule: str | None = None
    """Name of one of the queue's schedules (ygmon.queues): the task runs
    periodically on that cron, besides whenever it is enqueued."""
    params: Callable[..., Any] | None = None
    """What declares the task's keyword arguments when `func` takes **kwargs (a
    function or a functools.partial of one, whose signature and type hints say them):
    a replay's edited arguments are checked against it (ygmon.jobs.tasks.arguments)."""


class UnknownTaskError(ConfigError):
    """`ygmon enqueue` or JobRuntime.enqueue was given a task name no queue runs."""


EnqueueRun = Callable[["Producer", list[str], float | None], list[tuple[str, str]]]
"""(runtime, the command's own arguments, --delay seconds or None): parses the
arguments and enqueues; returns (job id, queue) per job enqueued."""


WorkerStartHook = Callable[["Producer", list[str]], None]
"""(runtime, the queues the starting worker runs)."""


@dataclass(frozen=True)
class EnqueueCommand:
    """`ygmon enqueue NAME ARGS...`: one manual trigger (it may enqueue several jobs,
    a backfill one per period). Bad arguments raise ConfigError with one line."""

    name: str
    summary: str
    run: EnqueueRun


def parse_arguments(
    parser: argparse.ArgumentParser, values: list[str], label: str
) -> argparse.Namespace:
    """An `ygmon enqueue` command's arguments, or ConfigError (one line, `label` first)
    for a bad or an unexpected one."""
    try:
        parsed, extra = parser.parse_known_args(values)
    except argparse.ArgumentError as exc:
        raise ConfigError(f"{label}: {exc}") from None
    if extra:
        raise ConfigError(f"{label}: unexpected arguments: {' '.join(extra)}")
    return parsed
