"""Query parameters validated the way the platform's zod schemas do, with zod's issues.

`page=abc` gives `{"code": "invalid_type", "expected": "number", "received": "string",
"path": ["page"], "message": "Expected number, received string"}`; every issue carries
code, expected, received, path and message. All issues of a request are reported at once.
An empty value (`?page=`) is absent only for text; a number, a choice or a date that is
empty is an issue, as zod's coercion makes it one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from ygmon.api.issues import issue
from ygmon.api.models import MAX_PAGE, MAX_PAGE_SIZE
from ygmon.errors import InvalidQueryError

_INT = re.compile(r"^[+-]?\d+$")
_NUM = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class QueryParams:
    """Reads typed values out of a query string, collecting zod-like issues."""

    def __init__(self, raw: Mapping[str, str]) -> None:
        self.raw = raw
        self.issues: list[dict[str, Any]] = []

    def _issue(self, name: str, code: str, expected: str, received: str, message: str) -> None:
        self.issues.append(issue(name, code, expected, received, message))

    def integer(self, name: str, default: int, minimum: int, maximum: int | None = None) -> int:
        value = self.raw.get(name)
        if value is None:
            return default
        if not _INT.match(value):
            if _NUM.match(value):
                self._issue(
                    name, "invalid_type", "integer", "float", "Expected integer, received float"
                )
            else:
                self._issue(
                    name, "invalid_type", "number", "string", "Expected number, received string"
                )
            return default
        number = int(value)
        if number < minimum:
            self._issue(
                name,
                "too_small",
                f"number >= {minimum}",
                str(number),
                f"Number must be greater than or equal to {minimum}",
            )
            return default
        if maximum is not None and number > maximum:
            self._issue(
                name,
                "too_big",
                f"number <= {maximum}",
                str(number),
                f"Number must be less than or equal to {maximum}",
            )
            return default
        return number

    def number(self, name: str, above: float) -> float | None:
        """A number greater than `above` (None when absent or not one)."""
        value = self.raw.get(name)
        if value is None:
            return None
        if not _NUM.match(value):
            self._issue(
                name, "invalid_type", "number", "string", "Expected number, received string"
            )
            return None
        number = float(value)
        if not number > above:
            self._issue(
                name,
                "too_small",
                f"number > {above:g}",
                value,
                f"Number must be greater than {above:g}",
            )
            return None
        return number

    def pages(self) -> tuple[int, int]:
        """`page` and `pageSize`, as every paginated listing takes them."""
        page = self.integer("page", 1, 1, MAX_PAGE)
        return page, self.integer("pageSize", 50, 1, MAX_PAGE_SIZE)

    def choice(self, name: str, options: Sequence[str]) -> str | None:
        value = self.raw.get(name)
        if value is None:
            return None
        if value not in options:
            expected = " | ".join(f"'{o}'" for o in options)
            self._issue(
                name,
                "invalid_enum_value",
                expected,
                f"'{value}'",
                f"Invalid enum value. Expected {expected}, received '{value}'",
            )
            return None
        return value

    def text(self, name: str, max_length: int = 64) -> str | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return None
        if len(value) > max_length:
            self._issue(
                name,
                "too_big",
                f"string of at most {max_length} characters",
                f"string of {len(value)} characters",
                f"String must contain at most {max_length} character(s)",
            )
            return None
        return value

    def day(self, name: str) -> date | None:
        value = self.raw.get(name)
        if value is None:
            return None
        try:
            if not _DATE.match(value):
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            self._issue(
                name, "invalid_string", "ISO 8601 date (YYYY-MM-DD)", f"'{value}'", "Invalid date"
            )
            return None

    def check(self) -> None:
        """Raise InvalidQueryError when any value did not validate."""
        if self.issues:
            raise InvalidQueryError(self.issues)
