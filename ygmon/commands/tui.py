"""Plain `ygmon`: open the terminal app on the configured (or --api-url) backend."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ygmon.commands.common import settings_from
from ygmon.config import Settings
from ygmon.profile_targets import target_of, worker_command

if TYPE_CHECKING:
    from ygmon.app import YgmonApp
    from ygmon.tui.ui_config import UiConfig


def make_app(
    settings: Settings, ui: UiConfig | None = None, notes: list[tuple[str, str]] | None = None
) -> YgmonApp:
    """The app `ygmon` opens on `settings`, with the config file's profiles to switch to
    (tests build it here too; `ui`: tests' frozen clock; `notes`: what `ygmon demo` set
    up, shown in help)."""
    from ygmon.app import YgmonApp
    from ygmon.monitor.factory import make_monitor
    from ygmon.tui.profile_switch import ProfileSwitcher
    from ygmon.tui.ui_config import UiConfig

    return YgmonApp(
        make_monitor(settings, live=True),
        target=target_of(settings),
        ui=ui or UiConfig(refresh_interval=settings.profile.refresh_interval),
        worker_command=worker_command(settings),
        profile_name=settings.profile_name,
        profile_colour=settings.profile.colour,
        export_dir=settings.profile.export_dir,
        links=settings.profile.links,
        slo=settings.profile.slo,
        switcher=ProfileSwitcher(settings.source),
        notes=notes,
    )


def run(args: argparse.Namespace, notes: list[tuple[str, str]] | None = None) -> int:
    from ygmon.tui import launch_gc

    launch_gc.pause()  # the first screen's first poll resumes it
    try:
        # Textual is imported here so the other subcommands start without it.
        app = make_app(settings_from(args), notes=notes)
        app.run()
    finally:
        launch_gc.resume()  # an app that ended (or failed) before its first poll
    return app.return_code or 0
