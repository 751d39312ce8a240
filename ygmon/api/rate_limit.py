"""100 requests a minute per admin user (docs/CONTRACT.md#rate-limit), with the limits library.

A moving window: at most 100 in any 60 seconds. A fixed window (per calendar minute)
let 200 through in two seconds across a minute's boundary.

Counters live in Redis, under the profile's namespace, when the broker is Redis (so
several `ygmon serve` processes share them) and in memory otherwise.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from limits import RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

from ygmon.config import LocalProfile
from ygmon.errors import UnavailableError

PER_MINUTE = 100


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    reset: int
    """Unix seconds when the oldest counted request leaves the window."""

    def headers(self) -> dict[str, str]:
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset),
        }
        if not self.allowed:
            headers["Retry-After"] = str(max(1, math.ceil(self.reset - time.time())))
        return headers


def make_storage(profile: LocalProfile) -> Storage:
    url = profile.broker_url
    if url.startswith(("redis://", "rediss://")):
        return RedisStorage(
            "async+" + url,
            implementation="redispy",
            key_prefix=f"{profile.namespace}:ygmon:ratelimit",
            socket_timeout=2,
            socket_connect_timeout=2,
        )
    return MemoryStorage()


class RateLimiter:
    def __init__(self, storage: Storage, per_minute: int = PER_MINUTE) -> None:
        self.item = RateLimitItemPerMinute(per_minute)
        self.limiter = MovingWindowRateLimiter(storage)

    async def hit(self, key: str) -> Verdict:
        """Count one request of `key`; UnavailableError when Redis cannot be reached."""
        try:
            allowed = await self.limiter.hit(self.item, key)
            stats = await self.limiter.get_window_stats(self.item, key)
        except Exception as exc:  # the storage's own errors differ per backend
            raise UnavailableError(f"cannot reach the rate-limit storage: {exc}") from exc
        return Verdict(allowed, self.item.amount, max(0, stats.remaining), int(stats.reset_time))
