"""The command palette's profile commands: "Switch profile: NAME" for each profile of
the config file, the same switch as the picker on ctrl+o."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ygmon.errors import YgmonError

if TYPE_CHECKING:
    from ygmon.tui.monitor_app import MonitorApp


class ProfileCommands(Provider):
    app: MonitorApp

    async def _profiles(self) -> list[tuple[str, str]]:
        switcher = getattr(self.app, "switcher", None)
        if switcher is None:
            return []
        try:
            return await asyncio.to_thread(switcher.described)
        except YgmonError:
            return []

    def _command(self, name: str) -> Any:
        return partial(self.app.choose_profile, name)

    async def discover(self) -> Hits:
        for name, what in await self._profiles():
            yield DiscoveryHit(f"Switch profile: {name}", self._command(name), help=what)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, what in await self._profiles():
            text = f"Switch profile: {name}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), self._command(name), help=what)
