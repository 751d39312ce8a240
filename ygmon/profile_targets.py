"""What the terminal app and the CLI both derive from resolved settings: where a profile
points, as the header and the messages name it (passwords hidden), and the `ygmon
worker` command that serves the same profile, and the local profile a local-only command
needs.

Below both the UI and ygmon.commands, so a profile switch in the app needs no CLI
module; the monitor names its database and broker with the same `redact`.
"""

from __future__ import annotations

import sys
from urllib.parse import urlsplit, urlunsplit

from ygmon.config import LocalProfile, Settings
from ygmon.errors import ConfigError


def redact(url: str) -> str:
    """The URL with any password hidden, fit to print."""
    try:
        parts = urlsplit(url)
    except ValueError:  # a bad IPv6 host
        parts = None
    if parts is None or not parts.netloc:
        # Not a URL with a host: whatever precedes an '@' may be a password.
        return url.split("@")[-1]
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def target_of(settings: Settings) -> str:
    """What the header names beside the profile: the backend's kind and where it is (a
    profile named `local` turned remote by --api-url must not read as local)."""
    profile = settings.profile
    if isinstance(profile, LocalProfile):
        return f"local: {redact(profile.database_url)}"
    return f"remote: {profile.api_url}"


def worker_command(settings: Settings) -> list[str]:
    """`ygmon worker` with the same config file and profile as this app."""
    command = [sys.executable, "-m", "ygmon"]
    if settings.source is not None:
        command += ["--config", str(settings.source)]
    return [*command, "--profile", settings.profile_name, "worker"]


def local_profile(settings: Settings, command: str) -> LocalProfile:
    """The profile of `ygmon COMMAND`, which only a local profile can run."""
    if not isinstance(settings.profile, LocalProfile):
        raise ConfigError(
            f"config error: 'ygmon {command}' needs a local profile, "
            f"and '{settings.profile_name}' is remote"
        )
    return settings.profile
