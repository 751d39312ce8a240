"""Claims and the server clock in the Redis registry (a mixin of RedisRegistryStore).

A claim is a key set with NX: the first of several workers to claim a name wins it
until it expires, which is how one periodic run per scheduled minute is enforced
however many workers run the schedule.
"""

from __future__ import annotations

import redis


class RedisClaims:
    def claim(self, key: str, ttl: float) -> bool:
        try:
            return bool(self.r.set(self.p + "claim:" + key, "1", nx=True, px=int(ttl * 1000)))
        except redis.RedisError as exc:
            raise self._fail(exc) from None

    def server_time(self) -> float | None:
        try:
            seconds, micros = self.r.time()
        except redis.RedisError as exc:
            raise self._fail(exc) from None
        return seconds + micros / 1_000_000
