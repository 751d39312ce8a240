"""The tasks ygmon can enqueue by name, each on its queue, and the `ygmon enqueue`
commands that trigger them.

Delivery is at least once (a stalled job runs again), so every task says in its
docstring how a second run is harmless. ygmon's own `canary` lives here; each pipeline
declares its tasks in ygmon/jobs/tasks/<name>.py (thin wrappers of the
services in ygmon/pipelines/<name>/), gathered below.
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ygmon.cli_numbers import seconds
from ygmon.errors import ConfigError
from ygmon.jobs.tasks import analytics, backfill, blog, media, notifications, search
from ygmon.jobs.tasks.spec import EnqueueCommand, TaskSpec, UnknownTaskError, WorkerStartHook

if TYPE_CHECKING:
    from ygmon.jobs.job_context import Producer

_log = logging.getLogger("ygmon.canary")

# How often a worker trims history beyond the contract's retention (runtime's
# sweep-retention). Each finish trims its own queue already; this catches queues that
# went quiet while their jobs aged out.
RETENTION_CRON = "*/5 * * * *"

__all__ = [
    "ENQUEUE_COMMANDS",
    "RETENTION_CRON",
    "TASKS",
    "WORKER_START_HOOKS",
    "TaskSpec",
    "UnknownTaskError",
    "task_spec",
]


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
        # A line of its own log, so a failed probe's detail shows what it did.
        _log.warning("canary: slept %ss, failing as asked", float(seconds))
        raise RuntimeError("canary asked to fail")
    if fail_unless is not None and not Path(fail_unless).exists():
        raise RuntimeError(f"canary: {fail_unless} does not exist")
    if seconds:
        _log.info("canary: slept %ss", float(seconds))
    return {"slept": float(seconds)}


def _enqueue_canary(
    runtime: Producer, values: list[str], delay: float | None
) -> list[tuple[str, str]]:
    parser = argparse.ArgumentParser(prog="ygmon enqueue canary", exit_on_error=False)
    parser.add_argument("--seconds", type=seconds, default=0.0, help="how long the job sleeps")
    parser.add_argument("--fail", action="store_true", help="raise after sleeping")
    try:
        parsed = parser.parse_args(values)
    except argparse.ArgumentError as exc:
        raise ConfigError(f"enqueue canary: {exc}") from None
    if parsed.seconds < 0:
        raise ConfigError("enqueue canary: --seconds must not be negative")
    job_id = runtime.enqueue("canary", delay=delay, seconds=parsed.seconds, fail=parsed.fail)
    return [(job_id, "maintenance")]


_MODULES = (analytics, search, media, notifications, blog, backfill)

TASKS: dict[str, TaskSpec] = {
    spec.name: spec
    for spec in (
        TaskSpec(
            "canary", "maintenance", canary, "sleep --seconds S on `maintenance` (health probe)"
        ),
        *(spec for module in _MODULES for spec in module.TASKS),
    )
}

ENQUEUE_COMMANDS: dict[str, EnqueueCommand] = {
    command.name: command
    for command in (
        EnqueueCommand("canary", "sleep --seconds S on `maintenance`", _enqueue_canary),
        *(command for module in _MODULES for command in module.ENQUEUE),
    )
}


WORKER_START_HOOKS: tuple[WorkerStartHook, ...] = tuple(
    hook for module in _MODULES if (hook := getattr(module, "on_worker_start", None)) is not None
)
"""Each pipeline module may define `on_worker_start(runtime, queues)`: called once by a
worker process as it starts, before its consumers run (catch-up of missed schedules)."""


def task_spec(name: str) -> TaskSpec:
    spec = TASKS.get(name)
    if spec is None:
        raise UnknownTaskError(f"unknown task '{name}' (known tasks: {', '.join(sorted(TASKS))})")
    return spec
