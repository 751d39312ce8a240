"""What every subcommand needs: the resolved settings (a redacted URL for display and the
local profile of a local-only command are in ygmon.profile_targets), and errors that
name what the user asked for."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from ygmon.config import Settings, load_settings
from ygmon.errors import ConfigError, NotFoundError


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings from the file and environment, then the command line's remote options."""
    return load_settings(
        config=args.config,
        profile=args.profile,
        overrides={
            "api_url": getattr(args, "api_url", None),
            "token": getattr(args, "token", None),
            "read_only": getattr(args, "read_only", None),
        },
    )


def day(text: str) -> date:
    """The argparse type of a day on the command line (YYYY-MM-DD), or a usage error."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expects a date YYYY-MM-DD, got {text!r}") from None


def require_positive(value: float, message: str) -> None:
    """ConfigError(message) unless `value` (a wait, a lifetime) is above 0."""
    if value <= 0:
        raise ConfigError(message)


def add_named_action(
    actions: argparse._SubParsersAction, action: str, words: str, what: str, listed_by: str
) -> argparse.ArgumentParser:
    """`ACTION NAME [--json]` of a queue or a task (`what`, kept as `args.<what>`),
    handled by its parser's `handler` default; the parser is `args.parser` (for usage
    errors found after parsing)."""
    one = actions.add_parser(action, help=words)
    one.add_argument(what, metavar="NAME", help=f"the {what} (`{listed_by}` lists them)")
    one.add_argument("--json", action="store_true", help="print JSON")
    one.set_defaults(parser=one)
    return one


def add_amount(
    parser: argparse.ArgumentParser, dest: str, metavar: str, high: int, unit: str, clear: str
) -> None:
    """A whole number 1 to `high` (`unit`, checked while parsing) or `--clear` (`clear`
    words): which one was given is the handler's to check (the parser's `error`)."""
    from ygmon.cli_numbers import integer

    parser.add_argument(
        dest, metavar=metavar, nargs="?", type=integer(1, high), help=f"{unit}, 1 to {high}"
    )
    parser.add_argument("--clear", action="store_true", help=clear)


@contextmanager
def naming(what: str, name: str | None, listed_by: str) -> Iterator[None]:
    """A backend's "Queue not found" (the API's body, kept as it is) said again with the
    name the user gave and the command that lists the known ones."""
    try:
        yield
    except NotFoundError as exc:
        if name is None or not exc.message.lower().startswith(f"{what} not found"):
            raise
        raise NotFoundError(f"{what} {name!r} not found (`{listed_by}` lists them)") from None
