"""Building the screens not yet shown while the app is idle (a mixin of YgmonApp), so a
number key shows its screen at once, with data.

The app opens on one screen and imports no other. Once that screen has painted its
first data, and after WARM_AFTER seconds, the app builds each other data screen out of
sight, one at a time: its module, its widgets, and one poll of its data (PolledScreen
polls once when it is resumed out of sight). A screen the user opens first is simply
skipped. Nothing is warmed when the app refreshes only by hand (UiConfig.auto_refresh
False): such an app reads the backend only when asked. Over a remote API, whose reads
count against the user's request budget, the screens are built but read nothing ahead
(Monitor.READS_ARE_FREE): a key then costs the screen's first read, not its build.
"""

from __future__ import annotations

import asyncio
import importlib
import time
from typing import Any

from textual import work
from textual.screen import Screen

WARM_AFTER = 2.0
"""Seconds after the first data before the first screen is built: the first screen's
own layout and the user's first key come first."""
WARM_WAIT = 10.0
"""Longest wait for one screen's poll before the next screen is built."""


class LaterScreen:
    """A mode's screen, made from ygmon.screens.`module`.`name` on first use: the app
    starts without the other screens' modules (and the widgets they bring)."""

    def __init__(self, module: str, name: str) -> None:
        self.module = module
        self.name = name

    def screen_class(self) -> type[Screen]:
        return getattr(importlib.import_module(f"ygmon.screens.{self.module}"), self.name)

    def __call__(self) -> Screen:
        return self.screen_class()()


class WarmUp:
    """Needs App's `ui`, `monitor`, `is_running`, `_init_mode`, `get_screen_stack`, and
    the class's MODES."""

    _warm_started = False

    def data_shown(self: Any) -> None:
        """The screen in front painted fresh data: from the first time, warm the others."""
        if self._warm_started:
            return
        self._warm_started = True
        if self.ui.auto_refresh:
            self.warm_up()

    def rewarm(self: Any) -> None:
        """The screens were rebuilt (a profile switch): warm again after the next data."""
        self.workers.cancel_group(self, "warm-up")
        self._warm_started = False

    @work(exclusive=True, exit_on_error=False, group="warm-up")
    async def warm_up(self: Any) -> None:
        await asyncio.sleep(WARM_AFTER)
        for mode, make in type(self).MODES.items():
            if not isinstance(make, LaterScreen):
                continue
            try:
                self.get_screen_stack(mode)
                continue  # built already (the user went there first)
            except KeyError:
                pass
            if not self.is_running:
                # The app is closing: Textual's shutdown walks the screen stacks, and
                # one added now would break that walk. No await comes between this
                # check and _init_mode adding the stack.
                return
            # Textual's own first step of switch_mode, without the switch.
            await self._init_mode(mode)
            screen = self.get_screen_stack(mode)[0]
            # _init_mode loaded the screen's CSS and restyled with it before the screen
            # mounted its widgets, but leaves the screen's count of the stylesheet's
            # changes behind (Textual updates it for the stack in front only): the first
            # switch to the screen would then re-read every stylesheet and restyle the
            # screen again, most of that switch's time. A later change (a theme) still
            # moves the app's count on, and that switch restyles.
            count = getattr(self, "_css_update_count", None)
            if count is not None and hasattr(screen, "_css_update_count"):
                screen._css_update_count = count
            if not self.monitor.READS_ARE_FREE:
                # Built only: it reads when it is opened. A pause between two builds
                # leaves the keys pressed meanwhile their turn.
                await asyncio.sleep(0.05)
                continue
            deadline = time.monotonic() + WARM_WAIT
            while screen.polls == 0 and screen.is_attached and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
