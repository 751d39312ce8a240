"""The audit log over both backends and both storages: each action leaves exactly one
record with its actor (the OS user and the SSH client locally, the JWT subject through
the API), refusals by a read-only backend are recorded, and the listing pages as the
contract's listings do."""

from __future__ import annotations

import getpass
from pathlib import Path

import httpx
import pytest
from read_only_monitors import read_only_monitors
from servers import (
    FAILED_JOBS,
    admin_token,
    bearer,
    fixed_clock,
    local_settings,
    remote_settings,
    seeded_profile,
)

from ygmon.config import LocalProfile
from ygmon.errors import CannotRetryError, NotFoundError, ReadOnlyError
from ygmon.monitor.audit_schemas import AuditRecord
from ygmon.monitor.factory import make_monitor
from ygmon.monitor.protocol import Monitor

SSH = "203.0.113.7 50022 10.0.0.5 22"


async def _all(monitor: Monitor) -> list[AuditRecord]:
    return (await monitor.audit_log(page=1, page_size=100)).data


async def _one_new(monitor: Monitor, before: list[AuditRecord]) -> AuditRecord:
    after = await _all(monitor)
    assert len(after) == len(before) + 1, "exactly one record per action"
    assert after[1:] == before, "the new record comes first, the older ones unchanged"
    return after[0]


@pytest.fixture
def over_ssh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSH_CONNECTION", SSH)


@pytest.mark.usefixtures("over_ssh")
async def test_a_local_retry_records_the_os_user_and_ssh_client(seeded: LocalProfile) -> None:
    monitor = make_monitor(local_settings(seeded), clock=fixed_clock)
    try:
        before = await _all(monitor)
        await monitor.retry("maintenance", FAILED_JOBS[0])
        record = await _one_new(monitor, before)
        assert (record.actor, record.actor_kind, record.address) == (
            getpass.getuser(),
            "local",
            "203.0.113.7",
        )
        assert (record.action, record.target, record.outcome) == (
            "retry",
            f"maintenance/{FAILED_JOBS[0]}",
            "ok",
        )
        assert record.error is None and record.finished_at is not None
    finally:
        await monitor.close()


@pytest.mark.usefixtures("over_ssh")
async def test_a_retry_through_the_api_records_the_jwt_subject(
    seeded: LocalProfile, server: tuple[str, str]
) -> None:
    base_url, _token = server
    token = admin_token(seeded, user="ops-ada")
    remote = make_monitor(remote_settings(base_url, token))
    local = make_monitor(local_settings(seeded), clock=fixed_clock)
    try:
        before = await _all(remote)
        await remote.retry("maintenance", FAILED_JOBS[1])
        record = await _one_new(remote, before)
        # The server's OS user and SSH session are not who asked: the token's subject is.
        assert (record.actor, record.actor_kind, record.address) == ("ops-ada", "api", "127.0.0.1")
        assert (record.target, record.outcome) == (f"maintenance/{FAILED_JOBS[1]}", "ok")
        # Both backends read the same log, equal model for model.
        assert await _all(local) == await _all(remote)
    finally:
        await remote.close()
        await local.close()


@pytest.mark.parametrize("kind", ["local", "remote"])
async def test_a_failed_action_is_recorded_with_its_error(
    seeded: LocalProfile, server: tuple[str, str], kind: str
) -> None:
    settings = local_settings(seeded) if kind == "local" else remote_settings(*server)
    monitor = make_monitor(settings, clock=fixed_clock if kind == "local" else None)
    try:
        before = await _all(monitor)
        with pytest.raises(NotFoundError):
            await monitor.retry("maintenance", "no-such-job")
        record = await _one_new(monitor, before)
        assert (record.outcome, record.error) == ("error", "Job not found")
        before = await _all(monitor)
        with pytest.raises(CannotRetryError):  # OK_JOBS[0] completed: not retryable
            await monitor.retry("maintenance", "ok-1")
        assert (await _one_new(monitor, before)).outcome == "error"
    finally:
        await monitor.close()


async def test_the_listing_pages_as_the_contract_does(
    seeded: LocalProfile, server: tuple[str, str]
) -> None:
    base_url, token = server
    local = make_monitor(local_settings(seeded), clock=fixed_clock)
    try:
        for _ in range(3):
            with pytest.raises(NotFoundError):
                await local.retry("maintenance", "missing")
        everything = await _all(local)
        page = await local.audit_log(page=2, page_size=2)
        assert page.data == everything[2:4]
        assert page.pagination.to_json() == {
            "page": 2,
            "pageSize": 2,
            "total": len(everything),
            "totalPages": -(-len(everything) // 2),
        }
        body = httpx.get(
            f"{base_url}/api/admin/jobs/audit",
            params={"page": 2, "pageSize": 2},
            headers=bearer(token),
        ).json()
        assert body == {"success": True, **page.to_json()}
        bad = httpx.get(
            f"{base_url}/api/admin/jobs/audit", params={"pageSize": "abc"}, headers=bearer(token)
        )
        assert bad.status_code == 400
        assert bad.json()["details"][0]["path"] == ["pageSize"]
    finally:
        await local.close()


@pytest.fixture
def fresh(tmp_path: Path) -> LocalProfile:
    return seeded_profile(tmp_path)


async def test_read_only_refusals(fresh: LocalProfile) -> None:
    """The backend records its refusals (someone tried to change a read-only server);
    a read-only client refuses before sending anything, so nothing is recorded."""
    async with read_only_monitors(fresh) as (local_ro, server_ro, client_ro):
        with pytest.raises(ReadOnlyError):
            await local_ro.retry("maintenance", FAILED_JOBS[0])
        with pytest.raises(ReadOnlyError):
            await server_ro.retry("maintenance", FAILED_JOBS[0])
        with pytest.raises(ReadOnlyError):
            await client_ro.retry("maintenance", FAILED_JOBS[0])
        records = await _all(local_ro)
        assert [(r.actor_kind, r.outcome) for r in records] == [
            ("api", "refused"),
            ("local", "refused"),
        ]
        assert records[0].actor == "admin-1"
        assert all("read-only" in (r.error or "") for r in records)


@pytest.mark.parametrize("kind", ["local", "remote"])
async def test_ygmon_audit_lists_the_same_records(
    seeded: LocalProfile,
    server: tuple[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    kind: str,
) -> None:
    import asyncio

    from servers import _config_file

    from ygmon.cli import main
    from ygmon.monitor.export import ExportFormat, loads

    local = make_monitor(local_settings(seeded), clock=fixed_clock)
    try:
        with pytest.raises(NotFoundError):
            await local.retry("maintenance", "for-the-cli")
        expected = (await local.audit_log(page=1, page_size=5)).data
    finally:
        await local.close()
    if kind == "local":
        where = ["--config", str(_config_file(seeded, tmp_path)), "--profile", "local"]
    else:
        where = ["--api-url", server[0], "--token", server[1]]
    code = await asyncio.to_thread(main, [*where, "audit", "--page-size", "5", "--json"])
    assert code == 0
    assert loads(capsys.readouterr().out, AuditRecord, ExportFormat.JSON) == expected
    assert await asyncio.to_thread(main, [*where, "audit"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("page 1 of ") and out[0].split() == [
        "AT",
        "WHO",
        "ACTION",
        "TARGET",
        "OUTCOME",
    ]
    assert "maintenance/for-the-cli" in out[1] and "error: Job not found" in out[1]
