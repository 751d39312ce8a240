"""Overview: health per worker group, a tile per queue, next scheduled runs, workers."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.widgets import Static

from ygmon.monitor.schemas import (
    AllWorkersHealth,
    NotificationJobStats,
    QueueStats,
    WorkerInfo,
)
from ygmon.screens.polled_screen import PolledScreen
from ygmon.tui.formatting import age, stamp
from ygmon.widgets.queue_tile import QueueTile


@dataclass(frozen=True)
class OverviewData:
    health: AllWorkersHealth
    queues: list[QueueStats]
    workers: list[WorkerInfo]
    notifications: NotificationJobStats


class OverviewScreen(PolledScreen):
    TITLE = "Overview"

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="overview"):
            with Horizontal(id="overview-top"):
                yield Static("", id="health", classes="panel")
                yield Static("", id="schedule", classes="panel")
            yield Grid(id="tiles")
            yield Static("", id="workers", classes="panel")

    _notifications: NotificationJobStats | None = None

    async def fetch(self) -> OverviewData:
        calls = [self.monitor.health(), self.monitor.queues(), self.monitor.workers()]
        # The next digest runs only move once the nearer one has passed (a weekly run is
        # also a daily one), so they are fetched again only then: a remote API allows
        # 100 requests a minute, and a fourth call every 2 s would spend 120.
        if self._notifications_stale():
            calls.append(self.monitor.notification_stats())
        health, queues, workers, *fresh = await asyncio.gather(*calls)
        if fresh:
            self._notifications = fresh[0]
        assert self._notifications is not None
        return OverviewData(health, queues, workers, self._notifications)

    def _notifications_stale(self) -> bool:
        if self._notifications is None:
            return True
        next_daily = self._notifications.digest.next_daily_run
        return next_daily is None or next_daily <= self.now()

    def show(self, data: OverviewData) -> None:
        self._show_health(data.health)
        self._show_schedule(data)
        self._show_tiles(data.queues)
        self._show_workers(data.workers)

    def _show_health(self, health: AllWorkersHealth) -> None:
        lines = ["[b]Health[/b] " + ("all healthy" if health.healthy else "[b]UNHEALTHY[/b]")]
        for group, status in health.groups.items():
            mark = "ok " if status.healthy else "DOWN"
            workers = status.workers or {}
            running = sum(1 for w in workers.values() if w.is_running)
            lines.append(f"{mark} {group:<14} {running}/{len(workers)} workers")
        self.query_one("#health", Static).update("\n".join(lines))

    def _show_schedule(self, data: OverviewData) -> None:
        now = self.now()
        digest = data.notifications.digest
        lines = [
            "[b]Next scheduled runs[/b]",
            f"daily digest   {stamp(digest.next_daily_run)} ({age(digest.next_daily_run, now)})",
            f"weekly digest  {stamp(digest.next_weekly_run)} ({age(digest.next_weekly_run, now)})",
        ]
        scheduled = sum(g.scheduled_jobs or 0 for g in data.health.groups.values())
        lines.append(f"scheduled jobs {scheduled}")
        self.query_one("#schedule", Static).update("\n".join(lines))

    def _show_tiles(self, queues: list[QueueStats]) -> None:
        grid = self.query_one("#tiles", Grid)
        for stats in queues:
            tiles = grid.query(f"#tile-{stats.name}")
            if tiles:
                tiles.first(QueueTile).show(stats)
            else:
                grid.mount(QueueTile(stats))

    def _show_workers(self, workers: list[WorkerInfo]) -> None:
        now = self.now()
        if not workers:
            text = (
                "[b]Workers[/b]\nNo worker is running. Start one with `ygmon worker` "
                "or on the Worker screen (6)."
            )
        else:
            lines = ["[b]Workers[/b]"]
            for w in workers:
                lines.append(
                    f"{w.host}:{w.pid}  {','.join(w.queues)[:40]}  x{w.concurrency}  "
                    f"heartbeat {age(w.last_heartbeat, now)}"
                )
            text = "\n".join(lines)
        started = self.app.local_worker
        if started is not None and started.running:
            text += f"\nStarted from this app: pid {started.pid} (Worker screen, 6)"
        self.query_one("#workers", Static).update(text)
