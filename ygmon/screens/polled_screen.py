"""The base of every data screen: the poll loop, the failure banner and the stale marker.

A poll runs in an exclusive Textual worker; the next one is scheduled with `set_timer`
only after it finished, so polls never overlap. Only the screen in front polls: a
screen under a modal or in another mode is suspended and its timer cancelled.

Paint first, fetch after: a screen keeps what it last showed, so a switch back to it
paints at once (the header saying how old that data is) and its poll refreshes it. The
app builds the screens not yet shown while it is idle (ygmon.tui.warm_up); such a screen,
resumed out of sight, polls once to hold data for the first switch to it. That hidden
poll leaves the refresh policy alone: its failure is not the backend's outage, and the
screen polls again when it comes to the front.

A query the backend refuses (InvalidQueryError) is the user's input, not an outage: it
goes to `show_input_error`, never to the banner or the back-off.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input

from ygmon.errors import InvalidQueryError
from ygmon.tui import launch_gc
from ygmon.tui.error_text import banner_text
from ygmon.widgets.app_footer import AppFooter
from ygmon.widgets.app_header import AppHeader
from ygmon.widgets.link_label import LinkLabel
from ygmon.widgets.status_banner import Failure, StatusBanner

if TYPE_CHECKING:
    from ygmon.monitor.protocol import Monitor
    from ygmon.tui.monitor_app import MonitorApp


class PolledScreen(Screen):
    """Subclasses implement `fetch()` (I/O, in the worker) and `show(data)` (UI only)."""

    app: MonitorApp

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._timer: Timer | None = None
        self._last_good_at: datetime | None = None
        self.polls = 0
        """Finished polls, successful or not (tests wait on it)."""
        self.shown_at: float | None = None
        """time.monotonic() of the data on screen (None: none yet); the bench reads it."""
        self._left_with: tuple[object, ...] | None = None
        """_styled_by() when the screen left the front (None: it never was in front)."""

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield StatusBanner()
        yield from self.compose_body()
        yield AppFooter()

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError

    async def fetch(self) -> Any:
        raise NotImplementedError

    def show(self, data: Any) -> None:
        raise NotImplementedError

    @property
    def read_at(self) -> datetime | None:
        """When the data on screen was read (the app's clock); None before a first read."""
        return self._last_good_at

    @property
    def monitor(self) -> Monitor:
        return self.app.monitor

    def on_mount(self) -> None:
        if not self.app.ui.cursor_blink:
            for field in self.query(Input):
                field.cursor_blink = False

    def _styled_by(self) -> tuple[object, ...] | None:
        """What the app changes of this screen's styles while it is not in front: the
        stylesheet (a theme change counts it), the app's classes and pseudo-classes.
        None where this Textual keeps no count of stylesheet changes: always restyle."""
        app = self.app
        count = getattr(app, "_css_update_count", None)
        if count is None:
            return None
        return (count, frozenset(app.classes), app.pseudo_classes)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual restyles the whole screen at each resume (a few hundred nodes, the
        # larger part of a screen key's time); a screen whose styles nothing changed
        # since it left the front is styled already. Changes to its own nodes were
        # applied as they happened.
        if self._left_with is not None and self._left_with == self._styled_by():
            event.refresh_styles = False
        if not self.is_current:
            # Built out of sight by the app's warm-up: one poll, to hold data, where
            # reads cost no request budget. Its widgets are styled as they mount, with
            # the app as it is now.
            self._left_with = self._styled_by()
            if self.monitor.READS_ARE_FREE:
                self.poll()
            return
        self.update_header()
        self.refresh_now()

    def show_input_error(self, error: InvalidQueryError) -> None:
        """The backend refused this screen's query: say why where the input is."""
        why = "; ".join(str(d.get("message", d)) for d in error.details) or error.message
        self.notify(why, title=error.title, severity="warning")

    def on_screen_suspend(self) -> None:
        self._left_with = self._styled_by()
        self._cancel_timer()

    def refresh_now(self) -> None:
        self._cancel_timer()
        self.poll()

    def update_header(self) -> None:
        header = self.query_one(AppHeader)
        header.show_app()
        header.show_read(self._last_good_at, self.now)
        watch = getattr(self.app, "alert_watch", None)
        header.show_alerts(watch.firing if watch is not None else [])
        link = getattr(self.monitor, "link", None)  # RemoteMonitor's stream or polling
        header.query_one(LinkLabel).show_link(link() if link is not None else None)
        # Only RemoteMonitor knows a rate limit: the X-RateLimit headers of its last call.
        remaining = getattr(self.monitor, "rate_remaining", None)
        if remaining is not None:
            header.show_budget(remaining, getattr(self.monitor, "rate_limit", None))

    @work(exclusive=True, exit_on_error=False, group="poll")
    async def poll(self) -> None:
        policy = self.app.policy
        banner = self.query_one(StatusBanner)
        hidden = not self.is_current
        try:
            data = await self.fetch()
        except asyncio.CancelledError:
            raise
        except InvalidQueryError as exc:
            self.show_input_error(exc)
        except Exception as exc:  # every failure of a poll is shown in the banner
            if hidden:
                self.polls += 1
                return
            policy.failed(getattr(exc, "retry_after", None))
            # Timestamps, not texts: the banner's countdown and stale age tick.
            retry_at = self.now() + timedelta(seconds=policy.next_delay())
            banner.show_failure(
                Failure(partial(banner_text, exc), retry_at, self._last_good_at, self.now)
            )
            self.add_class("-stale")
        else:
            if not hidden:
                policy.succeeded()
            self._last_good_at = self.now()
            banner.clear_failure()
            self.remove_class("-stale")
            self.show(data)
            self.shown_at = time.monotonic()
            if not hidden:
                self.app.data_shown()
        self.polls += 1
        if not hidden:
            launch_gc.resume()  # the launch is over once the screen in front has polled
        self.update_header()
        self._schedule()

    def now(self) -> datetime:
        return self.app.ui.clock()

    def _schedule(self) -> None:
        self._cancel_timer()
        if not self.app.ui.auto_refresh or self.app.policy.paused or not self.is_current:
            return
        self._timer = self.set_timer(self.app.policy.next_delay(), self.poll)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
