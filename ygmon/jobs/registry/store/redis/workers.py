"""Worker heartbeats in the Redis registry: one hash field per running worker process."""

from __future__ import annotations

import json
from collections.abc import Mapping

import redis


class RedisWorkers:
    """Heartbeat records of RedisRegistryStore (a mixin)."""

    def beat(self, worker: Mapping[str, str]) -> None:
        try:
            self.r.hset(self.p + "workers", worker["id"], json.dumps(dict(worker)))
        except redis.RedisError as exc:
            raise self._fail(exc) from None

    def remove_worker(self, worker_id: str) -> None:
        try:
            self.r.hdel(self.p + "workers", worker_id)
        except redis.RedisError as exc:
            raise self._fail(exc) from None

    def workers(self) -> list[dict[str, str]]:
        try:
            return [json.loads(v) for v in self.r.hvals(self.p + "workers")]
        except redis.RedisError as exc:
            raise self._fail(exc) from None
