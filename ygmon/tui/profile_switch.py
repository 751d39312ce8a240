"""The config file's profiles, for switching the app between them without a restart, as k9s
switches contexts: the old Monitor closes, a new one opens, every screen starts afresh
on it, and the header names the new profile in its colour (YgmonApp.switch_profile).

A worker the app started belongs to the old profile's queues: it is stopped (and the
stop audited) before the switch. Profiles are read again from the file at each switch,
with the environment's overrides but not the command line's (an --api-url given at
start-up applies to the profile it started on only).
"""

from __future__ import annotations

from pathlib import Path

from ygmon.config import LocalProfile, Settings, _file_tables, _read_toml, load_settings
from ygmon.errors import YgmonError


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
