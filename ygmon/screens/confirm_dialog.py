"""A yes/no question over the current screen; dismisses with True or False."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label


def yes_no_bindings(prefix: str) -> list[Binding]:
    """y answers yes, n or Escape no; the ids (`prefix.yes`, `prefix.no`) are for keymaps."""
    return [
        Binding("y", "answer(True)", "Yes", id=f"{prefix}.yes"),
        Binding("n,escape", "answer(False)", "No", id=f"{prefix}.no"),
    ]


class YesNoDialog(ModalScreen[bool]):
    """Answered by key (yes_no_bindings) or by button: the one with id YES_BUTTON is yes,
    any other no. A subclass composes the question and the buttons."""

    YES_BUTTON: ClassVar[str]

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == self.YES_BUTTON)


class ConfirmDialog(YesNoDialog):
    BINDINGS = yes_no_bindings("confirm")
    YES_BUTTON = "confirm-yes"

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Label(self.question, id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button("Yes (y)", id=self.YES_BUTTON, variant="primary")
                yield Button("No (n)", id="confirm-no")
