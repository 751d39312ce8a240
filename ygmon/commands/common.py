"""What every subcommand needs: the resolved settings (a redacted URL for display and the
local profile of a local-only command are in ygmon.profile_targets)."""

from __future__ import annotations

import argparse

from ygmon.config import Settings, load_settings
from ygmon.errors import ConfigError


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


def require_positive(value: float, message: str) -> None:
    """ConfigError(message) unless `value` (a wait, a lifetime) is above 0."""
    if value <= 0:
        raise ConfigError(message)
