"""Redis: the per-job calls sent on each thread's own connection
(ygmon.jobs.registry.store.redis.direct) survive a connection the server dropped, and a lost
activate is not sent twice."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis

from ygmon.config import LocalProfile
from ygmon.errors import UnavailableError
from ygmon.jobs.registry.store.redis.direct import DirectCalls
from ygmon.jobs.runtime import open_runtime


def _drop(url: str, calls: DirectCalls) -> None:
    """Have the server close this thread's connection of `calls`."""
    client_id = calls.call("CLIENT", "ID")
    with redis.Redis.from_url(url) as admin:
        assert admin.client_kill_filter(_id=str(client_id)) == 1


def test_a_dropped_connection_is_opened_again(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    calls = DirectCalls(client)
    try:
        first = calls.call("CLIENT", "ID")
        _drop(redis_url, calls)
        assert calls.call("PING", again=True) == b"PONG"  # sent again on a new connection
        assert calls.call("CLIENT", "ID") != first
        _drop(redis_url, calls)
        with pytest.raises(redis.ConnectionError):
            calls.call("PING")  # not to be repeated: the caller hears of it
        assert calls.call("PING") == b"PONG"
    finally:
        client.close()


@pytest.fixture
def profile(redis_url: str, namespace: str, tmp_path: Path) -> LocalProfile:
    return LocalProfile(
        broker_url=redis_url, namespace=namespace, media_dir=str(tmp_path / "media")
    )


def test_enqueue_and_dequeue_after_the_server_dropped_their_connections(
    profile: LocalProfile, redis_url: str
) -> None:
    with open_runtime(profile) as runtime:
        store = runtime.registry.store
        storage = runtime.hueys["maintenance"].storage
        first = runtime.enqueue("canary")
        _drop(redis_url, store._move_direct._calls)  # type: ignore[attr-defined]
        second = runtime.enqueue("canary")  # the enqueue script is sent again
        assert runtime.registry.counts("maintenance").waiting == 2

        taken = storage.dequeue()
        assert taken is not None
        (activate,) = store._activate_direct.values()  # type: ignore[attr-defined]
        _drop(redis_url, activate._calls)
        # A lost activate reply is an error, not a second run that would take a task
        # nobody receives; the task it did not take is still there for the next call.
        with pytest.raises(UnavailableError):
            storage.dequeue()
        assert storage.dequeue() is not None
        counts = runtime.registry.counts("maintenance")
        assert (counts.waiting, counts.active) == (0, 2)
        assert {runtime.registry.store.get(j)["state"] for j in (first, second)} == {"active"}
