"""Replay with edited arguments through each backend: the new job waits with the edited
arguments and both details name each other; a dry run and bad arguments enqueue
nothing; read-only backends refuse with the contract's 403 body, recorded."""

from __future__ import annotations

import httpx
import pytest
from servers import (
    FAILED_JOBS,
    OK_JOBS,
    fixed_clock,
    local_settings,
    remote_settings,
    seeded_profile,
    serve_on_loopback,
)

from ygmon.config import LocalProfile
from ygmon.errors import CannotRetryError, InvalidQueryError, ReadOnlyError
from ygmon.monitor.factory import make_monitor
from ygmon.monitor.schemas import JobState


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> LocalProfile:
    """Seeded data only this module changes (one profile for both backends: each
    test replays a job of its own)."""
    return seeded_profile(tmp_path_factory.mktemp("replay"))


async def _waiting(monitor) -> int:
    return next(q for q in await monitor.queues() if q.name == "maintenance").waiting


@pytest.mark.parametrize(("kind", "old"), [("local", FAILED_JOBS[0]), ("remote", FAILED_JOBS[1])])
async def test_replay_runs_edited_arguments_linked_both_ways(
    fresh: LocalProfile, kind: str, old: str
) -> None:
    with serve_on_loopback(fresh, clock=fixed_clock) as (base_url, token):
        settings = local_settings(fresh) if kind == "local" else remote_settings(base_url, token)
        monitor = make_monitor(settings, clock=fixed_clock)
        try:
            before = await _waiting(monitor)
            edited = {"fail": False, "seconds": 0.01}
            dry = await monitor.replay("maintenance", old, edited, dry_run=True)
            assert dry.job_id is None and dry.dry_run and dry.old_kwargs == {"fail": True}
            assert '-  "fail": true' in dry.diff() and '+  "seconds": 0.01' in dry.diff()

            with pytest.raises(InvalidQueryError) as bad:
                await monitor.replay("maintenance", old, {"fail": "no", "sleep": 1})
            assert sorted(tuple(i["path"]) for i in bad.value.details) == [
                ("kwargs", "fail"),
                ("kwargs", "sleep"),
            ]
            assert await _waiting(monitor) == before  # neither sent a job

            result = await monitor.replay("maintenance", old, edited)
            assert result.job_id and result.replay_of == old and result.kwargs == edited
            new = await monitor.job("maintenance", result.job_id)
            assert new.state == JobState.WAITING and new.kwargs == edited
            assert new.replay_of == old
            assert (await monitor.job("maintenance", old)).replayed_as == [result.job_id]
            assert await _waiting(monitor) == before + 1

            with pytest.raises(CannotRetryError, match="waiting"):
                await monitor.replay("maintenance", result.job_id, None)
            records = [r for r in (await monitor.audit_log()).data if r.action == "replay"]
            done = [
                r
                for r in records
                if r.outcome == "ok" and r.target.startswith(f"maintenance/{old}")
            ]
            assert [r.target for r in done] == [f"maintenance/{old} -> {result.job_id}"]
        finally:
            await monitor.close()


async def test_read_only_backends_refuse_replay(fresh: LocalProfile) -> None:
    old = OK_JOBS[0]
    with serve_on_loopback(fresh, read_only=True) as (base_url, token):
        local = make_monitor(local_settings(fresh.replace(read_only=True)))
        client_ro = make_monitor(remote_settings(base_url, token, read_only=True))
        try:
            for monitor in (local, client_ro):
                with pytest.raises(ReadOnlyError, match="read-only"):
                    await monitor.replay("maintenance", old, {"seconds": 1})
            response = httpx.post(
                f"{base_url}/api/admin/jobs/maintenance/{old}/replay",
                json={"kwargs": {"seconds": 1}},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert response.status_code == 403
            assert response.json() == {
                "success": False,
                "error": "Replay is disabled: this backend is read-only",
            }
            assert (await local.job("maintenance", old)).replayed_as == []
            refused = [r for r in (await local.audit_log()).data if r.action == "replay"]
            # The local refusal and the server's: the read-only client sent nothing.
            assert [r.outcome for r in refused if r.target == f"maintenance/{old}"] == [
                "refused",
                "refused",
            ]
        finally:
            await local.close()
            await client_ro.close()
