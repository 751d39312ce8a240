"""Export (`e`) and the audit (`A`) under Pilot over the local and the remote backend:
the file an export writes reads back equal to the monitor's models, each retry and each
worker start or stop leaves one audit record with its actor, and snapshots of the Audit
screen and the export dialog at 80x24 and 120x40."""

from __future__ import annotations

import contextlib
import socket
from pathlib import Path

import pytest
from conftest import FAILED_JOBS, NOW, backend_settings, build_app, local_settings, write_config
from pilot_helpers import keys_then_settle, settle, wait_until
from textual.pilot import Pilot

from ygmon.monitor import export
from ygmon.monitor.audit_schemas import AuditRecord
from ygmon.monitor.export import read_export
from ygmon.monitor.job_search_schemas import JobQuery
from ygmon.monitor.schemas import (
    JobState,
    JobSummary,
    LogQuery,
    MetricsAggregationJobLog,
    QueueStats,
)
from ygmon.screens.audit import AuditScreen
from ygmon.screens.export_dialog import ExportDialog
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.keyed_table import KeyedTable

SIZES = [(80, 24), (120, 40)]
SSH = "198.51.100.4 40022 10.0.0.5 22"


@pytest.fixture
def operator(monkeypatch: pytest.MonkeyPatch) -> str:
    """A fixed OS user and SSH client, so records (and snapshots) name them."""
    monkeypatch.setenv("LOGNAME", "ops-kim")
    monkeypatch.setenv("SSH_CONNECTION", SSH)
    return "ops-kim"


async def _export(pilot: Pilot, key: str, fmt_key: str) -> Path:
    app = pilot.app
    before = app.last_export
    await pilot.press(key)
    await settle(pilot)
    await pilot.press("e")
    await settle(pilot)
    assert isinstance(app.screen, ExportDialog)
    await pilot.press(fmt_key)
    await wait_until(pilot, lambda: app.last_export not in (None, before))
    await settle(pilot)
    return app.last_export


async def test_e_exports_failed_queues_and_logs(backend, shared_profile, tmp_path: Path) -> None:
    with backend_settings(backend, shared_profile) as settings:
        app = build_app(settings, UiConfig.frozen(NOW))
        app.export_dir = str(tmp_path / "exports")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            failed = await _export(pilot, "4", "j")
            assert failed.parent == tmp_path / "exports" and failed.suffix == ".json"
            assert read_export(failed, JobSummary) == await export.failed_rows(app.monitor)
            assert {j.id for j in read_export(failed, JobSummary)} >= set(FAILED_JOBS)
            queues = await _export(pilot, "2", "c")
            assert read_export(queues, QueueStats) == await app.monitor.queues()
            logs = await _export(pilot, "3", "c")
            rows = read_export(logs, MetricsAggregationJobLog)
            assert rows == await export.log_rows(app.monitor, LogQuery()) and len(rows) > 20
            # Escape cancels: no file.
            await pilot.press("e")
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
            assert sorted(p.name for p in (tmp_path / "exports").iterdir()) == sorted(
                p.name for p in (failed, queues, logs)
            )


async def test_e_on_a_searched_failed_list_exports_what_it_shows(
    backend, shared_profile, tmp_path: Path
) -> None:
    with backend_settings(backend, shared_profile) as settings:
        app = build_app(settings, UiConfig.frozen(NOW))
        app.export_dir = str(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("4")
            await settle(pilot)
            await pilot.press("slash", *FAILED_JOBS[1], "enter")
            await settle(pilot)
            path = await _export(pilot, "4", "j")
            rows = read_export(path, JobSummary)
            query = JobQuery(q=FAILED_JOBS[1], state=JobState.FAILED)
            assert rows == await export.job_search_rows(app.monitor, query)
            assert [r.id for r in rows] == [FAILED_JOBS[1]]


@pytest.mark.usefixtures("operator")
async def test_a_retry_from_the_tui_is_on_the_audit_screen(backend, fresh_profile) -> None:
    with backend_settings(backend, fresh_profile) as settings:
        app = build_app(settings, UiConfig.frozen(NOW))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("4")
            await settle(pilot)
            await pilot.press("r")
            await settle(pilot)
            await pilot.press("y")
            await settle(pilot)
            await pilot.press("A")
            await settle(pilot)
            assert isinstance(app.screen, AuditScreen)
            records = (await app.monitor.audit_log()).data
            assert len(records) == 1
            (record,) = records
            who = ("ops-kim", "local", "198.51.100.4") if backend == "local" else None
            who = who or ("admin-1", "api", "127.0.0.1")
            assert (record.actor, record.actor_kind, record.address) == who
            assert record.action == "retry" and record.outcome == "ok"
            table = app.screen.query_one(KeyedTable)
            assert [str(r.key.value) for r in table.ordered_rows] == [record.id]
            assert "1 actions" in str(app.screen.query_one("#audit-page").render())
            await pilot.press("enter")  # the record whole
            await settle(pilot)
            whole = str(app.screen.query_one("#audit-expanded").render())
            assert f"retry by {who[0]} ({who[1]}) from {who[2]}" in whole
            assert f"target: {record.target}" in whole and record.target.endswith("bad-2")


async def test_worker_start_and_stop_are_audited(operator: str, fresh_profile, tmp_path) -> None:
    config = write_config(fresh_profile, tmp_path)
    app = build_app(local_settings(fresh_profile), UiConfig.frozen(NOW), worker_config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        worker = app.local_worker
        assert worker is not None and worker.running
        pid = worker.pid
        await pilot.press("s")  # already running: nothing happens, nothing is recorded
        await pilot.press("x")
        await settle(pilot)
        assert not worker.running
        await pilot.press("x")  # not running: nothing to stop
        records: list[AuditRecord] = (await app.monitor.audit_log()).data
        assert [(r.action, r.outcome, r.actor) for r in records] == [
            ("worker-stop", "ok", operator),
            ("worker-start", "ok", operator),
        ]
        # One format for both: the worker's host and pid (the started one's, once known).
        host = socket.gethostname()
        assert [r.target for r in records] == [f"worker on {host}, pid {pid}"] * 2
        await pilot.press("s")
        await settle(pilot)
    # Quitting stops the worker the app started: that stop is recorded too.
    from ygmon.monitor.factory import make_monitor

    monitor = make_monitor(local_settings(fresh_profile))
    try:
        last = (await monitor.audit_log()).data[0]
    finally:
        await monitor.close()
    assert (last.action, last.outcome) == ("worker-stop", "ok")
    assert last.target.endswith("(the app quit)")


@pytest.fixture(scope="module")
def audited_profile(tmp_path_factory: pytest.TempPathFactory) -> object:
    """Seeded data with three recorded actions by a fixed operator over SSH."""
    import asyncio
    import os

    from conftest import frozen_clock, seeded

    from ygmon.errors import YgmonError
    from ygmon.monitor.factory import make_monitor

    profile = seeded(tmp_path_factory.mktemp("ui-audit"))
    saved = {k: os.environ.get(k) for k in ("LOGNAME", "SSH_CONNECTION")}
    os.environ.update(LOGNAME="ops-kim", SSH_CONNECTION=SSH)

    async def act() -> None:
        monitor = make_monitor(local_settings(profile), clock=frozen_clock)
        try:
            await monitor.retry("maintenance", FAILED_JOBS[0])
            for job in ("no-such-job", FAILED_JOBS[0]):
                with contextlib.suppress(YgmonError):
                    await monitor.retry("maintenance", job)
        finally:
            await monitor.close()

    try:
        asyncio.run(act())
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return profile


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_audit_screen_snapshot(snap_compare, audited_profile, size) -> None:
    app = build_app(local_settings(audited_profile), UiConfig.frozen(NOW), target="local: demo")
    # The newest record opened whole under the table (Enter).
    assert snap_compare(app, terminal_size=size, run_before=keys_then_settle("A", "enter"))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_export_dialog_snapshot(snap_compare, shared_profile, size) -> None:
    app = build_app(local_settings(shared_profile), UiConfig.frozen(NOW), target="local: demo")
    assert snap_compare(app, terminal_size=size, run_before=keys_then_settle("4", "e"))


async def test_read_only_app_refuses_with_its_reason_and_records_nothing(shared_profile) -> None:
    """The app knows the backend is read-only and refuses before asking it: nothing
    reached the backend, so there is no attempt to record (a refusal by the backend
    itself, e.g. `ygmon serve --read-only`, is recorded: tests/monitor/test_audit.py)."""
    app = build_app(local_settings(shared_profile.replace(read_only=True)), UiConfig.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        before = (await app.monitor.audit_log()).pagination.total
        await pilot.press("r")
        await settle(pilot)
        (note,) = [n for n in app._notifications if n.title == "Retry refused"]
        assert "read-only" in note.message
        assert (await app.monitor.audit_log()).pagination.total == before


async def test_help_lists_export_audit_and_profile_keys(shared_profile) -> None:
    from textual.widgets import Static

    app = build_app(local_settings(shared_profile), UiConfig.frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        text = str(app.screen.query_one("#help-keys", Static).render())
        assert "Export" in text and "Audit" in text and "Switch profile" in text
