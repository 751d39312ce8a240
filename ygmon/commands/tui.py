"""Plain `ygmon`: open the terminal app on the configured (or --api-url) backend."""

from __future__ import annotations

import argparse
import sys

from ygmon.commands.common import redact, settings_from
from ygmon.config import LocalProfile, Settings


def worker_command(settings: Settings) -> list[str]:
    """`ygmon worker` with the same config file and profile as this app."""
    command = [sys.executable, "-m", "ygmon"]
    if settings.source is not None:
        command += ["--config", str(settings.source)]
    return [*command, "--profile", settings.profile_name, "worker"]


def target_of(settings: Settings) -> str:
    """What the header names: the backend's kind and where it is, then the profile (a
    profile named `local` turned remote by --api-url must not read as local)."""
    profile = settings.profile
    if isinstance(profile, LocalProfile):
        return f"local: {redact(profile.database_url)} (profile {settings.profile_name})"
    return f"remote: {profile.api_url} (profile {settings.profile_name})"


def run(args: argparse.Namespace) -> int:
    # Textual is imported here so the other subcommands start without it.
    from ygmon.app import YgmonApp
    from ygmon.monitor.factory import make_monitor
    from ygmon.tui.ui_config import UiConfig

    settings = settings_from(args)
    monitor = make_monitor(settings)
    app = YgmonApp(
        monitor,
        target=target_of(settings),
        ui=UiConfig(refresh_interval=settings.profile.refresh_interval),
        worker_command=worker_command(settings),
    )
    app.run()
    return app.return_code or 0
