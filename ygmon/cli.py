"""The `ygmon` console script: global options, then one subcommand module each.

Subcommands live in ygmon/commands/, one module per command, each with
`register(subparsers)`; plain `ygmon` opens the terminal app.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from ygmon import __version__
from ygmon.errors import ConfigError, YgmonError

COMMAND_MODULES = (
    "ygmon.commands.status",
    "ygmon.commands.db",
    "ygmon.commands.demo",
    "ygmon.commands.worker",
    "ygmon.commands.enqueue",
    "ygmon.commands.serve",
    "ygmon.commands.token",
    "ygmon.commands.search",
    "ygmon.commands.assets",
    "ygmon.commands.notify",
    "ygmon.commands.outbox",
    "ygmon.commands.failed",
    "ygmon.commands.logs",
    "ygmon.commands.queues",
    "ygmon.commands.tasks",
    "ygmon.commands.audit",
    "ygmon.commands.schedules",
    "ygmon.commands.alerts",
    "ygmon.commands.jobs",
)


# Global options that take a value: skipped when looking for the command's name.
_VALUED_OPTIONS = frozenset({"--config", "--profile", "--api-url", "--token"})


def command_named(argv: Sequence[str]) -> str | None:
    """The subcommand `argv` runs, when it names one of COMMAND_MODULES."""
    args = iter(argv)
    for arg in args:
        if arg in _VALUED_OPTIONS:
            next(args, None)
        elif not arg.startswith("-"):
            return arg if f"ygmon.commands.{arg}" in COMMAND_MODULES else None
    return None


def _opens_the_app(argv: Sequence[str]) -> bool:
    """True when `argv` names no command and asks for no help: `ygmon` opens the app,
    and none of the commands' modules (or their parsers) need importing."""
    args = iter(argv)
    for arg in args:
        if arg in _VALUED_OPTIONS:
            next(args, None)
        elif arg in ("-h", "--help") or not arg.startswith("-"):
            return False
    return True


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole parser, or with only subcommand `only` registered ("" for none): each
    parser costs about a millisecond to build, and `ygmon status` has 50 ms for its
    whole answer."""
    parser = argparse.ArgumentParser(
        prog="ygmon", description="Monitor and run the platform's background jobs."
    )
    parser.add_argument("--version", action="version", version=f"ygmon {__version__}")
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="config file (default: $YGMON_CONFIG, ./ygmon.toml, ~/.config/ygmon/config.toml)",
    )
    parser.add_argument(
        "--profile",
        metavar="NAME",
        help="profile (default: $YGMON_PROFILE, the file's default_profile, else 'local')",
    )
    remote = parser.add_argument_group("remote backend (no config file needed)")
    remote.add_argument("--api-url", metavar="URL", help="read a remote `ygmon serve` at URL")
    remote.add_argument("--token", metavar="JWT", help="bearer token of an ADMIN user")
    remote.add_argument("--read-only", action="store_true", default=None, help="never send a retry")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        if only is None or name == f"ygmon.commands.{only}":
            importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    # ygmon uses no pydantic plugin, and looking for them reads the metadata of every
    # installed package at the first model a command validates (about 25 ms of the
    # app's start). PYDANTIC_DISABLE_PLUGINS set, even empty, is left as it is.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    parser = build_parser("" if _opens_the_app(argv) else command_named(argv))
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        handler = _default_handler(parser)
    try:
        return int(handler(args) or 0)
    except ConfigError as exc:
        print(f"ygmon: {exc}", file=sys.stderr)
        return 2
    except YgmonError as exc:
        print(f"ygmon: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `ygmon status | head`: the reader left; Python's docs recipe keeps the
        # interpreter from failing again while flushing stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _default_handler(parser: argparse.ArgumentParser):
    try:
        return importlib.import_module("ygmon.commands.tui").run
    except ModuleNotFoundError:
        return lambda _args: parser.print_help()


if __name__ == "__main__":
    sys.exit(main())
