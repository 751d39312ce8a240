"""How the Redis registry reads a window of its buckets (history, latency, depth): each
kind keeps a sorted set of its bucket starts per step beside one hash per bucket, so a
window is two round trips whatever the number of queues and tasks."""

from __future__ import annotations

import redis


class RedisBucketReads:
    """The window read shared by RedisHistory and RedisLatency (a mixin of
    RedisRegistryStore: it uses the store's client)."""

    def _hashes(self, kind: str, step: int, start: int, end: int) -> list[tuple[int, dict]]:
        """(bucket start, hash) of `kind` ('hist', 'lat' or 'depth') buckets of `step`
        starting in [start, end): the starts that hold data, then their hashes."""
        try:
            starts = [
                int(at) for at in self.r.zrangebyscore(f"{self.p}{kind}:{step}", start, f"({end}")
            ]
            pipe = self.r.pipeline(transaction=False)
            for at in starts:
                pipe.hgetall(f"{self.p}{kind}:{step}:{at}")
            hashes = pipe.execute() if starts else []
        except redis.RedisError as exc:
            raise self._fail(exc) from None
        return list(zip(starts, hashes, strict=True))
