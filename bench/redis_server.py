"""The Redis a bench measures against: YGMON_BENCH_REDIS_URL when set; else a
redis-server of the bench's own on a free loopback port when one is installed (the
machine's shared Redis serves other processes' tests, and each of their scripts stalls
both sides' calls), else redis://127.0.0.1:6379/0. While the bench's own server runs,
SERVER_CPU holds its client, so a bench can count the server's CPU time too.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from typing import Any

REDIS_URL = os.environ.get("YGMON_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
OWN_REDIS = "YGMON_BENCH_REDIS_URL" not in os.environ and shutil.which("redis-server")

SERVER_CPU: list[Any] = []
"""The Redis client of the bench's own server, while one runs (its CPU counts too)."""


@contextlib.contextmanager
def own_redis() -> Iterator[str]:
    """The URL of the Redis a bench uses (see the module's docstring)."""
    if not OWN_REDIS:
        yield REDIS_URL
        return
    import redis

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [OWN_REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        SERVER_CPU.append(client)
        yield url
    finally:
        SERVER_CPU.clear()
        client.close()
        server.terminate()
        server.wait(10)


def drop_redis_keys(url: str, ns: str) -> None:
    import redis

    r = redis.Redis.from_url(url)
    for pattern in (f"{ns}:*", f"huey.*{ns}*"):
        keys = list(r.scan_iter(pattern, count=10_000))
        for i in range(0, len(keys), 10_000):
            r.delete(*keys[i : i + 10_000])
