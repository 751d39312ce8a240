"""Export: which format, shown over the list it exports; dismisses with "csv", "json"
or None (cancelled)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label


class ExportDialog(ModalScreen[str | None]):
    BINDINGS = [
        Binding("c", "choose('csv')", "CSV", id="export.csv"),
        Binding("j", "choose('json')", "JSON", id="export.json"),
        Binding("escape,n", "choose(None)", "Cancel", id="export.cancel"),
    ]

    def __init__(self, what: str, directory: str) -> None:
        super().__init__()
        self.what = what
        self.directory = directory

    def compose(self) -> ComposeResult:
        with Vertical(id="export"):
            yield Label(f"Export {self.what}", id="export-title")
            where = "the current directory" if self.directory in ("", ".") else self.directory
            yield Label(f"to a new file in {where}", id="export-where")
            with Horizontal(id="export-buttons"):
                yield Button("CSV (c)", id="export-csv", variant="primary")
                yield Button("JSON (j)", id="export-json")
                yield Button("Cancel (esc)", id="export-cancel")

    def action_choose(self, fmt: str | None) -> None:
        self.dismiss(fmt)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        choice = (event.button.id or "").removeprefix("export-")
        self.dismiss(None if choice == "cancel" else choice)
