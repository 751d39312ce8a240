"""`C` on Queues: the selected queue's concurrency limit. At most N of its jobs active
across the deployment or on each host; Set (or enter) sets or changes it, Clear limit
drops it, escape leaves it. The value is checked as the backend checks it
(ygmon.monitor.live_control_schemas), in the dialog, before anything is sent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from ygmon.errors import InvalidQueryError
from ygmon.monitor.live_control_schemas import LimitState, check_limit

if TYPE_CHECKING:
    from ygmon.tui.monitor_app import MonitorApp

SCOPE_WORDS = (("across hosts (in all)", "deployment"), ("on each host", "host"))


@dataclass(frozen=True)
class LimitChoice:
    limit: int | None
    """None: clear the limit."""
    scope: str = "deployment"


def checked_number(field: Input, check: Callable[[int], None]) -> int | None:
    """The field's whole number once `check(value)` passes, else None with the reason
    under the field (`#<field id>-error`)."""
    error = field.screen.query_one(f"#{field.id}-error", Label)
    text = field.value.strip()
    try:
        value = int(text)
        check(value)
    except ValueError:
        error.update("A whole number, please.")
        return None
    except InvalidQueryError as exc:
        error.update("; ".join(str(i.get("message", "")) for i in exc.details))
        return None
    error.update("")
    return value


class LimitDialog(ModalScreen[LimitChoice | None]):
    CSS_PATH = "live_control_dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="limit.cancel")]

    app: MonitorApp

    def __init__(self, queue: str, current: LimitState | None, concurrency: int) -> None:
        super().__init__()
        self.queue = queue
        self.current = current
        self.concurrency = concurrency

    def compose(self) -> ComposeResult:
        current = self.current
        where = "on each host" if current and current.scope == "host" else "across hosts"
        now = "no limit" if current is None else f"at most {current.limit} active {where}"
        with Vertical(id="limit", classes="lc-dialog"):
            yield Label(f"Limit queue {self.queue}", classes="lc-title")
            yield Label(
                f"Now: {now}. Own concurrency: {self.concurrency} a worker.",
                classes="lc-hint",
            )
            with Horizontal(classes="lc-fields"):
                yield Label("At most", classes="lc-label")
                yield Input(
                    str(current.limit) if current is not None else "",
                    placeholder="N",
                    type="integer",
                    id="limit-value",
                )
                yield Label("active", classes="lc-label")
                yield Select(
                    SCOPE_WORDS,
                    value=current.scope if current is not None else "deployment",
                    allow_blank=False,
                    id="limit-scope",
                )
            yield Label("", id="limit-value-error", classes="lc-error")
            with Horizontal(classes="lc-buttons"):
                yield Button("Set (enter)", id="limit-set", variant="primary")
                yield Button("Clear limit", id="limit-clear", disabled=current is None)
                yield Button("Cancel (esc)", id="limit-cancel")

    def on_mount(self) -> None:
        field = self.query_one("#limit-value", Input)
        field.cursor_blink = self.app.ui.cursor_blink
        field.focus()

    @on(Input.Submitted, "#limit-value")
    @on(Button.Pressed, "#limit-set")
    def _set(self) -> None:
        scope = str(self.query_one("#limit-scope", Select).value)
        value = checked_number(
            self.query_one("#limit-value", Input), lambda n: check_limit(n, scope)
        )
        if value is not None:
            self.dismiss(LimitChoice(value, scope))

    @on(Button.Pressed, "#limit-clear")
    def _clear(self) -> None:
        self.dismiss(LimitChoice(None))

    @on(Button.Pressed, "#limit-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
