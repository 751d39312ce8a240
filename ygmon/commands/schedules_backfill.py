"""`ygmon schedules backfill NAME --from D --to D [--mode missing|failed|all] [--dry-run]
[--max-running N] [--json]` (registered by ygmon.commands.schedules): re-run an
aggregation task over a range of its periods. The dry run lists each period with its
state on the coverage strip and what the backfill would do; the real run starts the
job that enqueues them oldest first, at most N at once. Through the Monitor, so a
remote profile backfills on the server."""

from __future__ import annotations

import argparse
import json

from ygmon.cli_numbers import integer
from ygmon.commands.common import day, naming
from ygmon.commands.listing import ask
from ygmon.commands.table import print_table
from ygmon.errors import ConfigError


def add_actions(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=False)
    one = actions.add_parser("backfill", help="re-run a task's periods over a range")
    one.add_argument("name", metavar="NAME", help="aggregate-hourly, -daily, -weekly or -monthly")
    one.add_argument("--from", dest="first", type=day, required=True, metavar="D")
    one.add_argument("--to", dest="last", type=day, required=True, metavar="D")
    one.add_argument("--mode", choices=("missing", "failed", "all"), default="missing")
    one.add_argument("--dry-run", action="store_true", help="list the periods, run nothing")
    one.add_argument(
        "--max-running",
        type=integer(1, 50),
        metavar="N",
        help="runs waiting or running at once (default: the profile's backfill_max_running)",
    )
    one.add_argument("--json", action="store_true", help="print JSON")
    one.set_defaults(handler=run_backfill)


def run_backfill(args: argparse.Namespace) -> int:
    from ygmon.monitor.backfill_schemas import BackfillMode, BackfillRequest

    if args.first > args.last:
        raise ConfigError("--from must be on or before --to")
    request = BackfillRequest(
        name=args.name,
        first=args.first,
        last=args.last,
        mode=BackfillMode(args.mode),
        max_running=args.max_running,
    )
    with naming("schedule", args.name, "ygmon schedules"):
        result = ask(args, lambda monitor: monitor.backfill(request, args.dry_run))
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
        return 0
    print_table(
        ("PERIOD", "STATE", "ACTION"),
        ((s.label, s.state.value, s.action) for s in result.slots),
    )
    done = "would run" if result.dry_run else "enqueued by job " + str(result.job_id)
    if not result.dry_run and not result.to_run:
        done = "nothing to run"
    print(
        f"{result.name} {result.first}..{result.last} ({result.mode.value}): "
        f"{result.to_run} of {len(result.slots)} periods {done}, "
        f"at most {result.max_running} at once"
    )
    return 0
