"""The profile picker (ctrl+o): the config file's profiles, the current one marked; Enter
switches to the highlighted one, Escape keeps the current. Dismisses with a name or None."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


class ProfilePicker(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Keep this profile", id="profiles.cancel")]

    def __init__(self, profiles: Sequence[tuple[str, str]], current: str | None) -> None:
        """`profiles`: (name, what it reads) pairs, in the file's order."""
        super().__init__()
        self.profiles = list(profiles)
        self.current = current

    def compose(self) -> ComposeResult:
        options = []
        width = max((len(name) for name, _ in self.profiles), default=0)
        for name, what in self.profiles:
            mark = "● " if name == self.current else "  "
            label = Text.assemble((mark + name.ljust(width), "bold"), "  ", (what, "dim"))
            # One line each, cut at the list's width: a long database URL must not wrap.
            label.no_wrap = True
            label.overflow = "ellipsis"
            options.append(Option(label, id=name))
        with Vertical(id="profiles"):
            yield Label("Switch profile", id="profiles-title")
            yield OptionList(*options, id="profiles-list")
            yield Label("Enter switches · Esc keeps the current one", id="profiles-hint")

    def on_mount(self) -> None:
        names = [name for name, _ in self.profiles]
        option_list = self.query_one(OptionList)
        if self.current in names:
            option_list.highlighted = names.index(self.current)
        option_list.focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
