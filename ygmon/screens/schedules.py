"""Schedules: every periodic task with its cron, last run and outcome, next run and
missed runs; `t` triggers the selected one now, after a confirm."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Label

from ygmon.errors import YgmonError
from ygmon.monitor.queue_control_schemas import ScheduleInfo
from ygmon.screens.confirm_dialog import ConfirmDialog
from ygmon.screens.polled_screen import PolledScreen
from ygmon.tui.formatting import age
from ygmon.widgets.job_id import short_id
from ygmon.widgets.keyed_table import KeyedTable

COLUMNS = [
    ("name", "Task"),
    ("cron", "Cron"),
    ("last", "Last run"),
    ("outcome", "Outcome"),
    ("next", "Next run"),
    ("missed", "Missed"),
]


def last_text(s: ScheduleInfo) -> str:
    """When it last ran; `*` marks a run triggered by hand."""
    when = age(s.last_run_at, s.checked_at)
    return f"{when}*" if s.last_trigger == "manual" else when


def outcome_text(s: ScheduleInfo) -> str:
    if s.last_run_at is None:
        return "never ran"
    return s.last_outcome or "gone"  # the job left the registry's retention


def missed_text(s: ScheduleInfo) -> str:
    """'-', or how many runs were missed and how long ago the first was: '2 (2h)'."""
    if s.paused:
        return "paused"
    if not s.missed or s.missed_since is None:
        return "-"
    since = age(s.missed_since, s.checked_at).removesuffix(" ago")
    return f"{s.missed}{'+' if s.missed >= 1000 else ''} ({since})"


class SchedulesScreen(PolledScreen):
    TITLE = "Schedules"
    BINDINGS = [Binding("t", "trigger", "Trigger now", id="schedules.trigger")]

    def __init__(self) -> None:
        super().__init__()
        self._schedules: dict[str, ScheduleInfo] = {}

    def compose_body(self) -> ComposeResult:
        yield Label(
            "Periodic tasks (UTC cron) · * triggered by hand · t runs the selected one now",
            classes="screen-title",
        )
        yield KeyedTable(COLUMNS, id="schedules-table")

    async def fetch(self) -> list[ScheduleInfo]:
        return await self.monitor.schedules()

    def show(self, data: list[ScheduleInfo]) -> None:
        self._schedules = {s.name: s for s in data}
        self.query_one(KeyedTable).sync(
            [
                (
                    s.name,
                    (
                        s.name,
                        s.cron,
                        last_text(s),
                        outcome_text(s),
                        age(s.next_run_at, s.checked_at),
                        missed_text(s),
                    ),
                )
                for s in data
            ]
        )

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
