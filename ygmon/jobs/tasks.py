"""The tasks ygmon can enqueue by name, each on its queue.

Delivery is at least once (a stalled job runs again), so every task says in its
docstring how a second run is harmless. The platform's pipelines (digest, reindex,
aggregate, preview) arrive with their own issues; until then their queues exist
(counts, health) but no task is registered on them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ygmon.errors import ConfigError


@dataclass(frozen=True)
class TaskSpec:
    name: str
    queue: str
    func: Callable[..., Any]
    summary: str


class UnknownTaskError(ConfigError):
    """`ygmon enqueue` or JobRuntime.enqueue was given a task name no queue runs."""


def canary(
    seconds: float = 0, fail: bool = False, fail_unless: str | None = None
) -> dict[str, Any]:
    """Sleep `seconds`, then return (or raise when `fail`): an end-to-end probe.

    `fail_unless=PATH` raises while PATH does not exist, so a test (or an operator) can
    fix the cause and retry the failed job. Idempotent: it reads and writes nothing, so
    running it twice changes nothing.
    """
    if seconds:
        time.sleep(float(seconds))
    if fail:
        raise RuntimeError("canary asked to fail")
    if fail_unless is not None and not Path(fail_unless).exists():
        raise RuntimeError(f"canary: {fail_unless} does not exist")
    return {"slept": float(seconds)}


TASKS: dict[str, TaskSpec] = {
    "canary": TaskSpec(
        "canary", "maintenance", canary, "sleep --seconds S on `maintenance` (health probe)"
    ),
}


def task_spec(name: str) -> TaskSpec:
    try:
        return TASKS[name]
    except KeyError:
        raise UnknownTaskError(
            f"unknown task '{name}' (known tasks: {', '.join(sorted(TASKS))})"
        ) from None
