"""Keys that mean one thing, a help that starts with the screen's own, and actions that
say what they will do: a bulk retry into a paused queue warns in its confirmation, and
the audit log names a bulk action's count, queue and cause in words. Snapshots of the
help and of that confirmation at 80x24 and 120x40."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import NOW, build_app, local_settings, seeded
from pilot_helpers import keys_then_settle, settle, wait_until
from textual.pilot import Pilot
from textual.widgets import Label, Static

from ygmon.app import SCREENS_BY_KEY, YgmonApp
from ygmon.config import LocalProfile
from ygmon.screens.bulk_dialogs import BulkConfirmDialog
from ygmon.screens.failed import FailedScreen
from ygmon.screens.help_screen import SECTIONS, HelpScreen
from ygmon.screens.queue_jobs import QueueJobsScreen
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.keyed_table import KeyedTable

SIZES = [(80, 24), (120, 40)]
EXAMPLE_CONFIG = Path(__file__).parents[2] / "config.example.toml"


@pytest.fixture(scope="module")
def paused_profile(tmp_path_factory: pytest.TempPathFactory) -> LocalProfile:
    """The shared data with the maintenance queue (where the failed jobs are) paused."""
    import asyncio

    from ygmon.monitor.factory import make_monitor

    profile = seeded(tmp_path_factory.mktemp("ui-paused"))

    async def pause() -> None:
        monitor = make_monitor(local_settings(profile))
        try:
            await monitor.pause_queue("maintenance")
        finally:
            await monitor.close()

    asyncio.run(pause())
    return profile


async def test_help_lists_the_screens_and_apps_keys_before_the_tables(shared_profile) -> None:
    app = build_app(local_settings(shared_profile), UiConfig.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-keys", Static).render())
        lines = text.splitlines()
        assert lines[0] == SECTIONS[0] and lines[1].split() == ["r", "Retry"]
        screen, everywhere, table = (text.index(heading) for heading in SECTIONS)
        assert screen < text.index("Retry all") < everywhere < text.index("Quit") < table
        assert table < text.index("Cursor up")  # the table's keys come last


async def _keys_of_every_screen(app: YgmonApp, pilot: Pilot) -> dict[str, set[str]]:
    """Each letter key's descriptions over every screen (the screen's and the app's)."""
    meanings: dict[str, set[str]] = defaultdict(set)

    def collect() -> None:
        for key, active in app.screen.active_bindings.items():
            if len(key) == 1 and key.isalpha() and active.node in (app.screen, app):
                meanings[key].add(active.binding.description)

    for key, _mode, _title, _make in SCREENS_BY_KEY:
        await pilot.press(key)
        await settle(pilot)
        collect()
    app.push_screen(QueueJobsScreen("maintenance"))
    await settle(pilot)
    collect()
    return meanings


async def test_one_meaning_per_key_across_screens(shared_profile) -> None:
    app = build_app(local_settings(shared_profile), UiConfig.frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        meanings = await _keys_of_every_screen(app, pilot)
    several = {key: words for key, words in meanings.items() if len(words) > 1}
    assert not several, several
    # Nor one word on two keys: `p Pause` beside `P Pause queue` read as one action.
    pausing = {k for k, words in meanings.items() if any("Pause" in w for w in words)}
    assert pausing == {"P"}, meanings
    assert meanings["R"] == {"Retry all"} and meanings["S"] == {"Restart worker"}


def test_the_example_config_names_the_profile_key() -> None:
    line = next(
        line for line in EXAMPLE_CONFIG.read_text().splitlines() if "Switching profiles" in line
    )
    named = re.search(r"\(([^)]+)\)", line)
    (binding,) = [b for b in YgmonApp.BINDINGS if getattr(b, "action", "") == "pick_profile"]
    assert named is not None and named.group(1) == binding.key


async def test_bulk_retry_into_a_paused_queue_warns(paused_profile) -> None:
    app = build_app(local_settings(paused_profile), UiConfig.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_then_settle("4", "R")(pilot)
        assert isinstance(app.screen, BulkConfirmDialog)
        warning = str(app.screen.query_one("#bulk-paused", Label).render())
        assert warning.startswith("maintenance is paused: 2 of these will wait there")
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, FailedScreen)
        # A discard runs nothing, so it has nothing to warn of.
        await keys_then_settle("D")(pilot)
        assert isinstance(app.screen, BulkConfirmDialog)
        assert not app.screen.query("#bulk-paused")


async def test_a_bulk_retrys_audit_target_names_count_queue_and_cause(fresh_profile) -> None:
    app = build_app(local_settings(fresh_profile), UiConfig.frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await keys_then_settle("4", "g", "R")(pilot)  # the cause under the cursor
        assert isinstance(app.screen, BulkConfirmDialog)
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, FailedScreen))
        await settle(pilot)
        record = (await app.monitor.audit_log()).data[0]
        assert record.action == "bulk-retry" and record.outcome == "ok"
        count, cause = record.target.split(" · ")
        assert count == "2 failed jobs in maintenance"
        assert re.fullmatch(r'cause "RuntimeError: canary: .* does not exist" \([0-9a-f]+\)', cause)
        await keys_then_settle("A")(pilot)  # and the Audit screen shows it so
        row = app.screen.query_one(KeyedTable).get_row(record.id)
        assert str(row[-1]).startswith("2 failed jobs in maintenance · cause ")


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_help_snapshot(snap_compare, shared_profile, size) -> None:
    app = build_app(local_settings(shared_profile), UiConfig.frozen(NOW), target="local: demo")
    assert snap_compare(app, terminal_size=size, run_before=keys_then_settle("4", "question_mark"))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_paused_bulk_confirm_snapshot(snap_compare, paused_profile, size) -> None:
    app = build_app(local_settings(paused_profile), UiConfig.frozen(NOW), target="local: demo")
    assert snap_compare(app, terminal_size=size, run_before=keys_then_settle("4", "R"))
