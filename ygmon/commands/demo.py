"""`ygmon demo [--no-tui | --follow] [--force] [--seed N]`: the newcomer's first run.

The work lives in ygmon.demo (imported only when this command runs, so other subcommands
do not pay for the seeding code at start-up); the demo is handed the app and the status
to show, so it imports no command.
"""

from __future__ import annotations

import argparse
import copy
import sys

from ygmon.cli_numbers import integer
from ygmon.commands.common import settings_from


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "demo",
        help="create a seeded demo database, enqueue jobs, start a worker and the app",
        description="Create a fresh local SQLite database with realistic demo data and media, "
        "enqueue a mix of canary jobs, then start a local worker and open the app.",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--no-tui", action="store_true", help="print a summary and exit")
    mode.add_argument(
        "--follow",
        action="store_true",
        help="start the worker and print `ygmon status` every 2 s instead of opening the app",
    )
    parser.add_argument(
        "--force", action="store_true", help="replace a database that already holds data"
    )
    parser.add_argument(
        "--seed", type=integer(0, 2**32 - 1), default=7, help="random seed of the data (default 7)"
    )
    parser.set_defaults(handler=run)


ACT_ON = ("jobs", "admin user", "notifications")
"""The demo's notes an admin acts on in the app: the failing jobs and their fix file, the
user to sign in as, where e-mails land."""


def run(args: argparse.Namespace) -> int:
    from ygmon.commands import status, tui
    from ygmon.demo.command import create_demo, print_summary, summary_lines
    from ygmon.demo.fresh_database import DatabaseNotEmptyError
    from ygmon.demo.live import FIX_AFTER, run_live

    settings = settings_from(args)
    try:
        result = create_demo(settings, force=args.force, seed=args.seed)
    except DatabaseNotEmptyError as exc:
        print(f"ygmon: {exc}", file=sys.stderr)
        return 2
    if args.no_tui:
        print_summary(summary_lines(settings, result))
        print("next           'ygmon worker' runs the jobs; 'ygmon' opens the app")
        return 0
    # The app shows the same notes in its help (`?`): the terminal's copy is hidden
    # while the app owns it.
    notes = summary_lines(settings, result, FIX_AFTER)
    print_summary(notes)
    # In help, what an admin acts on comes first (at 80x24 the rest is a scroll away).
    notes.sort(key=lambda note: note[0] not in ACT_ON)
    status_args = copy.copy(args)
    status_args.json = False
    return run_live(
        args,
        settings,
        fix_file=result.fix_file,
        follow=args.follow,
        open_app=lambda: int(tui.run(args, notes=notes) or 0),
        print_status=lambda: status.run(status_args),
    )
