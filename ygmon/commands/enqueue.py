"""`ygmon enqueue NAME [ARGS]`: trigger a manual job on its queue and print its id.

The names and their arguments are the EnqueueCommands of ygmon.jobs.tasks (canary,
and each pipeline's own: aggregate, reindex, preview, digest, ...).
"""

from __future__ import annotations

import argparse

from ygmon.cli_numbers import seconds
from ygmon.commands.common import settings_from
from ygmon.errors import ConfigError
from ygmon.profile_targets import local_profile


def register(sub: argparse._SubParsersAction) -> None:
    from ygmon.jobs.tasks import ENQUEUE_COMMANDS

    parser = sub.add_parser("enqueue", help="enqueue a manual job (canary, ...)")
    parser.add_argument(
        "task", metavar="NAME", help=f"one of: {', '.join(sorted(ENQUEUE_COMMANDS))}"
    )
    parser.add_argument("args", nargs=argparse.REMAINDER, help="the command's own options")
    parser.add_argument("--delay", type=seconds, metavar="S", help="run no sooner than S seconds")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ygmon.jobs.runtime import open_runtime
    from ygmon.jobs.tasks import ENQUEUE_COMMANDS

    command = ENQUEUE_COMMANDS.get(args.task)
    if command is None:
        raise ConfigError(
            f"unknown task '{args.task}' (known tasks: {', '.join(sorted(ENQUEUE_COMMANDS))})"
        )
    profile = local_profile(settings_from(args), "enqueue")
    with open_runtime(profile) as runtime:
        enqueued = command.run(runtime, list(args.args), args.delay)
    for job_id, queue in enqueued:
        print(f"{job_id} enqueued on {queue}")
    if not enqueued:
        print("nothing to enqueue")
    return 0
