"""`?`: every key of the screen below and of the app, with its description: the screen's
own keys first, then the app's, then the keys of the focused table or field (cursor
movement and the like, which every Textual app shares). Opened by `ygmon demo`, it first
says what the demo set up (the notes it printed before the app covered them)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

SECTIONS = ("This screen", "Every screen", "The focused table or field, and Textual's")


def _textuals(node: DOMNode) -> set[tuple[str, str]]:
    """(key, action) of the bindings `node` inherits from Textual's own classes (Screen's
    tab and copy, App's ctrl+q): generic, listed last."""
    return {
        (binding.key, binding.action)
        for cls in type(node).__mro__
        if cls.__module__.startswith("textual.")
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", ()))
    }


def key_sections(screen: Screen) -> list[tuple[str, list[str]]]:
    """(heading, lines) per non-empty section, in SECTIONS' order; one line per active
    binding as the footer would name it, keys kept off the footer for room (quit, copy,
    `/`) included."""
    entries = []
    generic = _textuals(screen) | _textuals(screen.app)
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description:
            continue
        shown = binding.key_display or screen.app.get_key_display(binding)
        section = 0 if active.node is screen else 1 if active.node is screen.app else 2
        if (binding.key, binding.action) in generic:
            section = 2
        entries.append((section, binding.action, binding.description, shown or key))
    found: list[list[str]] = [[], [], []]
    seen = set()
    # By section first, so an action bound twice (q and Textual's ctrl+q) is listed
    # under its own key.
    for section, action, description, shown in sorted(entries, key=lambda e: e[0]):
        if (action, description) not in seen:
            seen.add((action, description))
            found[section].append(f"{shown:>10}  {description}")
    return [(heading, lines) for heading, lines in zip(SECTIONS, found, strict=True) if lines]


def key_text(screen: Screen) -> str:
    return "\n\n".join("\n".join([heading, *lines]) for heading, lines in key_sections(screen))


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "app.pop_screen", "Close", id="help.close")]

    def __init__(self, below: Screen, notes: list[tuple[str, str]] | None = None) -> None:
        super().__init__()
        self._text = key_text(below)
        self._notes = notes or []

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            if self._notes:
                yield Static("What the demo set up", classes="help-heading")
                notes = "\n".join(f"{topic}: {what}" for topic, what in self._notes)
                yield Static(notes, id="help-notes", markup=False)
            yield Static("Keys (Esc closes; ctrl+p opens the command palette)", id="help-title")
            yield Static(self._text, id="help-keys", markup=False)
