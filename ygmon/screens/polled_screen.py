"""The base of every data screen: the poll loop, the failure banner and the stale marker.

A poll runs in an exclusive Textual worker; the next one is scheduled with `set_timer`
only after it finished, so polls never overlap. Only the screen in front polls: a
screen under a modal or in another mode is suspended and its timer cancelled.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input

from ygmon.tui.error_text import banner_text
from ygmon.tui.formatting import age
from ygmon.widgets.app_footer import AppFooter
from ygmon.widgets.app_header import AppHeader
from ygmon.widgets.link_label import LinkLabel
from ygmon.widgets.status_banner import StatusBanner

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

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield StatusBanner()
        yield from self.compose_body()
        yield AppFooter(compact=True, show_command_palette=False)

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError

    async def fetch(self) -> Any:
        raise NotImplementedError

    def show(self, data: Any) -> None:
        raise NotImplementedError

    @property
    def monitor(self) -> Monitor:
        return self.app.monitor

    def on_mount(self) -> None:
        if not self.app.ui.cursor_blink:
            for field in self.query(Input):
                field.cursor_blink = False

    def on_screen_resume(self) -> None:
        self.update_header()
        self.refresh_now()

    def on_screen_suspend(self) -> None:
        self._cancel_timer()

    def refresh_now(self) -> None:
        self._cancel_timer()
        self.poll()

    def update_header(self) -> None:
        header = self.query_one(AppHeader)
        header.show_app()
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
        try:
            data = await self.fetch()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # every failure of a poll is shown in the banner
            policy.failed(getattr(exc, "retry_after", None))
            stale = None if self._last_good_at is None else age(self._last_good_at, self.now())
            banner.show_failure(banner_text(exc, policy.next_delay()), stale)
            self.add_class("-stale")
        else:
            policy.succeeded()
            self._last_good_at = self.now()
            banner.clear_failure()
            self.remove_class("-stale")
            self.show(data)
        self.polls += 1
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
