"""The live controls as records in the registry's store (SQLite and Redis): what one
process sets, another reads; a change replaces, a clear drops, a second pause keeps
the first; a limit or rate under 1 is refused before anything is written."""

from __future__ import annotations

import pytest

from ygmon.jobs.registry import live_controls as lc
from ygmon.jobs.runtime import JobRuntime, open_runtime


def test_controls_set_in_one_process_are_read_in_another(runtime: JobRuntime) -> None:
    store = runtime.registry.store
    assert lc.read_controls(store).empty
    lc.set_limit(store, "maintenance", 8, "deployment", 100.0, "ops@example.com")
    lc.set_limit(store, "maintenance", 2, "host", 101.0, "ops@example.com")
    lc.pause_task(store, "canary", 102.0, "ops@example.com")
    lc.pause_task(store, "canary", 103.0, "someone-else")
    lc.set_rate(store, "send-email", 60, 104.0, None)

    other = open_runtime(runtime.profile)
    try:
        seen = lc.read_controls(other.registry.store)
    finally:
        other.close()
    assert seen.limits == {
        "maintenance": lc.QueueLimit("maintenance", 2, "host", 101.0, "ops@example.com")
    }
    assert seen.paused_tasks == {"canary": lc.TaskPause("canary", 102.0, "ops@example.com")}
    assert seen.rates == {"send-email": lc.TaskRate("send-email", 60, 104.0, None)}

    assert lc.clear_limit(store, "maintenance") and not lc.clear_limit(store, "maintenance")
    assert lc.resume_task(store, "canary") and not lc.resume_task(store, "canary")
    assert lc.clear_rate(store, "send-email") and not lc.clear_rate(store, "send-email")
    assert lc.read_controls(store) == lc.NO_CONTROLS


def test_a_limit_or_rate_under_one_is_refused_and_nothing_written(runtime: JobRuntime) -> None:
    store = runtime.registry.store
    with pytest.raises(ValueError, match="at least 1"):
        lc.set_limit(store, "maintenance", 0, "deployment", 1.0, None)
    with pytest.raises(ValueError, match="scope"):
        lc.set_limit(store, "maintenance", 3, "planet", 1.0, None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least 1"):
        lc.set_rate(store, "canary", -5, 1.0, None)
    assert lc.read_controls(store).empty
