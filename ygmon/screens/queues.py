"""Queues: one row of counts per queue; Enter opens that queue's jobs."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable

from ygmon.monitor.schemas import QueueStats
from ygmon.screens.polled_screen import PolledScreen
from ygmon.screens.queue_jobs import QueueJobsScreen
from ygmon.tui.export_action import start_export
from ygmon.tui.formatting import count
from ygmon.widgets.keyed_table import KeyedTable

COLUMNS = [
    ("name", "Queue"),
    ("waiting", "Waiting"),
    ("delayed", "Delayed"),
    ("active", "Active"),
    ("completed", "Completed"),
    ("failed", "Failed"),
]


def queue_row(stats: QueueStats) -> tuple[str, tuple[str, ...]]:
    return stats.name, (
        stats.name,
        count(stats.waiting),
        count(stats.delayed),
        count(stats.active),
        count(stats.completed),
        count(stats.failed),
    )


class QueuesScreen(PolledScreen):
    TITLE = "Queues"
    BINDINGS = [Binding("e", "export", "Export", id="queues.export", show=False)]

    def compose_body(self) -> ComposeResult:
        yield KeyedTable(COLUMNS, id="queues-table")

    async def fetch(self) -> list[QueueStats]:
        return await self.monitor.queues()

    def show(self, data: list[QueueStats]) -> None:
        self.query_one(KeyedTable).sync([queue_row(stats) for stats in data])

    def action_export(self) -> None:
        start_export(self, "every queue's counts", "queues", QueueStats, lambda m: m.queues())

    @on(DataTable.RowSelected, "#queues-table")
    def open_queue(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(QueueJobsScreen(str(event.row_key.value)))
