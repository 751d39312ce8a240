"""`ygmon queues pause|resume NAME` (registered by ygmon.commands.queues, whose bare
`ygmon queues` lists the counts): stop a queue's workers taking new jobs, on every
host, until it is resumed (running jobs finish). Through the Monitor, so a remote
profile pauses the server's queue; a read-only backend refuses with its reason."""

from __future__ import annotations

import argparse

from ygmon.commands.common import naming
from ygmon.commands.listing import ask


def add_actions(parser: argparse.ArgumentParser) -> None:
    """`pause NAME` and `resume NAME` under `ygmon queues`."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=False)
    for action, words in (
        ("pause", "stop its workers taking new jobs (running ones finish)"),
        ("resume", "let its workers take jobs again"),
    ):
        one = actions.add_parser(action, help=words)
        one.add_argument("queue", metavar="NAME", help="the queue (ygmon status lists them)")
        one.add_argument("--json", action="store_true", help="print JSON")
        one.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import json

    def act(monitor):
        if args.action == "pause":
            return monitor.pause_queue(args.queue)
        return monitor.resume_queue(args.queue)

    with naming("queue", args.queue, "ygmon queues"):
        result = ask(args, act)
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
    elif result.paused:
        by = f" by {result.paused_by}" if result.paused_by else ""
        print(f"{result.queue}: paused{by} (its workers take no new job until resumed)")
    else:
        print(f"{result.queue}: running (its workers take jobs again)")
    return 0
