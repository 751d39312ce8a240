"""Queues: one row of counts per queue, paused ones marked; Enter opens that queue's
jobs, `P` pauses or resumes the selected queue after a confirm (`p` stays the app's
refresh pause)."""

from __future__ import annotations

from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable

from ygmon.errors import YgmonError
from ygmon.monitor.schemas import QueueStats
from ygmon.screens.confirm_dialog import ConfirmDialog
from ygmon.screens.export_action import start_export
from ygmon.screens.polled_screen import PolledScreen
from ygmon.screens.queue_jobs import QueueJobsScreen
from ygmon.screens.shared_keys import export_key
from ygmon.tui.age_ticker import tick_each_second
from ygmon.tui.formatting import age, count
from ygmon.widgets.keyed_table import KeyedTable

COLUMNS = [
    ("name", "Queue"),
    ("waiting", "Waiting"),
    ("delayed", "Delayed"),
    ("active", "Active"),
    ("completed", "Completed"),
    ("failed", "Failed"),
    ("paused", "Paused"),
]
"""At most seven characters a cell in the last column: the table fits 80 columns."""


def paused_text(stats: QueueStats, now: datetime | None) -> str:
    """'-', or since when the queue is paused ('12m ago')."""
    if not stats.paused:
        return "-"
    if stats.paused_at is None or now is None:
        return "yes"
    return age(stats.paused_at, now)


def queue_row(stats: QueueStats, now: datetime | None = None) -> tuple[str, tuple[str, ...]]:
    return stats.name, (
        stats.name,
        count(stats.waiting),
        count(stats.delayed),
        count(stats.active),
        count(stats.completed),
        count(stats.failed),
        paused_text(stats, now),
    )


class QueuesScreen(PolledScreen):
    TITLE = "Queues"
    # Shift+p: `p` is the app's refresh pause.
    BINDINGS = [
        Binding("P", "toggle_queue_pause", "Pause queue", id="queues.pause"),
        export_key("queues"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._stats: dict[str, QueueStats] = {}

    def compose_body(self) -> ComposeResult:
        yield KeyedTable(COLUMNS, id="queues-table")

    def on_mount(self) -> None:
        # The Paused column's ages tick: the counts last read, shown again (no fetch).
        tick_each_second(self, lambda: self.show(list(self._stats.values())))

    async def fetch(self) -> list[QueueStats]:
        return await self.monitor.queues()

    def show(self, data: list[QueueStats]) -> None:
        now = self.now()
        self._stats = {stats.name: stats for stats in data}
        self.query_one(KeyedTable).sync([queue_row(stats, now) for stats in data])

    def action_export(self) -> None:
        start_export(self, "every queue's counts", "queues", QueueStats, lambda m: m.queues())

    @on(DataTable.RowSelected, "#queues-table")
    def open_queue(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(QueueJobsScreen(str(event.row_key.value)))

    def action_toggle_queue_pause(self) -> None:
        stats = self._stats.get(self.query_one(KeyedTable).selected_key or "")
        if stats is None:
            self.notify("No queue is selected.", severity="warning")
            return
        verb = "Resume" if stats.paused else "Pause"
        if self.app.read_only:
            self.notify(
                f"This backend is read-only (--read-only or a read-only server): "
                f"{verb.lower()} is refused.",
                title=f"{verb} refused",
                severity="error",
            )
            return
        if stats.paused:
            question = f"Resume queue {stats.name}? Its workers take jobs again."
        else:
            question = (
                f"Pause queue {stats.name}? Workers on every host take no new job of it "
                "until it is resumed; running jobs finish."
            )
        self.app.push_screen(
            ConfirmDialog(question), lambda yes: self._toggle(stats) if yes else None
        )

    @work(exclusive=True, exit_on_error=False, group="pause")
    async def _toggle(self, stats: QueueStats) -> None:
        try:
            if stats.paused:
                await self.monitor.resume_queue(stats.name)
            else:
                await self.monitor.pause_queue(stats.name)
        except YgmonError as exc:
            self.notify(exc.message, title=exc.title, severity="error")
        else:
            word = "resumed" if stats.paused else "paused"
            self.notify(f"Queue {stats.name} {word}.", title="Queues")
        self.refresh_now()
