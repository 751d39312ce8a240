"""`?`: every key of the screen below and of the app, with its description."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def key_lines(screen: Screen) -> list[str]:
    """One line per active binding, as the footer would name it; keys kept off the
    footer for room (quit, copy, `/`) are listed too."""
    lines = []
    seen = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or (binding.action, binding.description) in seen:
            continue
        seen.add((binding.action, binding.description))
        shown = binding.key_display or screen.app.get_key_display(binding)
        lines.append(f"{shown or key:>10}  {binding.description}")
    return lines


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "app.pop_screen", "Close", id="help.close")]

    def __init__(self, below: Screen) -> None:
        super().__init__()
        self._lines = key_lines(below)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static("Keys (Esc closes; ctrl+p opens the command palette)", id="help-title")
            yield Static("\n".join(self._lines), id="help-keys", markup=False)
