"""`ygmon queues pause|resume NAME` and `ygmon queues limit NAME N [--per-host] |
--clear` (registered by ygmon.commands.queues, whose bare `ygmon queues` lists the
counts): stop a queue's workers taking new jobs, on every host, until it is resumed
(running jobs finish); hold the queue to at most N active jobs across the deployment
(or on each host) while its workers run. Through the Monitor, so a remote profile
changes the server's queue; a read-only backend refuses with its reason."""

from __future__ import annotations

import argparse

from ygmon.commands.common import add_amount, add_named_action
from ygmon.commands.listing import act_on
from ygmon.queues import MAX_LIMIT


def add_actions(parser: argparse.ArgumentParser) -> None:
    """`pause NAME`, `resume NAME` and `limit NAME N | --clear` under `ygmon queues`."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=False)
    for action, words in (
        ("pause", "stop its workers taking new jobs (running ones finish)"),
        ("resume", "let its workers take jobs again"),
    ):
        add_named_action(actions, action, words, "queue", "ygmon status").set_defaults(handler=run)
    words = "at most N of its jobs active at once, while its workers run"
    limit = add_named_action(actions, "limit", words, "queue", "ygmon status")
    add_amount(limit, "limit", "LIMIT", MAX_LIMIT, "jobs active at once", "drop the limit")
    limit.add_argument(
        "--per-host", action="store_true", help="on each host (default: across the deployment)"
    )
    limit.set_defaults(handler=run_limit)


def run(args: argparse.Namespace) -> int:
    def act(monitor):
        if args.action == "pause":
            return monitor.pause_queue(args.queue)
        return monitor.resume_queue(args.queue)

    result = act_on(args, "queue", args.queue, "ygmon queues", act)
    if result is None:
        return 0
    if result.paused:
        by = f" by {result.paused_by}" if result.paused_by else ""
        print(f"{result.queue}: paused{by} (its workers take no new job until resumed)")
    else:
        print(f"{result.queue}: running (its workers take jobs again)")
    return 0


def run_limit(args: argparse.Namespace) -> int:
    if (args.limit is None) == (not args.clear):
        args.parser.error("give a LIMIT or --clear (not both)")
    if args.clear and args.per_host:
        args.parser.error("--per-host sets a limit's scope; --clear drops the limit")
    scope = "host" if args.per_host else "deployment"

    def act(monitor):
        if args.clear:
            return monitor.clear_queue_limit(args.queue)
        return monitor.set_queue_limit(args.queue, args.limit, scope)

    result = act_on(args, "queue", args.queue, "ygmon queues", act)
    if result is None:
        return 0
    if result.limit is None:
        print(f"{result.queue}: no limit (its own concurrency applies)")
    else:
        where = "on each host" if result.scope == "host" else "across the deployment"
        print(f"{result.queue}: at most {result.limit} active {where}")
    return 0
