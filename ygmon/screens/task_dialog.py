"""`T` on Queues: the live controls of the selected queue's tasks. Choose a task (the
first paused or rate-limited one to begin with), then pause or resume it (its jobs wait
while the queue's other tasks run), set its rate (at most N starts a minute across the
deployment; enter in the field sets it) or clear the rate; escape leaves all as it is.
The rate is checked in the dialog as the backend checks it
(ygmon.monitor.live_control_schemas)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from ygmon.monitor.live_control_schemas import TaskControl, check_rate
from ygmon.screens.limit_dialog import checked_number

if TYPE_CHECKING:
    from ygmon.tui.monitor_app import MonitorApp


@dataclass(frozen=True)
class TaskChoice:
    action: str
    """pause, resume, rate or clear-rate."""
    task: str
    per_minute: int | None = None


def state_words(task: TaskControl) -> str:
    paused = "paused" if task.paused else "running"
    rate = "no rate limit" if task.per_minute is None else f"at most {task.per_minute}/min"
    return f"{task.task}: {paused}, {rate}"


class TaskDialog(ModalScreen[TaskChoice | None]):
    CSS_PATH = "live_control_dialogs.tcss"
    BINDINGS = [Binding("escape", "close", "Close", id="task.close")]

    app: MonitorApp

    def __init__(self, queue: str, tasks: list[TaskControl]) -> None:
        super().__init__()
        self.queue = queue
        self.tasks = {t.task: t for t in tasks}

    @property
    def chosen(self) -> TaskControl:
        return self.tasks[str(self.query_one("#task-name", Select).value)]

    def compose(self) -> ComposeResult:
        # The first task with a control, else the first: what the user most likely changes.
        controlled = (t for t in self.tasks.values() if t.paused or t.per_minute is not None)
        first = next(controlled, next(iter(self.tasks.values())))
        with Vertical(id="task", classes="lc-dialog"):
            yield Label(f"Tasks of queue {self.queue}", classes="lc-title")
            yield Select(
                [(name, name) for name in self.tasks],
                value=first.task,
                allow_blank=False,
                id="task-name",
            )
            yield Label(state_words(first), id="task-state", classes="lc-hint")
            with Horizontal(classes="lc-fields"):
                yield Label("Rate: at most", classes="lc-label")
                yield Input(placeholder="N", type="integer", id="task-rate")
                yield Label("starts a minute", classes="lc-label")
            yield Label("", id="task-rate-error", classes="lc-error")
            with Horizontal(classes="lc-buttons"):
                yield Button("Pause task", id="task-pause", variant="warning")
                yield Button("Set rate", id="task-set-rate", variant="primary")
                yield Button("Clear rate", id="task-clear-rate")
                yield Button("Close (esc)", id="task-close")

    def on_mount(self) -> None:
        self.query_one("#task-rate", Input).cursor_blink = self.app.ui.cursor_blink
        self._show(self.chosen)

    @on(Select.Changed, "#task-name")
    def _changed(self) -> None:
        self._show(self.chosen)

    def _show(self, task: TaskControl) -> None:
        self.query_one("#task-state", Label).update(state_words(task))
        pause = self.query_one("#task-pause", Button)
        pause.label = "Resume task" if task.paused else "Pause task"
        self.query_one("#task-rate", Input).value = (
            "" if task.per_minute is None else str(task.per_minute)
        )
        self.query_one("#task-clear-rate", Button).disabled = task.per_minute is None

    @on(Button.Pressed, "#task-pause")
    def _pause(self) -> None:
        task = self.chosen
        self.dismiss(TaskChoice("resume" if task.paused else "pause", task.task))

    @on(Input.Submitted, "#task-rate")
    @on(Button.Pressed, "#task-set-rate")
    def _rate(self) -> None:
        value = checked_number(self.query_one("#task-rate", Input), check_rate)
        if value is not None:
            self.dismiss(TaskChoice("rate", self.chosen.task, value))

    @on(Button.Pressed, "#task-clear-rate")
    def _clear_rate(self) -> None:
        self.dismiss(TaskChoice("clear-rate", self.chosen.task))

    @on(Button.Pressed, "#task-close")
    def action_close(self) -> None:
        self.dismiss(None)
