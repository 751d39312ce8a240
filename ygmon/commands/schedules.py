"""`ygmon schedules [--json]`: every periodic task, soonest next run first, with its cron,
last run (of any trigger), its trigger and outcome, next run and missed runs; `--trigger
NAME` enqueues one now, as its schedule would."""

from __future__ import annotations

import argparse

from ygmon.commands.common import settings_from


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("schedules", help="periodic tasks: last, next and missed runs")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--trigger", metavar="NAME", help="enqueue periodic task NAME now")
    parser.set_defaults(handler=run)


def _when(value) -> str:
    return "-" if value is None else value.strftime("%Y-%m-%d %H:%M")


def run(args: argparse.Namespace) -> int:
    import asyncio
    import json

    from ygmon.monitor.factory import make_monitor

    settings = settings_from(args)

    async def ask():
        monitor = make_monitor(settings)
        try:
            if args.trigger:
                return await monitor.trigger_schedule(args.trigger)
            return await monitor.schedules()
        finally:
            await monitor.close()

    result = asyncio.run(ask())
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
    print(
        f"{'TASK':<24} {'CRON':<12} {'LAST RUN':<16} {'TRIGGER':<11} {'OUTCOME':<10} "
        f"{'NEXT RUN':<16} MISSED"
    )
    for s in result:
        outcome = s.last_outcome or ("-" if s.last_run_at is None else "?")
        missed = str(s.missed) + (" (paused)" if s.paused else "")
        print(
            f"{s.name:<24} {s.cron:<12} {_when(s.last_run_at):<16} {s.last_trigger or '-':<11} "
            f"{outcome:<10} {_when(s.next_run_at):<16} {missed}"
        )
    return 0
