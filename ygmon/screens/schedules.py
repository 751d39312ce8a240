"""Schedules: every periodic task with its cron, last run (of any trigger: scheduled,
catch-up, late events, by hand), its trigger and outcome, next run and missed runs; the
selected one's latest run of each trigger under the table; `t` triggers the selected one
now, after a confirm; `b` backfills an aggregation task (ygmon.screens.backfill_dialog).
Its ages tick each second (ygmon.tui.age_ticker)."""

from __future__ import annotations

from datetime import datetime

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Label, Static

from ygmon.errors import YgmonError
from ygmon.monitor.queue_control_schemas import ScheduleInfo
from ygmon.screens.backfill_dialog import BackfillDialog
from ygmon.screens.confirm_dialog import ConfirmDialog
from ygmon.screens.polled_screen import PolledScreen
from ygmon.tui.age_ticker import BackendTime, tick_each_second
from ygmon.tui.formatting import age
from ygmon.widgets.job_id import short_id
from ygmon.widgets.keyed_table import KeyedTable

COLUMNS = [
    ("name", "Task"),
    ("cron", "Cron"),
    ("last", "Last run"),
    ("trigger", "Trigger"),
    ("outcome", "Outcome"),
    ("next", "Next run"),
    ("missed", "Missed"),
]
CRON_COLUMN_FROM = 100
"""Terminal columns from which the table has room for the Cron column; below it the
line under the table gives the selected task's cron."""


def outcome_text(s: ScheduleInfo) -> str:
    if s.last_run_at is None:
        return "never ran"
    return s.last_outcome or "gone"  # the job left the registry's retention


def missed_text(s: ScheduleInfo, now: datetime) -> str:
    """'-', or how many runs were missed and how long ago the first was: '2 (2h)'."""
    if s.paused:
        return "paused"
    if not s.missed or s.missed_since is None:
        return "-"
    since = age(s.missed_since, now).removesuffix(" ago")
    return f"{s.missed}{'+' if s.missed >= 1000 else ''} ({since})"


def schedule_row(s: ScheduleInfo, now: datetime, with_cron: bool) -> tuple[str, ...]:
    """The table's cells of `s`, ages as of `now` (the backend's clock)."""
    cells = (
        s.name,
        s.cron,
        age(s.last_run_at, now),
        s.last_trigger or "-",
        outcome_text(s),
        age(s.next_run_at, now),
        missed_text(s, now),
    )
    return cells if with_cron else (cells[0], *cells[2:])


def runs_text(s: ScheduleInfo, now: datetime) -> str:
    """The selected task's line: its queue and cron, and the latest run of each trigger."""
    head = f"{s.name} on {s.queue}, cron {s.cron}"
    if not s.runs:
        return f"{head} · never ran"
    runs = " · ".join(f"{r.trigger} {age(r.at, now)} {r.outcome or 'gone'}" for r in s.runs)
    return f"{head} · latest runs: {runs}"


class SchedulesScreen(PolledScreen):
    TITLE = "Schedules"
    CSS_PATH = "schedules.tcss"
    BINDINGS = [
        Binding("t", "trigger", "Trigger now", id="schedules.trigger"),
        Binding("b", "backfill", "Backfill", id="schedules.backfill", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._schedules: dict[str, ScheduleInfo] = {}
        self._read: BackendTime | None = None

    def compose_body(self) -> ComposeResult:
        yield Label(
            "Periodic tasks (UTC) · last run of any trigger · t runs one now · b backfills",
            classes="screen-title",
        )
        yield KeyedTable(COLUMNS, id="schedules-table")
        yield Static("", id="schedule-runs", markup=False)

    def on_mount(self) -> None:
        # PolledScreen's on_mount runs too (Textual calls each class's handler).
        tick_each_second(self, self._show_table)

    async def fetch(self) -> list[ScheduleInfo]:
        return await self.monitor.schedules()

    def show(self, data: list[ScheduleInfo]) -> None:
        self._schedules = {s.name: s for s in data}
        if data:
            self._read = BackendTime(data[0].checked_at, self.now())
        self._show_table()

    def on_resize(self, event: events.Resize) -> None:
        self._show_table()

    def _show_table(self) -> None:
        """The table and the selected task's line, ages as of the backend's clock now."""
        if self._read is None:
            return
        now = self._read.now(self.now())
        with_cron = self.app.size.width >= CRON_COLUMN_FROM
        table = self.query_one(KeyedTable)
        table.set_columns(COLUMNS if with_cron else [c for c in COLUMNS if c[0] != "cron"])
        table.sync([(s.name, schedule_row(s, now, with_cron)) for s in self._schedules.values()])
        self._show_runs(now)

    def _show_runs(self, now: datetime) -> None:
        chosen = self._schedules.get(self.query_one(KeyedTable).selected_key or "")
        line = self.query_one("#schedule-runs", Static)
        line.update("" if chosen is None else runs_text(chosen, now))

    @on(DataTable.RowHighlighted, "#schedules-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self._read is not None:
            self._show_runs(self._read.now(self.now()))

    def action_trigger(self) -> None:
        chosen = self._schedules.get(self.query_one(KeyedTable).selected_key or "")
        if chosen is None:
            self.notify("No schedule is selected.", severity="warning")
            return
        if self.app.read_only:
            self.notify(
                "This backend is read-only (--read-only or a read-only server): "
                "triggers are refused.",
                title="Trigger refused",
                severity="error",
            )
            return
        question = f"Run {chosen.name} now on queue {chosen.queue}, as its schedule would?"
        self.app.push_screen(
            ConfirmDialog(question), lambda yes: self._trigger(chosen) if yes else None
        )

    def action_backfill(self) -> None:
        chosen = self._schedules.get(self.query_one(KeyedTable).selected_key or "")
        if chosen is None or not chosen.name.startswith("aggregate-"):
            self.notify(
                "Backfill runs the aggregation tasks (aggregate-hourly, -weekly, -monthly "
                "here; aggregate-daily through `ygmon schedules backfill`): select one.",
                severity="warning",
            )
            return
        today = (self._read.now(self.now()) if self._read else self.now()).date()
        self.app.push_screen(BackfillDialog(chosen.name, today))

    @work(exclusive=True, exit_on_error=False, group="trigger")
    async def _trigger(self, chosen: ScheduleInfo) -> None:
        try:
            result = await self.monitor.trigger_schedule(chosen.name)
        except YgmonError as exc:
            self.notify(exc.message, title=exc.title, severity="error")
        else:
            self.notify(
                f"Job {short_id(result.job_id)} enqueued on {result.queue}.", title="Triggered"
            )
        self.refresh_now()
