"""`ygmon failed [--csv | --json]`: every failed job across the queues, newest failure
first (the Failed screen's list, all of it). In text, one job a line: the error's line
breaks escaped and the error cut at ERROR_CHARS; --json and --csv carry it whole."""

from __future__ import annotations

import argparse

from ygmon.commands.listing import add_format_flags, ask, print_rows
from ygmon.commands.table import cut, one_line, when

ERROR_CHARS = 100


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
            when(j.finished_at),
            j.queue,
            j.id,
            j.task,
            cut(one_line(j.error_message), ERROR_CHARS),
        ),
        ("FAILED", "QUEUE", "ID", "TASK", "ERROR"),
    )
