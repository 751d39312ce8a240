"""`ygmon audit [--page N] [--page-size N] [--csv | --json]`: the recorded operator
actions, newest first: when, who (and from where), what, and the outcome."""

from __future__ import annotations

import argparse

from ygmon.commands.listing import add_format_flags, ask, print_rows
from ygmon.commands.table import when


def _bounded(most: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expects a whole number, got {text!r}") from None
        if not 1 <= value <= most:
            raise argparse.ArgumentTypeError(f"expects a number from 1 to {most}, got {value}")
        return value

    return parse


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("audit", help="list who retried, paused, ... what, and when")
    parser.add_argument("--page", type=_bounded(1_000_000), default=1, metavar="N")
    parser.add_argument("--page-size", type=_bounded(100), default=50, metavar="N", help="1-100")
    add_format_flags(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ygmon.monitor.audit_schemas import AuditRecord

    page = ask(args, lambda monitor: monitor.audit_log(args.page, args.page_size))
    print_rows(
        args,
        page.data,
        AuditRecord,
        lambda r: (
            when(r.at),
            r.actor + (f"@{r.address}" if r.address else ""),
            r.action,
            r.target,
            r.outcome + (f": {r.error}" if r.error else ""),
        ),
        ("AT", "WHO", "ACTION", "TARGET", "OUTCOME"),
    )
    if not args.format:
        # Last, as `ygmon jobs search` says its page: the header stays the first line.
        p = page.pagination
        print(f"page {p.page} of {max(p.total_pages, 1)} ({p.total} actions)")
    return 0
