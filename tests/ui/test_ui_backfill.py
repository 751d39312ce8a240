"""`b` on Schedules: the backfill dialog's preview lists each period of the range with
its state and what would run; Run starts the backfill's job with those runs, oldest
first, and one audit record. The dialog after a preview at 80x24 and 120x40."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

import pytest
from conftest import NOW, build_app, local_settings, make_profile
from pilot_helpers import settle, wait_until
from textual.pilot import Pilot
from textual.widgets import Button, Input

from ygmon.config import LocalProfile
from ygmon.jobs.registry.store import make_store
from ygmon.screens.backfill_dialog import BackfillDialog
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.keyed_table import KeyedTable

TASK = "aggregate-weekly"


@pytest.fixture(scope="module")
def empty_profile(tmp_path_factory: pytest.TempPathFactory) -> LocalProfile:
    """A migrated database with no aggregation run logged: every period is missing."""
    from ygmon.db import Database
    from ygmon.db.migrate import upgrade

    profile = make_profile(tmp_path_factory.mktemp("ui-backfill"))

    async def migrate() -> None:
        db = Database(profile.database_url)
        try:
            await upgrade(db)
        finally:
            await db.dispose()

    asyncio.run(migrate())
    return profile


def _preview_of_february() -> Callable[[Pilot], Awaitable[None]]:
    async def run(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("9")
        await settle(pilot)
        table = pilot.app.screen.query_one(KeyedTable)
        keys = [str(k.value) for k in table.rows]
        table.move_cursor(row=keys.index(TASK))
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, BackfillDialog))
        dialog = pilot.app.screen
        dialog.query_one("#backfill-from", Input).value = "2026-02-01"
        dialog.query_one("#backfill-to", Input).value = "2026-02-28"
        await pilot.pause()
        await pilot.click("#backfill-preview")
        await settle(pilot)

    return run


async def test_preview_then_run(empty_profile: LocalProfile) -> None:
    app = build_app(local_settings(empty_profile), UiConfig.frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await _preview_of_february()(pilot)
        dialog = app.screen
        slots = str(dialog.query_one("#backfill-slots").render())
        # The weeks starting in February, all closed by NOW (4 March) and none logged.
        assert slots.count("→ run") == 4 and "skip" not in slots, slots
        assert "missing" in slots
        summary = str(dialog.query_one("#backfill-summary").render())
        assert "4 of 4 periods would run" in summary and "at most 2 at once" in summary
        run = dialog.query_one("#backfill-run", Button)
        assert not run.disabled
        await pilot.click("#backfill-run")
        await wait_until(
            pilot, lambda: "Backfill job" in str(dialog.query_one("#backfill-summary").render())
        )
        store = make_store(empty_profile.broker_url, empty_profile.namespace)
        try:
            ids = store.ids_in("maintenance", "waiting", 10)
            (job,) = [store.get(i) for i in ids if store.get(i)["task"] == "backfill"]
        finally:
            store.close()
        runs = json.loads(job["kwargs"])["runs"]
        assert [r["date"] for r in runs] == ["2026-02-02", "2026-02-09", "2026-02-16", "2026-02-23"]
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, BackfillDialog))
        audit = (await app.monitor.audit_log()).data
        assert [r.outcome for r in audit if r.action == "backfill"] == ["ok"]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_backfill_preview_snapshot(snap_compare, empty_profile: LocalProfile, size) -> None:
    app = build_app(local_settings(empty_profile), UiConfig.frozen(NOW), target="local: demo")
    assert snap_compare(app, terminal_size=size, run_before=_preview_of_february())
