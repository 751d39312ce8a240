"""`ygmon demo [--no-tui | --follow] [--force] [--seed N]`: the newcomer's first run.

The work lives in ygmon.demo.command, imported only when this command runs, so other
subcommands do not pay for the seeding code at start-up.
"""

from __future__ import annotations

import argparse

from ygmon.cli_numbers import integer


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


def run(args: argparse.Namespace) -> int:
    from ygmon.demo.command import run as run_demo

    return run_demo(args)
