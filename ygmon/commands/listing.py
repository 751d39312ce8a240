"""What the listing commands (failed, logs, queues, audit, jobs search) share: the `--csv` /
`--json` flags, one call of the monitor, and rows printed through the shared exporter."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from ygmon.commands.common import settings_from
from ygmon.commands.table import print_table

T = TypeVar("T")


def add_format_flags(parser: argparse.ArgumentParser) -> None:
    formats = parser.add_mutually_exclusive_group()
    formats.add_argument(
        "--csv", dest="format", action="store_const", const="csv", help="print CSV"
    )
    formats.add_argument(
        "--json", dest="format", action="store_const", const="json", help="print a JSON array"
    )


def ask(args: argparse.Namespace, question: Callable[[Any], Awaitable[T]]) -> T:
    """`question(monitor)` on the profile's monitor, closed afterwards."""
    from ygmon.monitor.factory import make_monitor

    settings = settings_from(args)

    async def run() -> T:
        monitor = make_monitor(settings)
        try:
            return await question(monitor)
        finally:
            await monitor.close()

    return asyncio.run(run())


def act_on(
    args: argparse.Namespace,
    what: str,
    name: str,
    listed_by: str,
    act: Callable[[Any], Awaitable[Any]],
) -> Any:
    """`act(monitor)` on the queue or task `name` (a backend's "not found" said again
    with the name, ygmon.commands.common.naming): with `--json` its answer is printed
    and None returned, else the answer is returned for the caller to say in words."""
    import json

    from ygmon.commands.common import naming

    with naming(what, name, listed_by):
        result = ask(args, act)
    if not args.json:
        return result
    print(json.dumps(result.to_json(), indent=2))
    return None


def print_rows(
    args: argparse.Namespace,
    rows: Sequence[Any],
    model: type,
    plain: Callable[[Any], Sequence[object]],
    headings: Sequence[str],
) -> int:
    """CSV or JSON through the exporter when asked, else an aligned table (one row a
    line, ygmon.commands.table)."""
    if args.format:
        from ygmon.monitor.export import ExportFormat, dumps

        print(dumps(rows, model, ExportFormat(args.format)), end="")
        return 0
    print_table(headings, (plain(row) for row in rows))
    return 0
