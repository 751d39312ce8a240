"""`ygmon enqueue TASK [ARGS]`: put a manual job on its queue and print its id."""

from __future__ import annotations

import argparse

from ygmon.commands.common import local_profile, settings_from
from ygmon.errors import ConfigError


def _canary_args(values: list[str]) -> dict[str, object]:
    parser = argparse.ArgumentParser(prog="ygmon enqueue canary", exit_on_error=False)
    parser.add_argument("--seconds", type=float, default=0.0, help="how long the job sleeps")
    parser.add_argument("--fail", action="store_true", help="raise after sleeping")
    try:
        parsed = parser.parse_args(values)
    except argparse.ArgumentError as exc:
        raise ConfigError(f"enqueue canary: {exc}") from None
    if parsed.seconds < 0:
        raise ConfigError("enqueue canary: --seconds must not be negative")
    return {"seconds": parsed.seconds, "fail": parsed.fail}


# One argument parser per task; a task lands here with its pipeline's issue.
TASK_ARGS = {"canary": _canary_args}


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("enqueue", help="enqueue a manual job (canary, ...)")
    parser.add_argument("task", metavar="TASK", help=f"one of: {', '.join(sorted(TASK_ARGS))}")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="the task's options")
    parser.add_argument("--delay", type=float, metavar="S", help="run no sooner than S seconds")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ygmon.jobs.runtime import open_runtime
    from ygmon.jobs.tasks import task_spec

    spec = task_spec(args.task)  # one line listing the known tasks when unknown
    kwargs = TASK_ARGS[spec.name](args.args)
    profile = local_profile(settings_from(args), "enqueue")
    with open_runtime(profile) as runtime:
        job_id = runtime.enqueue(spec.name, delay=args.delay, **kwargs)
    print(f"{job_id} enqueued on {spec.queue}")
    return 0
