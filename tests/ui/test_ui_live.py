"""Live behaviour over both backends: retry, filters, new data without a key, a lost server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import (
    FAILED_JOBS,
    NOW,
    backend_settings,
    build_app,
    frozen_clock,
    local_settings,
    remote_settings,
)
from pilot_helpers import settle, wait_until
from servers import serve_on_loopback
from textual.widgets import Input, Select

from ygmon.config import Settings
from ygmon.jobs.runtime import open_runtime
from ygmon.jobs.worker import in_process_worker
from ygmon.screens.confirm_dialog import ConfirmDialog
from ygmon.screens.queue_jobs import QueueJobsScreen
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.app_header import AppHeader
from ygmon.widgets.keyed_table import KeyedTable
from ygmon.widgets.status_banner import StatusBanner


def keys(table: KeyedTable) -> list[str]:
    return [str(row.key.value) for row in table.ordered_rows]


async def test_retry_from_failed_screen_ends_completed(backend, fresh_profile, tmp_path) -> None:
    job_id = FAILED_JOBS[0]
    Path(tmp_path / "fixed").touch()  # the cause is fixed: the retried run succeeds
    with (
        backend_settings(backend, fresh_profile) as settings,
        open_runtime(fresh_profile) as runtime,
        in_process_worker(fresh_profile, ["maintenance"], runtime=runtime),
    ):
        app = build_app(settings, UiConfig.frozen(NOW))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("4")
            await settle(pilot)
            table = app.screen.query_one(KeyedTable)
            table.move_cursor(row=table.get_row_index(job_id))
            await pilot.press("r")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press("y")
            await settle(pilot)
            assert job_id not in keys(app.screen.query_one(KeyedTable))
            runtime.wait_idle(20, queues=["maintenance"])
            job = await app.monitor.job("maintenance", job_id)
            assert job.state == "completed"
            assert any(n.title == "Retry" for n in app._notifications)


@contextmanager
def read_only_settings(kind: str, profile) -> Iterator[Settings]:
    """A read-only local profile, or a `ygmon serve --read-only` the client learns about."""
    if kind == "local":
        yield local_settings(profile.replace(read_only=True))
        return
    with serve_on_loopback(profile, read_only=True, clock=frozen_clock) as (url, token):
        yield remote_settings(url, token)


async def test_read_only_refuses_retry_and_says_why(backend, shared_profile) -> None:
    with read_only_settings(backend, shared_profile) as settings:
        app = build_app(settings, UiConfig.frozen(NOW))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("4")
            await settle(pilot)
            assert app.screen.query_one(AppHeader).has_class("-read-only")
            await pilot.press("r")
            await settle(pilot)
            assert not isinstance(app.screen, ConfirmDialog)
            messages = [n.message for n in app._notifications]
            assert any("read-only" in m for m in messages)


async def test_logs_filters_change_the_rows(backend, shared_profile) -> None:
    with backend_settings(backend, shared_profile) as settings:
        app = build_app(settings, UiConfig.frozen(NOW))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("3")
            await settle(pilot)
            table = app.screen.query_one(KeyedTable)
            before = keys(table)
            assert len(before) == 20
            app.screen.query_one("#filter-status", Select).value = "PARTIAL"
            await settle(pilot)
            after = keys(table)
            assert after and after != before
            statuses = {str(table.get_cell(key, "status")) for key in after}
            assert all("partial" in status for status in statuses)
            page = str(app.screen.query_one("#logs-page").render())
            await pilot.press("pagedown")
            await settle(pilot)
            assert keys(table) != after or "page 1 of 1 " in page

            # Job type and a date range, typed and submitted as a person would.
            app.screen.query_one("#filter-status", Select).clear()
            for field, value in (("#filter-type", "daily"), ("#filter-start", "2026-02-01")):
                app.screen.query_one(field, Input).focus()
                await pilot.press(*value, "enter")
                await settle(pilot)
            rows = keys(table)
            assert rows and all(str(table.get_cell(key, "job_type")) == "daily" for key in rows)
            # The runs shown (their cells show no year: the runs themselves are read).
            started = [app.screen.rows[key].started_at.date().isoformat() for key in rows]
            assert all(day >= "2026-02-01" for day in started)
            app.screen.query_one("#filter-end", Input).focus()
            await pilot.press(*"not-a-date", "enter")
            await settle(pilot)
            # An input error stays at the input (test_ui_logs_filters): not an outage.
            assert not app.screen.query_one(StatusBanner).has_class("-error")
            assert "'not-a-date' is not a date" in str(app.screen.query_one("#logs-page").render())
            assert keys(table) == rows


async def test_a_finished_job_appears_without_a_key_press(backend, fresh_profile) -> None:
    with (
        backend_settings(backend, fresh_profile) as settings,
        open_runtime(fresh_profile) as runtime,
        in_process_worker(fresh_profile, ["maintenance"], runtime=runtime),
    ):
        app = build_app(settings, UiConfig(refresh_interval=0.2))
        async with app.run_test(size=(120, 40)) as pilot:
            app.push_screen(QueueJobsScreen("maintenance"))
            await settle(pilot)
            table = app.screen.query_one(KeyedTable)
            assert "late-1" not in keys(table)
            runtime.enqueue("canary", job_id="late-1")

            def finished() -> bool:
                return (
                    "late-1" in keys(table)
                    and str(table.get_cell("late-1", "state")) == "completed"
                )

            await wait_until(pilot, finished, 15)
