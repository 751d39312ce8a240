"""The Failed screen's operator tools under Pilot, over the local and the remote
backend: `g` groups by cause and Enter lists a cause's jobs, `/` searches, `R` / `D`
run a bulk retry / discard through the dry run, the confirm and the progress dialog;
a read-only backend refuses with its reason. Snapshots of each state at 80x24 and
120x40 (test_ui_job_ops_snapshots.py)."""

from __future__ import annotations

from conftest import FAILED_JOBS, NOW, backend_settings, build_app, local_settings
from pilot_helpers import settle, wait_until
from textual.widgets import Input

from ygmon.monitor.schemas import JobState
from ygmon.screens.bulk_dialogs import BulkConfirmDialog
from ygmon.screens.failed import FailedScreen
from ygmon.screens.queue_jobs import QueueJobsScreen
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.keyed_table import KeyedTable


def _rows(app, table: str) -> list[str]:
    return app.screen.query_one(table, KeyedTable)._rows_in_order()


async def test_groups_toggle_and_enter_lists_a_causes_jobs(shared_profile, backend: str) -> None:
    with backend_settings(backend, shared_profile) as settings:
        app = build_app(settings, UiConfig.frozen(NOW))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("4")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, FailedScreen)
            await pilot.press("g")
            await settle(pilot)
            assert screen.grouped and len(_rows(app, "#failed-groups")) == 1
            (group,) = screen._groups.values()
            assert group.count == len(FAILED_JOBS)
            await pilot.press("enter")
            await settle(pilot)
            assert not screen.grouped and screen.group == group
            assert sorted(_rows(app, "#failed-table")) == sorted(FAILED_JOBS)
            await pilot.press("escape")  # back to the causes
            await settle(pilot)
            assert screen.grouped
            await pilot.press("g")
            await settle(pilot)
            assert not screen.grouped and screen.group is None


async def test_slash_searches_the_failed_list(shared_profile, backend: str) -> None:
    with backend_settings(backend, shared_profile) as settings:
        app = build_app(settings, UiConfig.frozen(NOW))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("4")
            await settle(pilot)
            await pilot.press("slash")
            field = app.screen.query_one("#failed-search", Input)
            assert field.display and field.has_focus
            await pilot.press(*"ad-2", "enter")
            await settle(pilot)
            assert _rows(app, "#failed-table") == ["bad-2"]
            await pilot.press("escape")
            await settle(pilot)
            assert sorted(_rows(app, "#failed-table")) == sorted(FAILED_JOBS)
            assert not field.display


async def test_bulk_retry_then_discard_through_the_dialogs(fresh_profile, backend: str) -> None:
    with backend_settings(backend, fresh_profile) as settings:
        app = build_app(settings, UiConfig.frozen(NOW))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("4")
            await settle(pilot)
            await pilot.press("slash", *"ad-1", "enter")
            await settle(pilot)
            await pilot.press("R")
            await settle(pilot)
            assert isinstance(app.screen, BulkConfirmDialog)
            assert app.screen.dry.matched == 1
            await pilot.press("y")
            await wait_until(pilot, lambda: isinstance(app.screen, FailedScreen))
            await settle(pilot)
            notes = [n.message for n in app._notifications]
            assert "1 retried, 0 skipped (no longer failed)." in notes
            job = await app.monitor.job("maintenance", "bad-1")
            assert job.state == JobState.WAITING
            # The other failure: everything left (the search cleared), discarded.
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("D")
            await settle(pilot)
            assert isinstance(app.screen, BulkConfirmDialog) and app.screen.dry.matched == 1
            await pilot.press("y")
            await wait_until(pilot, lambda: isinstance(app.screen, FailedScreen))
            await settle(pilot)
            assert "1 discarded, 0 skipped (no longer failed)." in [
                n.message for n in app._notifications
            ]
            assert (await app.monitor.job("maintenance", "bad-2")).state == JobState.CANCELLED
            assert _rows(app, "#failed-table") == []


async def test_no_answers_no_and_read_only_refuses(shared_profile) -> None:
    app = build_app(local_settings(shared_profile), UiConfig.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, BulkConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, FailedScreen)
        assert len(_rows(app, "#failed-table")) == len(FAILED_JOBS)
    profile = shared_profile.replace(read_only=True)
    app = build_app(local_settings(profile), UiConfig.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        for key in ("R", "D"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, FailedScreen)
        notes = [(n.title, n.message) for n in app._notifications]
        assert ("Bulk retry refused", notes[0][1]) in notes and "read-only" in notes[0][1]
        assert any(title == "Bulk discard refused" for title, _ in notes)


async def test_slash_searches_a_queues_job_list(shared_profile, backend: str) -> None:
    with backend_settings(backend, shared_profile) as settings:
        app = build_app(settings, UiConfig.frozen(NOW))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("2")
            await settle(pilot)
            app.push_screen(QueueJobsScreen("maintenance"))
            await settle(pilot)
            every = _rows(app, "#jobs-table")
            assert len(every) == 4
            await pilot.press("slash", *"bad-", "enter")
            await settle(pilot)
            assert sorted(_rows(app, "#jobs-table")) == sorted(FAILED_JOBS)
            await pilot.press("escape")  # clears the search
            await settle(pilot)
            assert sorted(_rows(app, "#jobs-table")) == sorted(every)
            await pilot.press("escape")  # then goes back
            await settle(pilot)
            assert not isinstance(app.screen, QueueJobsScreen)
