"""`ygmon search QUERY [--entity E] [--limit N] [--json | --csv]`: ranked hits of the search
index, each with its entity, id, title and a highlighted snippet: a table in text, the
hits as an array with --json (as every --json list is) or as CSV.

Goes through the Monitor, so a remote profile searches the server's index. A query
with operators or quotes is searched as its plain words; no input is an error.
"""

from __future__ import annotations

import argparse

from ygmon.commands.listing import ask
from ygmon.commands.table import exported, print_table


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("search", help="search the content index (assets, creators, ...)")
    parser.add_argument(
        "query",
        metavar="QUERY",
        nargs="+",
        help="words to find, the last may be a prefix (after `--` when it starts with -)",
    )
    parser.add_argument(
        "--entity",
        metavar="E",
        help="asset, creator, project, license or blog_post (default: all)",
    )
    parser.add_argument(
        # int already refuses nan and inf; check_search's one-line error names the range.
        "--limit",
        type=int,
        default=20,
        metavar="N",
        help="most hits (1-100)",
    )
    formats = parser.add_mutually_exclusive_group()
    formats.add_argument("--json", action="store_true", help="print the hits as a JSON array")
    formats.add_argument("--csv", action="store_true", help="print the hits as CSV")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ygmon.monitor.search import check_search
    from ygmon.monitor.search_schemas import SearchHit

    check_search(args.entity, args.limit)
    words = " ".join(args.query)
    results = ask(args, lambda monitor: monitor.search(words, args.entity, args.limit))
    if exported(args, results.hits, SearchHit):
        return 0
    print_table(
        ("ENTITY", "ID", "TITLE", "SNIPPET"),
        ((h.entity, h.id, h.title, " ".join((h.snippet or "").split())) for h in results.hits),
    )
    return 0
