"""Counters of the Redis registry: jobs per queue and state, last completion times,
and the retention trims that keep both exact.
"""

from __future__ import annotations

import redis

from ygmon.jobs.registry.store.base import Retention


class RedisCounters:
    """Counter reads and writes of RedisRegistryStore (a mixin)."""

    def counts(self) -> dict[tuple[str, str], int]:
        return self._pair_counts("counts")

    def _pair_counts(self, name: str) -> dict[tuple[str, str], int]:
        """The hash `name` of counts keyed `a|b`, as {(a, b): n}."""
        try:
            raw = self.r.hgetall(self.p + name)
        except redis.RedisError as exc:
            raise self._fail(exc) from None
        out = {}
        for key, n in raw.items():
            first, _, second = key.partition("|")
            out[(first, second)] = int(n)
        return out

    def trim(self, queue: str, state: str, retention: Retention) -> int:
        try:
            return int(
                self._trim(args=[self.p, queue, state, retention.keep, repr(retention.min_time)])
            )
        except redis.RedisError as exc:
            raise self._fail(exc) from None

    def last_finished(self, key: str) -> float | None:
        try:
            value = self.r.hget(self.p + "last", key)
        except redis.RedisError as exc:
            raise self._fail(exc) from None
        return float(value) if value is not None else None
