"""`ygmon logs [--job-type T] [--status S] [--from D] [--to D] [--csv | --json]`: the
aggregation runs matching the filters, newest first (the Logs screen, every page)."""

from __future__ import annotations

import argparse

from ygmon.commands.common import day
from ygmon.commands.listing import add_format_flags, ask, print_rows
from ygmon.commands.table import when

STATUSES = ("RUNNING", "COMPLETED", "FAILED", "PARTIAL")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("logs", help="list the aggregation runs (--csv / --json)")
    parser.add_argument("--job-type", metavar="T", help="hourly, daily, weekly or monthly")
    parser.add_argument("--status", type=str.upper, choices=STATUSES, help="the run's status")
    parser.add_argument(
        "--from", dest="start", type=day, metavar="YYYY-MM-DD", help="periods from this day"
    )
    parser.add_argument(
        "--to", dest="end", type=day, metavar="YYYY-MM-DD", help="periods up to this day"
    )
    add_format_flags(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ygmon.monitor.export import log_rows
    from ygmon.monitor.schemas import LogQuery, MetricsAggregationJobLog

    query = LogQuery(
        job_type=args.job_type, status=args.status, start_date=args.start, end_date=args.end
    )
    rows = ask(args, lambda monitor: log_rows(monitor, query))
    return print_rows(
        args,
        rows,
        MetricsAggregationJobLog,
        lambda r: (
            r.job_type,
            r.period_text(),
            r.status.value,
            r.records_processed,
            when(r.started_at),
        ),
        ("TYPE", "PERIOD", "STATUS", "RECORDS", "STARTED"),
    )
