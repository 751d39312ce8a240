"""Huey's revocations hold under ygmon's worker: a revoked job is not run and ends
`cancelled`; a revocation placed while a job runs does not stop its retry.

ygmon's dequeue step reads a task's revocation entries as it takes the task, and the
entry's delete after a successful run goes out with the job's completion (see
ygmon.jobs.huey.revocations); these tests hold both brokers to Huey's own behaviour.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from huey.storage import BaseStorage, RedisStorage, SqliteStorage

from ygmon.jobs.runtime import JobRuntime
from ygmon.jobs.worker import in_process_worker
from ygmon.monitor.schemas import JobState


def test_revoked_jobs_are_cancelled_and_not_run(
    runtime: JobRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    huey = runtime.hueys["maintenance"]
    # Every check must be answered by what the task's own dequeue read, none by a
    # second look at Huey's storage.
    looked_again: list[list[str]] = []
    huey_storage = SqliteStorage if isinstance(huey.storage, SqliteStorage) else RedisStorage
    fallback = huey_storage.peek_many

    def second_look(storage: BaseStorage, keys: list[str]) -> dict[str, bytes]:
        looked_again.append(keys)
        return fallback(storage, keys)

    monkeypatch.setattr(huey_storage, "peek_many", second_look)
    ran: list[str] = []

    def probe(tag: str) -> None:
        ran.append(tag)

    runtime.register_task("probe", "maintenance", probe, attempts=1)
    other = runtime.register_task("other-probe", "maintenance", probe, attempts=1)
    runtime.enqueue("probe", job_id="by-id", tag="by-id")
    runtime.enqueue("probe", job_id="kept", tag="kept")
    runtime.enqueue("other-probe", job_id="by-class", tag="by-class")
    huey.revoke_by_id("by-id")
    huey.revoke_all(other)
    with in_process_worker(runtime.profile, ["maintenance"], workers=1, runtime=runtime):
        runtime.wait_idle(10, ["maintenance"])
    assert ran == ["kept"]
    states = {job_id: runtime.registry.get_job(job_id).state for job_id in ("by-id", "by-class")}
    assert states == {"by-id": JobState.CANCELLED, "by-class": JobState.CANCELLED}
    assert runtime.registry.get_job("kept").state == JobState.COMPLETED
    assert looked_again == []

    huey.restore_all(other)
    runtime.enqueue("other-probe", job_id="restored", tag="restored")
    with in_process_worker(runtime.profile, ["maintenance"], workers=1, runtime=runtime):
        runtime.wait_idle(10, ["maintenance"])
    assert ran == ["kept", "restored"]


def test_a_revocation_placed_while_running_spares_the_retry(
    runtime: JobRuntime, tmp_path: Path
) -> None:
    huey = runtime.hueys["maintenance"]
    marker = tmp_path / "failed-once"

    def revokes_itself_then_fails_once(own: str) -> str:
        huey.revoke_by_id(own)
        if not marker.exists():
            marker.touch()
            raise OSError("first attempt fails")
        return "second attempt"

    runtime.register_task(
        "self-revoking", "maintenance", revokes_itself_then_fails_once, attempts=2, backoff_delay=0
    )
    runtime.enqueue("self-revoking", job_id="sr", own="sr")
    with in_process_worker(runtime.profile, ["maintenance"], workers=2, runtime=runtime):
        runtime.wait_idle(10, ["maintenance"])
    job = runtime.registry.get_job("sr")
    assert (job.state, job.attempts_made, job.result) == (JobState.COMPLETED, 2, "second attempt")
    # Huey clears a revocation placed during a run once the run ends; the second one's
    # delete rode on the completion.
    assert not huey.storage.has_data_for_key("r:sr")


def test_a_huge_completion_batch_deletes_every_revocation_entry(
    redis_url: str, namespace: str
) -> None:
    """Far more completions than one Lua call takes arguments (a few thousand)."""
    import redis

    from ygmon.jobs.registry.store.redis.store import RedisRegistryStore

    store = RedisRegistryStore(redis_url, namespace)
    hash_key = f"huey.results.{namespace}"
    try:
        store.r.hset(hash_key, mapping={f"r:j{i}": "x" for i in range(9000)})
        store.move_many(
            [
                {
                    "job_id": f"j{i}",
                    "to_state": "completed",
                    "fields": {},
                    "huey_delete": (hash_key, f"r:j{i}"),
                }
                for i in range(9000)
            ]
        )
        assert store.r.hlen(hash_key) == 0
    finally:
        redis.Redis.from_url(redis_url).delete(hash_key)
        store.close()
