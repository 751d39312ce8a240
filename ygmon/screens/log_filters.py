"""The Logs screen's filters: checked as they are typed, in the field, and applied only
whole and valid (Enter, leaving the field, a status chosen).

The screen's polls read the applied filters, never the fields: a half-typed date is
marked in its field and never sent, so it can neither fail a poll (the outage banner)
nor slow the refresh (the back-off).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.validation import ValidationResult, Validator

DATE_HINT = "YYYY-MM-DD"


class IsoDate(Validator):
    """An empty field (no bound) or a whole date."""

    def validate(self, value: str) -> ValidationResult:
        text = value.strip()
        if not text:
            return self.success()
        try:
            date.fromisoformat(text)
        except ValueError:
            return self.failure(f"'{text}' is not a date ({DATE_HINT})")
        return self.success()


def day(text: str) -> date | None:
    """A field's date, once IsoDate passed it."""
    text = text.strip()
    return date.fromisoformat(text) if text else None


@dataclass(frozen=True)
class LogFilters:
    """The filters the table shows: applied ones, not what the fields hold meanwhile."""

    job_type: str | None = None
    status: str | None = None
    start: date | None = None
    end: date | None = None

    def problem(self) -> str | None:
        """Why these filters cannot match anything, or None."""
        if self.start is not None and self.end is not None and self.start > self.end:
            return f"from {self.start} is after to {self.end}"
        return None
