"""SQLite: an enqueue waiting for its queue's lock is written by the transaction that
runs next (ygmon.jobs.huey.enqueue_group), and returns only once that committed; when
that transaction rolls back, the enqueue writes itself."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from ygmon.config import LocalProfile
from ygmon.jobs.runtime import JobRuntime, open_runtime
from ygmon.monitor.schemas import JobState


def _profile(tmp_path: Path, namespace: str) -> LocalProfile:
    return LocalProfile(
        broker_url=f"sqlite:///{tmp_path / 'queue.db'}",
        namespace=namespace,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'app.db'}",
    )


def _enqueue_behind_the_lock(runtime: JobRuntime, job_id: str) -> threading.Thread:
    """Start an enqueue while the caller holds the queue's lock; return once it waits."""
    storage = runtime.hueys["maintenance"].storage
    thread = threading.Thread(target=runtime.enqueue, args=("canary",), kwargs={"job_id": job_id})
    thread.start()
    deadline = time.monotonic() + 5
    while not storage._enqueues and time.monotonic() < deadline:
        time.sleep(0.001)
    assert storage._enqueues, "the enqueue never came to wait for the lock"
    return thread


def test_a_dequeue_writes_the_enqueue_waiting_for_the_lock(tmp_path: Path, namespace: str) -> None:
    with open_runtime(_profile(tmp_path, namespace)) as runtime:
        runtime.worker_id = "w-1"
        storage = runtime.hueys["maintenance"].storage
        statements: list[str] = []
        storage.conn.set_trace_callback(statements.append)
        with storage.lock:  # a worker's dequeue holds the queue
            waiting = _enqueue_behind_the_lock(runtime, "g1")
            taken = storage._take_in(storage.conn, 1)
            # One transaction wrote the enqueue and took that very task.
            assert [t[1].id for t in taken] == ["g1"]
            assert runtime.registry.get_job("g1").state == JobState.ACTIVE
        waiting.join(5)
        assert not waiting.is_alive()
        assert [s for s in statements if s.upper() == "COMMIT"] == ["COMMIT"]
        # The enqueue's and the take's counter changes went in one statement.
        assert len([s for s in statements if s.startswith("insert into ygmon_count")]) == 1
        stats = runtime.registry.counts("maintenance")
        assert (stats.waiting, stats.active) == (0, 1)


def test_an_enqueue_whose_group_rolled_back_writes_itself(tmp_path: Path, namespace: str) -> None:
    with open_runtime(_profile(tmp_path, namespace)) as runtime:
        storage = runtime.hueys["maintenance"].storage
        complete = storage.before_commit

        def fails(cur: sqlite3.Cursor) -> None:
            raise sqlite3.OperationalError("disk I/O error")

        with storage.lock:
            waiting = _enqueue_behind_the_lock(runtime, "g2")
            storage.before_commit = fails
            try:
                storage._take_in(storage.conn, 1)
            except sqlite3.OperationalError:
                pass
            else:
                raise AssertionError("the transaction should have failed")
            finally:
                storage.before_commit = complete
            assert runtime.registry.store.get("g2") is None  # rolled back with it
        waiting.join(5)
        assert not waiting.is_alive()
        assert runtime.registry.get_job("g2").state == JobState.WAITING
        assert len(storage.enqueued_items()) == 1
