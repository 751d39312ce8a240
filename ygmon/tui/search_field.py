"""The inline search field of a job list (Failed, a queue's jobs): `/` shows it, Enter
applies its words (and hides it when they are none), Escape empties and hides it."""

from __future__ import annotations

from textual.widgets import Input


def show(field: Input) -> None:
    field.display = True
    field.focus()


def submitted_words(event: Input.Submitted) -> str:
    """The words to filter by; the field hides when there are none."""
    words = event.value.strip()
    if not words:
        event.input.display = False
    return words


def dismiss(field: Input, words: str) -> bool:
    """Empty and hide the field if it is in use (focused, or filtering by `words`):
    whether it was (else Escape means something else to the screen)."""
    if not (field.has_focus or words):
        return False
    field.value = ""
    field.display = False
    return True
