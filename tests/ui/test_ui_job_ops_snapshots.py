"""Snapshots of the Failed screen's new states at 80x24 and 120x40: the causes, the
search box with its results, the bulk confirm dialog and the progress dialog."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from conftest import NOW, build_app, local_settings, seeded
from pilot_helpers import keys_then_settle, wait_until
from textual.pilot import Pilot

from ygmon.screens import bulk_dialogs
from ygmon.screens.bulk_dialogs import BulkProgressDialog
from ygmon.screens.queue_jobs import QueueJobsScreen
from ygmon.tui.ui_config import UiConfig

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
@pytest.mark.parametrize(
    "keys",
    [("4", "g"), ("4", "slash", *"fix", "enter"), ("4", "R")],
    ids=["groups", "search", "bulk-confirm"],
)
def test_failed_states(snap_compare, shared_profile, keys: tuple[str, ...], size) -> None:
    app = build_app(local_settings(shared_profile), UiConfig.frozen(NOW), target="local: demo")
    assert snap_compare(app, terminal_size=size, run_before=keys_then_settle(*keys))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_queue_job_search(snap_compare, shared_profile, size) -> None:
    app = build_app(local_settings(shared_profile), UiConfig.frozen(NOW), target="local: demo")

    async def search(pilot: Pilot) -> None:
        await keys_then_settle("2")(pilot)
        app.push_screen(QueueJobsScreen("maintenance"))
        await keys_then_settle("slash", *"ok", "enter")(pilot)

    assert snap_compare(app, terminal_size=size, run_before=search)


class HeldAfterOneBatch:
    """The real monitor, except that a bulk retry's second batch waits until the test
    ends: the progress dialog stays half-way for its snapshot."""

    def __init__(self, monitor: Any) -> None:
        self._monitor = monitor
        self.batches = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._monitor, name)

    async def bulk_retry(self, selection: Any, dry_run: bool) -> Any:
        if not dry_run:
            self.batches += 1
            if self.batches > 1:
                await asyncio.Event().wait()
        return await self._monitor.bulk_retry(selection, dry_run)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_bulk_progress(snap_compare, tmp_path, monkeypatch, size) -> None:
    monkeypatch.setattr(bulk_dialogs, "BULK_BATCH", 1)
    profile = seeded(tmp_path)  # its own data (this retries one job); errors name no tmp path
    app = build_app(local_settings(profile), UiConfig.frozen(NOW), target="local: demo")
    app.monitor = HeldAfterOneBatch(app.monitor)

    async def half_way(pilot: Pilot) -> None:
        await keys_then_settle("4", "R")(pilot)
        await pilot.press("y")
        await wait_until(
            pilot, lambda: isinstance(app.screen, BulkProgressDialog) and app.screen.done == 1
        )
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=half_way)
