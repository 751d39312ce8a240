"""What the live controls leave in the Redis registry, read back (a mixin of
RedisRegistryStore): the jobs held aside per queue and task, and each rate-limited
task's starts of the last minute. The activate script writes both (take_lua)."""

from __future__ import annotations

from collections.abc import Iterable

import redis

from ygmon.jobs.registry.store.base import RATE_WINDOW


class RedisControls:
    def held_counts(self) -> dict[tuple[str, str], int]:
        """Jobs held aside (still `waiting`) per (queue, task)."""
        return {pair: n for pair, n in self._pair_counts("held").items() if n > 0}

    def recent_starts(self, tasks: Iterable[str], now: float) -> dict[str, int]:
        """Starts of each of `tasks` in the 60 seconds before `now`, as its rate limit
        counts them (recorded only while the task has one)."""
        names = list(tasks)
        try:
            pipe = self.r.pipeline(transaction=False)
            for task in names:
                pipe.zcount(f"{self.p}rate:{task}", f"({now - RATE_WINDOW!r}", "+inf")
            counts = pipe.execute()
        except redis.RedisError as exc:
            raise self._fail(exc) from None
        return dict(zip(names, map(int, counts), strict=True))
