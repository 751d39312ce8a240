"""`ygmon jobs show ID` (ygmon.commands.job_show) and `ygmon jobs search WORDS [--queue Q]
[--state S] [--since T] [--until T] [--page N]
[--json | --csv]`: jobs of every queue matching the words (task, argument values, error, id
prefix or suffix), newest first, one page of them. Goes through the Monitor, so a remote
profile searches the server's registry.

Text is a table (ygmon.commands.table) and a last line naming the page; --json is the
page's jobs as an array (as every --json list is) and --csv the same rows, as `e`
exports them.
"""

from __future__ import annotations

import argparse
from datetime import datetime

from ygmon.cli_numbers import integer
from ygmon.commands import job_replay, job_show
from ygmon.commands.common import naming
from ygmon.commands.failed import ERROR_CHARS
from ygmon.commands.listing import ask
from ygmon.commands.table import cut, exported, one_line, print_table, when
from ygmon.errors import ConfigError

WORDS_HELP = "words of the task, arguments or error, or an id prefix/suffix (none: all jobs)"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("jobs", help="find jobs in the registry")
    actions = parser.add_subparsers(dest="jobs_action", metavar="ACTION", required=True)
    search = actions.add_parser("search", help="search jobs by id, task, arguments or error")
    search.add_argument("words", metavar="WORDS", nargs="*", help=WORDS_HELP)
    search.add_argument("--queue", metavar="Q", help="only this queue")
    search.add_argument(
        "--state",
        metavar="S",
        help="waiting, delayed, active, completed, failed or cancelled",
    )
    search.add_argument("--since", metavar="T", help="changed at or after (ISO 8601)")
    search.add_argument("--until", metavar="T", help="changed at or before (ISO 8601)")
    search.add_argument(
        "--page", type=integer(1, 1_000_000), default=1, metavar="N", help="page (50 jobs each)"
    )
    formats = search.add_mutually_exclusive_group()
    formats.add_argument(
        "--json", action="store_true", help="print the page's jobs as a JSON array"
    )
    formats.add_argument(
        "--csv", action="store_true", help="print the page's jobs as CSV (as `e` exports)"
    )
    search.set_defaults(handler=run_search)
    job_show.register(actions)
    job_replay.register(actions)


def _time(value: str | None, option: str) -> datetime | None:
    from ygmon.monitor.job_search_schemas import parse_time

    if value is None:
        return None
    try:
        return parse_time(value)
    except ValueError:
        raise ConfigError(
            f"{option} {value!r} is not an ISO 8601 time (e.g. 2026-03-04T12:00Z)"
        ) from None


def run_search(args: argparse.Namespace) -> int:
    from ygmon.monitor.job_search_schemas import QUERY_MAX_CHARS, JobQuery
    from ygmon.monitor.schemas import JobState

    states = [s.value for s in JobState]
    if args.state is not None and args.state not in states:
        raise ConfigError(f"unknown state {args.state!r} (states: {', '.join(states)})")
    if args.page < 1:
        raise ConfigError("--page must be 1 or more")
    text = " ".join(args.words)
    if len(text) > QUERY_MAX_CHARS:
        raise ConfigError(f"the search is {len(text)} characters; at most {QUERY_MAX_CHARS}")
    query = JobQuery(
        q=text,
        queue=args.queue,
        state=JobState(args.state) if args.state else None,
        since=_time(args.since, "--since"),
        until=_time(args.until, "--until"),
        page=args.page,
    )
    with naming("queue", args.queue, "ygmon queues"):
        page = ask(args, lambda monitor: monitor.search_jobs(query))
    from ygmon.monitor.schemas import JobSummary

    if exported(args, page.data, JobSummary):
        return 0
    print_table(
        ("ID", "QUEUE", "TASK", "STATE", "CHANGED", "ERROR"),
        (
            (
                job.id,
                job.queue,
                job.task,
                job.state.value,
                when(job.finished_at or job.enqueued_at),
                cut(one_line(job.error_message), ERROR_CHARS),
            )
            for job in page.data
        ),
    )
    shown = f"page {page.pagination.page} of {max(page.pagination.total_pages, 1)}"
    print(f"{page.pagination.total:,} matching jobs ({shown})")
    return 0
