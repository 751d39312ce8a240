"""Switching the app between the config file's profiles without a restart, as k9s
switches contexts: the old Monitor closes, a new one opens, every screen starts afresh
on it, and the header names the new profile in its colour.

A worker the app started belongs to the old profile's queues: it is stopped (and the
stop audited) before the switch. Profiles are read again from the file at each switch,
with the environment's overrides but not the command line's (an --api-url given at
start-up applies to the profile it started on only).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.screen import Screen

from ygmon.config import LocalProfile, Settings, _file_tables, _read_toml, load_settings
from ygmon.errors import YgmonError

if TYPE_CHECKING:
    from ygmon.app import YgmonApp


class ProfileSwitcher:
    """The profiles of one config file (or the built-in `local` without a file)."""

    def __init__(self, source: Path | None) -> None:
        self.source = source

    def names(self) -> list[str]:
        if self.source is None:
            return ["local"]
        _default, profiles = _file_tables(_read_toml(self.source), str(self.source))
        names = list(profiles)
        return names if "local" in names else [*names, "local"]

    def settings(self, name: str) -> Settings:
        """ConfigError (naming the file and key) when the profile does not validate."""
        return load_settings(config=str(self.source) if self.source else None, profile=name)

    def described(self) -> list[tuple[str, str]]:
        """(name, what it reads) for the picker; a broken profile says why."""
        from ygmon.profile_targets import redact

        described = []
        for name in self.names():
            try:
                profile = self.settings(name).profile
            except YgmonError as exc:
                # The file is the one in use: the picker keeps the key and the reason.
                described.append((name, f"invalid: {exc.message.split(': ', 1)[-1]}"))
                continue
            if isinstance(profile, LocalProfile):
                what = f"local {redact(profile.database_url)}"
            else:
                what = f"remote {profile.api_url}"
            if profile.read_only:
                what += " (read-only)"
            described.append((name, what))
        return described


async def switch_profile(app: YgmonApp, name: str) -> bool:
    """Move `app` to profile `name`; False (and a notification) when it cannot be read."""
    from ygmon.monitor.factory import make_monitor
    from ygmon.profile_targets import target_of, worker_command
    from ygmon.tui.local_worker import LocalWorker
    from ygmon.tui.refresh_policy import RefreshPolicy
    from ygmon.tui.worker_actions import stop_worker

    switcher = app.switcher
    if switcher is None:
        return False
    try:
        settings = switcher.settings(name)
        monitor = make_monitor(settings)
    except YgmonError as exc:
        app.notify(exc.message, title=f"Profile {name} not opened", severity="error")
        return False
    if app.local_worker is not None and app.local_worker.running:
        try:
            await stop_worker(app, reason="profile switch")
        except YgmonError as exc:  # the audit could not be written: the worker still stops
            app.notify(exc.message, title="Worker stop not audited", severity="warning")
            await app.local_worker.stop()
    old = app.monitor
    app.monitor = monitor
    app.apply_settings(settings, target_of(settings))
    app.local_worker = (
        LocalWorker(worker_command(settings)) if monitor.SUPPORTS_LOCAL_WORKER else None
    )
    await old.close()
    await fresh_screens(app)
    app.start_alert_checks()
    # The screens thrown away on the way polled too: their failures are not the new
    # profile's backoff. One poll of the screen in front starts it.
    app.policy = RefreshPolicy(interval=settings.profile.refresh_interval)
    app.action_refresh_now()
    app.notify(f"Now on profile {name}: {app.target}", title="Profile switched")
    return True


async def fresh_screens(app: YgmonApp) -> None:
    """Every mode's screens rebuilt over the new monitor, the current one in front again:
    no screen may keep the old profile's rows (a failing first poll would show them as
    merely stale)."""
    current = app.current_mode
    makers: dict[str, Callable[[], Screen]] = dict(type(app).MODES)
    spare = "overview" if current != "overview" else "queues"
    for mode, make in makers.items():
        if mode != current:
            await app.remove_mode(mode)
            app.add_mode(mode, make)
    await app.switch_mode(spare)
    await app.remove_mode(current)
    app.add_mode(current, makers[current])
    await app.switch_mode(current)
    await app.remove_mode(spare)
    app.add_mode(spare, makers[spare])
