"""StoreClock: the offset to the store's time comes from the round trip of least delay
(issue 27: a worker's first TIME also opened its Redis connection, 45 ms under load,
which put every started_at it wrote 22 ms late and the latency figure with it)."""

from __future__ import annotations

import time

from ygmon.jobs.registry.clock import StoreClock


def test_a_slow_first_round_trip_does_not_set_the_offset() -> None:
    calls = 0

    def server_time() -> float:
        # The same clock as this host's (the true offset is 0); the first trip is slow
        # after the server has answered, as a connection's set-up makes it.
        nonlocal calls
        calls += 1
        now = time.time()
        if calls == 1:
            time.sleep(0.08)
        return now

    clock = StoreClock(server_time)
    clock.sync()
    assert abs(clock.offset) < 0.01, clock.offset


def test_a_store_without_a_clock_keeps_an_offset_of_zero() -> None:
    clock = StoreClock(lambda: None)
    clock.sync()
    assert clock.offset == 0.0
    assert abs(clock.now() - time.time()) < 0.01
