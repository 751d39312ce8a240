"""When the next poll runs: the interval, pause, and the backoff after failures."""

from __future__ import annotations

from dataclasses import dataclass

MIN_INTERVAL = 0.5
MAX_INTERVAL = 60.0
MAX_BACKOFF = 300.0
"""A failing backend is polled at most every 5 minutes."""


@dataclass
class RefreshPolicy:
    interval: float = 2.0
    paused: bool = False
    failures: int = 0
    retry_after: float | None = None
    """A server's Retry-After, honoured once instead of the doubled delay."""

    def faster(self) -> None:
        self.interval = max(MIN_INTERVAL, round(self.interval / 2, 2))

    def slower(self) -> None:
        self.interval = min(MAX_INTERVAL, self.interval * 2)

    def succeeded(self) -> None:
        self.failures = 0
        self.retry_after = None

    def failed(self, retry_after: float | None = None) -> None:
        self.failures += 1
        self.retry_after = retry_after

    def next_delay(self) -> float:
        """Seconds until the next poll: the interval, doubled per failure, capped."""
        if self.failures == 0:
            return self.interval
        backoff = min(MAX_BACKOFF, self.interval * 2**self.failures)
        if self.retry_after is not None:
            return min(MAX_BACKOFF, max(self.retry_after, self.interval))
        return backoff
