"""The SQLite registry's cheap paths: a running job lives in `ygmon_active` yet reads as
`active` everywhere, one dequeue transaction may take a task for a waiting thread too,
completions ride on dequeues (and survive one that rolls back), and files from before
`ygmon_active` are adopted."""

from __future__ import annotations

import sqlite3
import time
import uuid
from pathlib import Path

import pytest

from ygmon.config import LocalProfile
from ygmon.job_ids import new_job_id
from ygmon.jobs.registry import completions
from ygmon.jobs.registry.store.sqlite.store import SqliteRegistryStore
from ygmon.jobs.runtime import open_runtime
from ygmon.jobs.worker import in_process_worker
from ygmon.monitor.schemas import JobState


def _profile(tmp_path: Path, namespace: str) -> LocalProfile:
    return LocalProfile(
        broker_url=f"sqlite:///{tmp_path / 'queue.db'}",
        namespace=namespace,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'app.db'}",
    )


def test_new_job_ids_are_uuid7_and_sort_by_time() -> None:
    ids = [new_job_id() for _ in range(1000)]
    assert len(set(ids)) == 1000
    assert all(len(i) == 32 and uuid.UUID(i).version == 7 for i in ids)
    assert ids[0][:12] <= ids[-1][:12]  # the millisecond prefix never goes back


def test_a_taken_job_reads_active_until_it_finishes(tmp_path: Path, namespace: str) -> None:
    with open_runtime(_profile(tmp_path, namespace)) as runtime:
        runtime.worker_id = "w-1"
        huey = runtime.hueys["maintenance"]
        ids = [runtime.enqueue("canary", job_id=f"j{n}") for n in range(3)]
        task = huey.dequeue()
        assert task.id == "j0"
        registry, store = runtime.registry, runtime.registry.store
        job = registry.get_job("j0")
        assert (job.state, job.worker_id, job.attempts_made) == (JobState.ACTIVE, "w-1", 1)
        assert job.started_at is not None
        assert store.ids_in(None, "active", 10) == ["j0"]
        assert store.ids_in("maintenance", "waiting", 10) == ["j1", "j2"]
        active, total = registry.list_jobs("maintenance", JobState.ACTIVE, 0, 10)
        assert [j.id for j in active] == ["j0"] and total == 1
        waiting, total = registry.list_jobs("maintenance", JobState.WAITING, 0, 10)
        assert [j.id for j in waiting] == ["j2", "j1"] and total == 2
        everything, total = registry.list_jobs(None, None, 0, 10)
        assert sorted(j.id for j in everything) == ids and total == 3

        huey.execute(task)
        runtime.completions.flush()
        done = registry.get_job("j0")
        assert (done.state, done.worker_id, done.attempts_made) == (JobState.COMPLETED, "w-1", 1)
        assert done.result == {"slept": 0.0}
        assert store.ids_in(None, "active", 10) == []
        stats = registry.counts("maintenance")
        assert (stats.waiting, stats.active, stats.completed) == (2, 0, 1)


def test_one_dequeue_takes_a_task_for_a_thread_waiting_on_it(
    tmp_path: Path, namespace: str
) -> None:
    with open_runtime(_profile(tmp_path, namespace)) as runtime:
        storage = runtime.hueys["maintenance"].storage
        for n in range(3):
            runtime.enqueue("canary", job_id=f"j{n}")
        storage._wanting = 1  # as if a second worker thread were blocked on the lock
        first = storage.take()
        assert first is not None and first[1].id == "j0"
        # j1 was taken in the same transaction for the waiting thread: active already.
        assert runtime.registry.counts("maintenance").active == 2
        assert runtime.registry.get_job("j1").state == JobState.ACTIVE
        second = storage.take()
        assert second is not None and second[1].id == "j1"
        storage._wanting = 0
        third = storage.take()
        assert third is not None and third[1].id == "j2"
        assert storage.take() is None
        stats = runtime.registry.counts("maintenance")
        assert (stats.waiting, stats.active) == (0, 3)


def test_completions_of_a_busy_queue_ride_on_its_dequeues(tmp_path: Path, namespace: str) -> None:
    profile = _profile(tmp_path, namespace)
    with open_runtime(profile) as runtime:
        own: list[int] = []  # batches the flusher wrote in a transaction of their own
        write = runtime.completions._write_batch

        def counted(queue: str, moves: list) -> None:
            own.append(len(moves))
            write(queue, moves)

        runtime.completions._write_batch = counted
        for _ in range(300):
            runtime.enqueue("canary")
        with in_process_worker(profile, ["maintenance"], 2, runtime=runtime):
            runtime.wait_idle(30, ["maintenance"])
        stats = runtime.registry.counts("maintenance")
        assert (stats.waiting, stats.active, stats.completed, stats.failed) == (0, 0, 300, 0)
        # Only what finished after the queue's last dequeues needed a commit of its own.
        assert sum(own) <= 2 * 32, own


def test_a_file_from_before_ygmon_active_is_adopted(tmp_path: Path) -> None:
    path = str(tmp_path / "old.db")
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        create table ygmon_job (
            ns text not null, id text not null, queue text not null, task text not null,
            state text not null, args text, kwargs text, attempts_made text,
            attempts_allowed text, progress text, enqueued_at text, started_at text,
            finished_at text, worker_id text, error_message text, error_stack text,
            stalled_count text, result text, priority text, sort_at real not null,
            primary key (ns, id));
        create index ygmon_job_qs on ygmon_job (ns, queue, state, sort_at);
        create table ygmon_count (
            ns text not null, queue text not null, state text not null,
            n integer not null default 0, primary key (ns, queue, state));
        insert into ygmon_job (ns, id, queue, task, state, attempts_made, enqueued_at,
            started_at, worker_id, sort_at)
            values ('ns', 'old', 'maintenance', 'canary', 'active', '1', '1.0', '2.0', 'w', 1.0);
        insert into ygmon_count values ('ns', 'maintenance', 'active', 1);
        """
    )
    conn.close()
    store = SqliteRegistryStore(path, "ns")
    try:
        record = store.get("old")
        assert record is not None
        assert (record["state"], record["worker_id"], record["started_at"]) == (
            "active",
            "w",
            "2.0",
        )
        assert store.ids_in(None, "active", 10) == ["old"]
        assert store.ids_in(None, "waiting", 10) == []
        assert store.move("old", "completed", {}, allowed_from=frozenset({"active"}), sort_at=3.0)
        assert store.counts() == {("maintenance", "active"): 0, ("maintenance", "completed"): 1}
        assert store.get("old")["state"] == "completed"  # type: ignore[index]
    finally:
        store.close()


def test_completions_taken_by_a_dequeue_that_rolls_back_are_still_written(
    tmp_path: Path, namespace: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(completions, "TAKE_AT", 1)  # the next dequeue takes any completion
    profile = _profile(tmp_path, namespace)
    with open_runtime(profile) as runtime:
        huey = runtime.hueys["maintenance"]
        runtime.enqueue("canary", job_id="done")
        runtime.enqueue("canary", job_id="next")
        huey.execute(huey.dequeue())  # "done" ran; its completion waits for a dequeue
        activate = huey.storage.on_dequeue

        def disk_fails(cur: sqlite3.Cursor, task: object, counts: dict) -> None:
            raise sqlite3.OperationalError("disk I/O error")

        huey.storage.on_dequeue = disk_fails
        with pytest.raises(sqlite3.OperationalError):
            huey.storage.take()  # took "done"'s completion along, then rolled back
        huey.storage.on_dequeue = activate
        deadline = time.monotonic() + 5
        while runtime.registry.get_job("done").state != JobState.COMPLETED:
            assert time.monotonic() < deadline, "the completion was lost with the rollback"
            time.sleep(0.02)
        assert runtime.registry.get_job("next").state == JobState.WAITING
