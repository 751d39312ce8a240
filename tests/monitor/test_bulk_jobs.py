"""Bulk retry and bulk discard of failed jobs through each backend, on the SQLite and
the Redis registry, with a real worker; read-only refuses each change with its reason."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from servers import (
    TEST_SECRET,
    bearer,
    delete_namespace,
    local_settings,
    need_env,
    remote_settings,
    serve_on_loopback,
)

from ygmon.config import LocalProfile
from ygmon.errors import ReadOnlyError
from ygmon.jobs.runtime import open_runtime
from ygmon.jobs.worker import in_process_worker
from ygmon.monitor.factory import make_monitor
from ygmon.monitor.job_search_schemas import BulkSelection
from ygmon.monitor.protocol import Monitor
from ygmon.monitor.schemas import JobState

FAILING = 6


@pytest.fixture(params=["sqlite", "redis"])
def failing(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[LocalProfile, Path]]:
    """A profile whose registry holds FAILING failed canaries (they fail while `fix`
    does not exist) and one that fails for another cause."""
    namespace = f"t{uuid.uuid4().hex[:10]}"
    broker = (
        f"sqlite:///{tmp_path / 'queue.db'}"
        if request.param == "sqlite"
        else need_env("YGMON_TEST_REDIS_URL", "Redis")
    )
    profile = LocalProfile(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'ygmon.db'}",
        broker_url=broker,
        namespace=namespace,
        jwt_secret=TEST_SECRET,
        media_dir=str(tmp_path / "media"),
    )
    fix = tmp_path / "fixed"
    with open_runtime(profile) as rt, in_process_worker(profile, ["maintenance"], runtime=rt):
        for n in range(FAILING):
            rt.enqueue("canary", job_id=f"needs-fix-{n}", fail_unless=str(fix / str(n)))
        rt.enqueue("canary", job_id="other-cause", fail=True)
        rt.wait_idle(20, queues=["maintenance"])
    try:
        yield profile, fix
    finally:
        if request.param == "redis":
            delete_namespace(broker, namespace)


def _monitors(profile: LocalProfile, base_url: str, token: str) -> dict[str, Monitor]:
    return {
        "local": make_monitor(local_settings(profile)),
        "remote": make_monitor(remote_settings(base_url, token)),
    }


@pytest.mark.parametrize("kind", ["local", "remote"])
async def test_bulk_retry_dry_run_agrees_and_retried_jobs_complete(
    failing: tuple[LocalProfile, Path], kind: str
) -> None:
    profile, fix = failing
    with serve_on_loopback(profile) as (base_url, token):
        monitor = _monitors(profile, base_url, token)[kind]
        try:
            (group,) = [g for g in await monitor.failure_groups() if g.count == FAILING]
            assert group.message == "canary: <path> does not exist"
            selection = BulkSelection(group_key=group.key)
            dry = await monitor.bulk_retry(selection, dry_run=True)
            assert dry.matched == FAILING and dry.by_queue == {"maintenance": FAILING}
            assert (await monitor.failed_jobs()).pagination.total == FAILING + 1  # unchanged
            for n in range(FAILING):
                (fix / str(n)).mkdir(parents=True)
            with in_process_worker(profile, ["maintenance"]) as _worker:
                done = await monitor.bulk_retry(selection, dry_run=False)
                assert (done.matched, done.retried, done.skipped) == (dry.matched, FAILING, 0)
                open_rt = open_runtime(profile)
                try:
                    open_rt.wait_idle(20, queues=["maintenance"])
                finally:
                    open_rt.close()
            for n in range(FAILING):
                job = await monitor.job("maintenance", f"needs-fix-{n}")
                assert job.state == JobState.COMPLETED
            failed = await monitor.failed_jobs()
            assert [j.id for j in failed.data] == ["other-cause"]
            # Nothing left to retry in that group: a second run matches none.
            again = await monitor.bulk_retry(selection, dry_run=False)
            assert (again.matched, again.retried) == (0, 0)
        finally:
            await monitor.close()


@pytest.mark.parametrize("kind", ["local", "remote"])
async def test_bulk_discard_moves_jobs_to_cancelled(
    failing: tuple[LocalProfile, Path], kind: str
) -> None:
    profile, _fix = failing
    with serve_on_loopback(profile) as (base_url, token):
        monitor = _monitors(profile, base_url, token)[kind]
        try:
            selection = BulkSelection(q="fixed", queue_name="maintenance")
            dry = await monitor.bulk_discard(selection, dry_run=True)
            assert dry.matched == FAILING and dry.discarded == 0
            # In batches, as the TUI runs it: each batch takes the next still-failed ones.
            first = await monitor.bulk_discard(selection.model_copy(update={"limit": 4}), False)
            rest = await monitor.bulk_discard(selection, dry_run=False)
            assert (first.discarded, rest.discarded) == (4, FAILING - 4)
            failed = await monitor.failed_jobs()
            assert [j.id for j in failed.data] == ["other-cause"]
            cancelled = await monitor.jobs("maintenance", JobState.CANCELLED)
            assert sorted(j.id for j in cancelled.data) == [f"needs-fix-{n}" for n in range(6)]
            assert sum(g.count for g in await monitor.failure_groups()) == 1
            everything = await monitor.bulk_discard(BulkSelection(), dry_run=False)
            assert (everything.matched, everything.discarded) == (1, 1)
            assert (await monitor.failed_jobs()).pagination.total == 0
        finally:
            await monitor.close()


async def test_read_only_refuses_bulk_changes_with_the_reason(
    failing: tuple[LocalProfile, Path],
) -> None:
    profile, _fix = failing
    with serve_on_loopback(profile, read_only=True) as (base_url, token):
        monitors = [
            make_monitor(local_settings(profile.replace(read_only=True))),
            make_monitor(remote_settings(base_url, token)),
            make_monitor(remote_settings(base_url, token, read_only=True)),
        ]
        try:
            for monitor in monitors:
                for action in (monitor.bulk_retry, monitor.bulk_discard):
                    with pytest.raises(ReadOnlyError, match=r"is disabled: this .* is read-only"):
                        await action(BulkSelection(), dry_run=False)
                    # A dry run changes nothing: it still answers.
                    assert (await action(BulkSelection(), dry_run=True)).matched == FAILING + 1
            assert (await monitors[0].failed_jobs()).pagination.total == FAILING + 1
        finally:
            for monitor in monitors:
                await monitor.close()


def test_bulk_endpoints_answer_the_contract_shape_and_refuse_bad_bodies(
    failing: tuple[LocalProfile, Path],
) -> None:
    profile, _fix = failing
    with serve_on_loopback(profile) as (base_url, token):
        url = f"{base_url}/api/admin/jobs/bulk"

        def post(action: str, body: object) -> httpx.Response:
            return httpx.post(f"{url}/{action}", json=body, headers=bearer(token), timeout=10)

        answer = post("retry", {"dryRun": True, "queueName": "maintenance"})
        assert answer.status_code == 200
        assert answer.json() == {
            "success": True,
            "data": {
                "dryRun": True,
                "matched": FAILING + 1,
                "retried": 0,
                "skipped": 0,
                "byQueue": {"maintenance": FAILING + 1},
            },
        }
        assert post("discard", {"dryRun": True, "q": "asked"}).json()["data"]["matched"] == 1
        for body in (
            {},
            {"dryRun": "yes"},
            {"dryRun": True, "colour": 1},
            [1],
            {"dryRun": True, "limit": 0},
        ):
            bad = post("retry", body)
            assert bad.status_code == 400, body
            assert bad.json()["error"] == "Invalid query parameters" and bad.json()["details"]
        assert post("discard", {"dryRun": True, "queueName": "nope"}).status_code == 404
