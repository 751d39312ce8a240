"""One process of bench_tui_switch: an app switching screens under Pilot, printing each
switch's milliseconds (key press to the new screen painted with data) as JSON.

    python -m bench.switch_child app DATABASE_URL BROKER_URL SWITCHES
    python -m bench.switch_child remote API_URL TOKEN SWITCHES
    python -m bench.switch_child bare SWITCHES

Keys go in as the terminal driver sends them; the time runs until the first refresh
after the new screen is in front with data. `app` and `remote` build the app as `ygmon`
does (make_monitor + YgmonApp, default UI settings but the cursor's blink), wait for its
first data and for the warm-up, then press screen keys in a fixed random order. `bare`
is a Textual app of as many modes, each a screen of one label, switched by the same keys.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label

SIZE = (120, 40)
SWITCH_TIMEOUT = 30.0
SETTLE = 0.15
"""Seconds between two switches once the last one's poll is over: a person reads."""


def key_order(keys: list[str], switches: int) -> list[str]:
    """`switches` keys, each different from the one before, every key in turn first."""
    rng = random.Random(24)
    order = list(keys[1:])  # the app opens on the first key's screen
    while len(order) < switches:
        key = rng.choice(keys)
        if key != order[-1]:
            order.append(key)
    return order[:switches]


class _BareScreen(Screen):
    def __init__(self, title: str) -> None:
        super().__init__()
        self._title = title

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(f"{self._title}: data")
        yield Footer()


def _bare_app(keys: list[str]) -> App:
    modes = {f"m{key}": (lambda key=key: _BareScreen(key)) for key in keys}

    class Bare(App):
        MODES = modes
        DEFAULT_MODE = f"m{keys[0]}"
        BINDINGS = [Binding(key, f"switch_mode('m{key}')", key) for key in keys]

    return Bare()


def _painted_with_data(app: App) -> bool:
    # The Worker screen (not polled) shows the local worker's state as it is built.
    return getattr(app.screen, "shown_at", 0) is not None


def _send_key(app: App, key: str) -> None:
    """The key as the terminal driver hands it over (Pilot's press also waits for the
    process to go idle, which on a busy machine is most of what it would measure)."""
    event = events.Key(key, key if len(key) == 1 else None)
    event.set_sender(app)
    app._driver.send_message(event)  # type: ignore[union-attr]


async def _after_refresh(app: App) -> None:
    done = asyncio.Event()
    app.call_after_refresh(done.set)
    await done.wait()


async def _switches(app: App, keys: list[str], switches: int, warm: bool) -> list[float]:
    async with app.run_test(size=SIZE) as pilot:
        deadline = time.monotonic() + 60
        while not _painted_with_data(app) and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        if warm:
            # The app builds its other screens once idle: wait for that, as a person
            # who opened the app a few seconds ago would find it.
            while time.monotonic() < deadline and (
                not getattr(app, "_warm_started", True)
                or any(w.group == "warm-up" and not w.is_finished for w in app.workers)
            ):
                await asyncio.sleep(0.05)
        samples = []
        for key in key_order(keys, switches):
            if isinstance(app.focused, Input):
                # The Search screen focuses its query box, where digits are text: Esc
                # first, as a person would (not timed).
                await pilot.press("escape")
            await app.workers.wait_for_complete()
            await asyncio.sleep(SETTLE)
            before = app.screen
            started = time.perf_counter()
            _send_key(app, key)
            give_up = time.monotonic() + SWITCH_TIMEOUT
            while app.screen is before or not _painted_with_data(app):
                if time.monotonic() > give_up:
                    raise RuntimeError(f"key {key}: {app.screen!r} painted no data")
                await asyncio.sleep(0.001)
            await _after_refresh(app)
            samples.append((time.perf_counter() - started) * 1000)
        return samples


def _ygmon_app(settings: Any) -> tuple[App, list[str]]:
    from ygmon.app import SCREENS_BY_KEY, YgmonApp
    from ygmon.monitor.factory import make_monitor
    from ygmon.tui.ui_config import UiConfig

    # live, as `ygmon` builds it: a local feed, or a remote copy of the server's stream
    app = YgmonApp(
        make_monitor(settings, live=True), target="bench", ui=UiConfig(cursor_blink=False)
    )
    return app, [key for key, *_ in SCREENS_BY_KEY]


def main(argv: list[str]) -> None:
    from ygmon.config import LocalProfile, RemoteProfile, Settings

    kind, *args = argv
    switches = int(args[-1])
    if kind == "bare":
        from ygmon.app import SCREENS_BY_KEY

        keys = [key for key, *_ in SCREENS_BY_KEY]
        samples = asyncio.run(_switches(_bare_app(keys), keys, switches, warm=False))
    else:
        if kind == "app":
            profile: Any = LocalProfile(
                database_url=args[0], broker_url=args[1], namespace="benchswitch"
            )
        else:
            profile = RemoteProfile(api_url=args[0], token=args[1])
        app, keys = _ygmon_app(Settings(kind, profile, None))
        samples = asyncio.run(_switches(app, keys, switches, warm=True))
    print(json.dumps(samples))


if __name__ == "__main__":
    main(sys.argv[1:])
