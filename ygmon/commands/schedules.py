"""`ygmon schedules [--json]`: every periodic task, soonest next run first, with its cron,
last run (of any trigger), its trigger and outcome, next run and missed runs; `--trigger
NAME` enqueues one now, as its schedule would; `backfill NAME` re-runs a range of its
periods (ygmon.commands.schedules_backfill)."""

from __future__ import annotations

import argparse

from ygmon.commands import schedules_backfill
from ygmon.commands.common import naming
from ygmon.commands.listing import ask
from ygmon.commands.table import print_table, when


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("schedules", help="periodic tasks: last, next and missed runs")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--trigger", metavar="NAME", help="enqueue periodic task NAME now")
    parser.set_defaults(handler=run)
    schedules_backfill.add_actions(parser)


def run(args: argparse.Namespace) -> int:
    import json

    def question(monitor):
        if args.trigger:
            return monitor.trigger_schedule(args.trigger)
        return monitor.schedules()

    with naming("schedule", args.trigger, "ygmon schedules"):
        result = ask(args, question)
    if not args.trigger:
        # The soonest runs first: what happens next is what an operator reads this for.
        result = sorted(result, key=lambda s: (s.next_run_at, s.name))
    if args.trigger:
        if args.json:
            print(json.dumps(result.to_json(), indent=2))
        else:
            print(f"{result.name}: job {result.job_id} enqueued on {result.queue}")
        return 0
    if args.json:
        print(json.dumps([s.to_json() for s in result], indent=2))
        return 0
    print_table(
        ("TASK", "CRON", "LAST", "TRIGGER", "OUTCOME", "NEXT", "MISSED", "PAUSED"),
        (
            (
                s.name,
                s.cron,
                when(s.last_run_at),
                s.last_trigger or "",
                s.last_outcome or ("" if s.last_run_at is None else "?"),
                when(s.next_run_at),
                s.missed,
                "yes" if s.paused else "no",
            )
            for s in result
        ),
    )
    return 0
