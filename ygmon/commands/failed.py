"""`ygmon failed [--csv | --json]`: every failed job across the queues, newest failure
first (the Failed screen's list, all of it)."""

from __future__ import annotations

import argparse

from ygmon.commands.listing import add_format_flags, ask, print_rows


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("failed", help="list the failed jobs (--csv / --json to export)")
    add_format_flags(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ygmon.monitor.export import failed_rows
    from ygmon.monitor.schemas import JobSummary

    rows = ask(args, failed_rows)
    return print_rows(
        args,
        rows,
        JobSummary,
        lambda j: (
            j.finished_at.isoformat() if j.finished_at else "",
            j.queue,
            j.id,
            j.task,
            (j.error_message or "")[:60],
        ),
        ("FAILED AT", "QUEUE", "ID", "TASK", "ERROR"),
    )
