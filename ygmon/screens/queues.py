"""Queues: one row of counts per queue, paused ones marked, a limited queue's Active as
its active jobs of the limit ('2/4'); under the table, one line per live control (a
queue's limit and what it holds back, a paused task and its waiting jobs, a task's rate
and its runs of the last minute). Enter opens that queue's jobs, `P` pauses or resumes
the selected queue after a confirm (`p` stays the app's refresh pause), `C` sets or
clears its concurrency limit, `T` pauses, resumes or rate-limits one of its tasks; `C`
and `T` show disabled on a read-only backend."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import datetime
from typing import NamedTuple

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ygmon.errors import YgmonError
from ygmon.monitor.live_control_schemas import LiveControls
from ygmon.monitor.schemas import QueueStats, WorkerInfo
from ygmon.queues import QUEUES_BY_NAME
from ygmon.screens.confirm_dialog import ConfirmDialog
from ygmon.screens.export_action import start_export
from ygmon.screens.limit_dialog import LimitDialog
from ygmon.screens.live_control_actions import change_limit, change_task
from ygmon.screens.polled_screen import PolledScreen
from ygmon.screens.queue_jobs import QueueJobsScreen
from ygmon.screens.shared_keys import export_key
from ygmon.screens.task_dialog import TaskDialog
from ygmon.tui.age_ticker import tick_each_second
from ygmon.tui.formatting import age, count
from ygmon.tui.live_control_words import active_cell, control_lines, hosts_serving
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
CONTROL_KEYS = frozenset({"set_limit", "task_controls"})
"""The actions that change a live control: disabled on a read-only backend."""


class QueuesView(NamedTuple):
    """One poll's answers: the counts, the live controls and the workers (whose hosts
    a per-host limit is multiplied by)."""

    stats: list[QueueStats]
    controls: LiveControls
    workers: list[WorkerInfo]


def paused_text(stats: QueueStats, now: datetime | None) -> str:
    """'-', or since when the queue is paused ('12m ago')."""
    if not stats.paused:
        return "-"
    if stats.paused_at is None or now is None:
        return "yes"
    return age(stats.paused_at, now)


def queue_row(
    stats: QueueStats, now: datetime | None = None, active: str | None = None
) -> tuple[str, tuple[str, ...]]:
    """The queue's cells; `active`: the Active cell when a limit says more than the count."""
    return stats.name, (
        stats.name,
        count(stats.waiting),
        count(stats.delayed),
        count(stats.active) if active is None else active,
        count(stats.completed),
        count(stats.failed),
        paused_text(stats, now),
    )


class QueuesScreen(PolledScreen):
    TITLE = "Queues"
    CSS_PATH = "queues.tcss"
    # Shift+p: `p` is the app's refresh pause.
    BINDINGS = [
        Binding("P", "toggle_queue_pause", "Pause queue", id="queues.pause"),
        Binding("C", "set_limit", "Limit", id="queues.limit"),
        Binding("T", "task_controls", "Tasks", id="queues.tasks"),
        export_key("queues"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._stats: dict[str, QueueStats] = {}
        self._view: QueuesView | None = None

    def compose_body(self) -> ComposeResult:
        yield KeyedTable(COLUMNS, id="queues-table")
        yield Static("", id="live-controls", markup=False)

    def on_mount(self) -> None:
        # The ages tick: the answers last read, shown again (no fetch).
        tick_each_second(self, lambda: self._view is not None and self.show(self._view))

    async def fetch(self) -> QueuesView:
        stats, controls, workers = await asyncio.gather(
            self.monitor.queues(), self.monitor.live_controls(), self.monitor.workers()
        )
        return QueuesView(stats, controls, workers)

    def show(self, data: QueuesView) -> None:
        now = self.now()
        self._view = data
        self._stats = {stats.name: stats for stats in data.stats}
        hosts = hosts_serving(data.workers)
        rows = []
        for stats in data.stats:
            limit = data.controls.limit_of(stats.name)
            active = active_cell(stats, limit, hosts.get(stats.name, 0))
            rows.append(queue_row(stats, now, active))
        self.query_one(KeyedTable).sync(rows)
        lines = control_lines(data.controls, self._stats, hosts, now)
        if not lines:
            lines = ["No queue limit, paused task or rate."]
            if not self.app.read_only:
                lines[0] += " C limits a queue, T its tasks."
        panel = self.query_one("#live-controls", Static)
        panel.update("\n".join(lines))
        panel.display = True  # hidden until there is something to say
        self.refresh_bindings()  # a remote backend may have said it is read-only

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Hidden (False) on a read-only backend: it refuses every change.
        return not (action in CONTROL_KEYS and self.app.read_only)

    def action_export(self) -> None:
        start_export(self, "every queue's counts", "queues", QueueStats, lambda m: m.queues())

    @on(DataTable.RowSelected, "#queues-table")
    def open_queue(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(QueueJobsScreen(str(event.row_key.value)))

    def _selected(self) -> QueueStats | None:
        stats = self._stats.get(self.query_one(KeyedTable).selected_key or "")
        if stats is None:
            self.notify("No queue is selected.", severity="warning")
        return stats

    def action_toggle_queue_pause(self) -> None:
        stats = self._selected()
        if stats is None:
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
            ConfirmDialog(question), lambda yes: self._change(self._toggled(stats)) if yes else None
        )

    async def _toggled(self, stats: QueueStats) -> str:
        if stats.paused:
            await self.monitor.resume_queue(stats.name)
            return f"Queue {stats.name} resumed."
        await self.monitor.pause_queue(stats.name)
        return f"Queue {stats.name} paused."

    def action_set_limit(self) -> None:
        stats = self._selected()
        if stats is None or self._view is None:
            return
        current = self._view.controls.limit_of(stats.name)
        spec = QUEUES_BY_NAME.get(stats.name)
        dialog = LimitDialog(stats.name, current, spec.concurrency if spec else 1)
        self.app.push_screen(
            dialog,
            lambda chosen: chosen and self._change(change_limit(self.monitor, stats.name, chosen)),
        )

    def action_task_controls(self) -> None:
        stats = self._selected()
        if stats is None or self._view is None:
            return
        tasks = [t for t in self._view.controls.tasks if t.queue == stats.name]
        if not tasks:
            self.notify(f"No task runs on queue {stats.name}.", severity="warning")
            return
        self.app.push_screen(
            TaskDialog(stats.name, tasks),
            lambda chosen: chosen and self._change(change_task(self.monitor, chosen)),
        )

    @work(exclusive=True, exit_on_error=False, group="change")
    async def _change(self, change: Awaitable[str]) -> None:
        """Make `change` (a pause, a limit, a task's control), say what it did or why
        it was refused, and read again."""
        try:
            said = await change
        except YgmonError as exc:
            self.notify(exc.message, title=exc.title, severity="error")
        else:
            self.notify(said, title="Queues")
        self.refresh_now()
