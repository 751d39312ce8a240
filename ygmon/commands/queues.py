"""`ygmon queues [--csv | --json]`: every queue's counts (the Queues screen); `ygmon
queues pause|resume NAME` and `ygmon queues limit NAME N` (ygmon.commands.queues_control)."""

from __future__ import annotations

import argparse

from ygmon.commands import queues_control
from ygmon.commands.listing import add_format_flags, ask, print_rows


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "queues", help="list every queue's counts (--csv / --json), or pause, resume or limit one"
    )
    add_format_flags(parser)
    parser.set_defaults(handler=run)
    queues_control.add_actions(parser)


def run(args: argparse.Namespace) -> int:
    from ygmon.monitor.schemas import QueueStats

    rows = ask(args, lambda monitor: monitor.queues())
    return print_rows(
        args,
        rows,
        QueueStats,
        lambda q: (
            q.name,
            "yes" if q.paused else "no",
            q.waiting,
            q.delayed,
            q.active,
            q.completed,
            q.failed,
        ),
        ("QUEUE", "PAUSED", "WAITING", "DELAYED", "ACTIVE", "COMPLETED", "FAILED"),
    )
