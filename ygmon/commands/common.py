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
