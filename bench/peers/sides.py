"""A peer bound to one Redis database: the same few calls ygmon_side.Ygmon answers, so
each figure runs every tool through one loop."""

from __future__ import annotations

import subprocess
import time
from typing import Any

import redis

from bench.peers import workers


class PeerSide:
    def __init__(self, peer: workers.Peer, url: str, extra: dict[str, str] | None = None) -> None:
        self.peer = peer
        self.name = peer.name
        self.layout = peer.layout
        self.url = url
        self.extra = extra or {}
        self.r = redis.Redis.from_url(url)

    def start(self, concurrency: int) -> subprocess.Popen[bytes]:
        return workers.start(self.peer.argv(concurrency), workers.peer_env(self.url, self.extra))

    def enqueue(self, *args: object) -> dict[str, Any]:
        return workers.peer_drive(self.peer, self.url, *args, extra=self.extra)

    def mark(self) -> int:
        return self.peer.done(self.r)

    def wait_done(self, mark: int, n: int, seconds: float) -> None:
        workers.wait_for(
            lambda: self.peer.done(self.r) >= mark + n, seconds, f"{self.name} to finish {n} jobs"
        )

    def latencies(self, n: int, seconds: float, sent: dict[str, Any]) -> list[float]:
        workers.wait_for(
            lambda: self.r.llen("bench:lat") >= n, seconds, f"{self.name}'s {n} starts"
        )
        values = [float(v) for v in self.r.lrange("bench:lat", 0, -1)]
        self.r.delete("bench:lat")
        return values

    def running(self) -> int:
        """Sleepers started and not finished (after a kill: those it interrupted)."""
        return int(self.r.hlen("bench:started")) - int(self.r.hlen("bench:finished"))

    def crash_finished(self) -> int:
        return int(self.r.hlen("bench:finished"))

    def crash_outcome(self, n: int) -> dict[str, int]:
        """Of the n sleepers: finished, run twice or more, still held by the broker
        (stuck: nothing will run them without a manual step or a long timeout), lost."""
        started = {k: int(v) for k, v in self.r.hgetall("bench:started").items()}
        finished = {k: int(v) for k, v in self.r.hgetall("bench:finished").items()}
        held = int(workers.peer_drive(self.peer, self.url, "held", extra=self.extra)["held"])
        stuck = min(held, n - len(finished))
        return {
            "finished": len(finished),
            "reran": sum(1 for k in finished if started.get(k, 0) > 1),
            "stuck": stuck,
            "lost": n - len(finished) - stuck,
        }

    def close(self) -> None:
        self.r.close()


def wait_running(side: Any, n: int, seconds: float) -> None:
    """Until n jobs run at once, or the first one finished (a pool that starts them
    slowly never runs all n together: the kill then cuts as many as it ever ran), or
    `seconds` passed."""
    deadline = time.monotonic() + seconds
    while side.running() < n and not side.crash_finished() and time.monotonic() < deadline:
        time.sleep(0.005)
