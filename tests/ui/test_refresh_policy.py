"""The poll timing: interval keys, backoff doubling to 5 minutes, reset on success."""

from __future__ import annotations

from ygmon.tui.refresh_policy import MAX_BACKOFF, RefreshPolicy


def test_backoff_doubles_to_five_minutes_and_resets() -> None:
    policy = RefreshPolicy(interval=2)
    assert policy.next_delay() == 2
    delays = []
    for _ in range(10):
        policy.failed()
        delays.append(policy.next_delay())
    assert delays[:4] == [4, 8, 16, 32]
    assert delays[-1] == MAX_BACKOFF == 300
    policy.succeeded()
    assert policy.next_delay() == 2


def test_rate_limit_retry_after_is_honoured() -> None:
    policy = RefreshPolicy(interval=2)
    policy.failed(retry_after=37)
    assert policy.next_delay() == 37


def test_interval_keys_stay_in_bounds() -> None:
    policy = RefreshPolicy(interval=2)
    for _ in range(10):
        policy.faster()
    assert policy.interval == 0.5
    for _ in range(10):
        policy.slower()
    assert policy.interval == 60
