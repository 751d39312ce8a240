"""SeedContext: the one random source and the frozen "now" every demo generator shares.

Every id, timestamp and choice comes from here, so a seed and a clock give the same
database twice (the tests compare two runs row by row).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


@dataclass
class SeedContext:
    now: datetime
    seed: int = 7
    media_dir: Path | None = None
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError("seed_database needs an aware datetime for now")
        self.now = self.now.astimezone(UTC)
        self.rng = random.Random(self.seed)

    def new_id(self) -> str:
        """A uuid4-shaped hex id, like the models' default, but drawn from the seed."""
        return f"{self.rng.getrandbits(128):032x}"

    def ago(
        self, *, days: float = 0, hours: float = 0, minutes: float = 0, seconds: float = 0
    ) -> datetime:
        # Whole milliseconds: what the contract's timestamps keep, on both databases.
        delta = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
        return _ms(self.now - delta)

    def later(self, *, hours: float = 0, minutes: float = 0) -> datetime:
        return _ms(self.now + timedelta(hours=hours, minutes=minutes))

    def between(self, start: datetime, end: datetime) -> datetime:
        span = (end - start).total_seconds()
        return _ms(start + timedelta(seconds=self.rng.uniform(0, span)))

    def choice(self, items: Sequence[T]) -> T:
        return self.rng.choice(items)

    def weighted(self, items: Sequence[T], weights: Sequence[float]) -> T:
        return self.rng.choices(items, weights=weights, k=1)[0]


def _ms(value: datetime) -> datetime:
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def iso(value: datetime) -> str:
    """The contract's timestamp text (ISO 8601, milliseconds, Z), for JSON metadata."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
