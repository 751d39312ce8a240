"""What every subcommand needs: the resolved settings (a redacted URL for display is
ygmon.profile_targets.redact)."""

from __future__ import annotations

import argparse

from ygmon.config import LocalProfile, Settings, load_settings
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


def local_profile(settings: Settings, command: str) -> LocalProfile:
    if not isinstance(settings.profile, LocalProfile):
        raise ConfigError(
            f"config error: 'ygmon {command}' needs a local profile, "
            f"and '{settings.profile_name}' is remote"
        )
    return settings.profile
