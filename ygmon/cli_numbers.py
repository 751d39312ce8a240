"""The argparse types of every number a command line takes: finite, in range, or a
usage error (exit 2) while parsing, never a job that fails later.

`float("nan")`, `float("inf")` and `1e308` are all floats to Python; a sleep of nan
seconds or a delay of 1e308 seconds parses and then fails (or waits for ever) in a
worker. Durations are bounded by a year, counts by what each command can use.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

MAX_SECONDS = 366 * 24 * 3600.0
"""A year: longer is a typo, not a plan."""


def seconds(text: str) -> float:
    """A duration in seconds: finite, 0 to a year."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {text!r}") from None
    if not math.isfinite(value) or not 0 <= value <= MAX_SECONDS:
        raise argparse.ArgumentTypeError(
            f"expected seconds from 0 to {MAX_SECONDS:.0f} (a year), got {text!r}"
        )
    return value


def integer(low: int, high: int) -> Callable[[str], int]:
    """An argparse type for a whole number from `low` to `high`."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"expected {low} to {high}, got {text!r}")
        return value

    parse.__name__ = "integer"
    return parse
