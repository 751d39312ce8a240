"""The confirm of a replay: the change of arguments as a diff, and a field where the
operator types the job's short id (ygmon.widgets.job_id.confirm_code) before the new job
is sent. Dismisses with True only when the typed text matches."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from ygmon.monitor.replay_schemas import ReplayResult
from ygmon.widgets.job_id import confirm_code

if TYPE_CHECKING:
    from ygmon.tui.monitor_app import MonitorApp


class ReplayConfirmDialog(ModalScreen[bool]):
    CSS_PATH = "replay_dialog.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="replay.cancel")]
    AUTO_FOCUS = "#replay-code"

    app: MonitorApp

    def __init__(self, dry: ReplayResult) -> None:
        super().__init__()
        self.dry = dry
        self.code = confirm_code(dry.replay_of)

    def compose(self) -> ComposeResult:
        diff = self.dry.diff()
        with Vertical(id="replay-confirm", classes="dialog"):
            yield Label(
                f"Replay {self.dry.task} on {self.dry.queue} as a new job?", id="replay-question"
            )
            yield Label(
                "Arguments, old (-) and new (+):" if diff else "The arguments are unchanged."
            )
            with VerticalScroll(id="replay-diff-box"):
                yield Static("\n".join(diff[2:]), id="replay-diff", markup=False)
            yield Label(f"Type {self.code} (the job's short id) to send it:", id="replay-ask")
            yield Input(placeholder=self.code, id="replay-code")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Replay (enter)", id="replay-yes", variant="primary", disabled=True)
                yield Button("Cancel (esc)", id="replay-no")

    def on_mount(self) -> None:
        # The UI settings may stop the cursor blinking (snapshots, screen readers).
        self.query_one(Input).cursor_blink = self.app.ui.cursor_blink

    def _matches(self, text: str) -> bool:
        return text.strip() in (self.code, self.dry.replay_of)

    @on(Input.Changed, "#replay-code")
    def _typed(self, event: Input.Changed) -> None:
        self.query_one("#replay-yes", Button).disabled = not self._matches(event.value)

    @on(Input.Submitted, "#replay-code")
    def _submitted(self, event: Input.Submitted) -> None:
        if self._matches(event.value):
            self.dismiss(True)
        else:
            self.notify(f"Type {self.code} to replay, or escape.", severity="warning")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "replay-yes")

    def action_cancel(self) -> None:
        self.dismiss(False)
