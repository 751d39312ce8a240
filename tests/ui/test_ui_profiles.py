"""Switching profiles in the app (P and the command palette) under Pilot: the old
Monitor closes, the header names the new profile in its colour, and every screen shows
the new profile's data; snapshots of the picker and of a coloured header."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from conftest import FAILED_JOBS, NOW, make_profile
from pilot_helpers import keys_then_settle, settle, wait_until
from servers import admin_token, serve_on_loopback
from textual.pilot import Pilot
from textual.widgets import Label
from textual.worker import Worker, WorkerState, get_current_worker

from ygmon.commands.tui import make_app
from ygmon.config import LocalProfile, load_settings
from ygmon.screens.failed import FailedScreen
from ygmon.screens.profile_picker import ProfilePicker
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.keyed_table import KeyedTable

SIZES = [(80, 24), (120, 40)]


def _table(name: str, values: dict[str, object]) -> list[str]:
    lines = [f"[profiles.{name}]"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in values.items()]
    return lines


def _local(profile: LocalProfile, **extra: object) -> dict[str, object]:
    table = profile.table(changed_only=True)
    return {k: v for k, v in table.items() if not isinstance(v, dict)} | extra


def _header(app) -> tuple[str, str, bool]:
    header = app.screen.query_one("AppHeader")
    label = header.query_one("#header-profile", Label)
    target = str(header.query_one("#header-target", Label).render())
    return str(label.render()), target, header.has_class("-read-only")


def _failed_ids(app) -> set[str]:
    return {str(r.key.value) for r in app.screen.query_one(KeyedTable).ordered_rows}


async def _pick(pilot: Pilot, downs: int) -> None:
    await pilot.press("ctrl+o")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ProfilePicker)
    for _ in range(downs):
        await pilot.press("down")
    old = pilot.app.monitor
    await pilot.press("enter")
    await wait_until(pilot, lambda: pilot.app.monitor is not old)
    await settle(pilot)


async def test_p_switches_profiles_and_every_screen_follows(
    shared_profile: LocalProfile, tmp_path: Path
) -> None:
    empty = make_profile(tmp_path / "empty")
    with serve_on_loopback(shared_profile) as (base_url, _token):
        token = admin_token(shared_profile, user="staging-bot")
        config = tmp_path / "ygmon.toml"
        lines = _table("local", _local(shared_profile))
        lines += _table("prod", _local(empty, colour="red"))
        lines += _table(
            "staging", {"api_url": base_url, "token": token, "read_only": True, "colour": "yellow"}
        )
        config.write_text("\n".join(lines) + "\n")
        app = make_app(load_settings(config=str(config), profile="local"), UiConfig.frozen(NOW))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("4")
            await settle(pilot)
            assert _header(app)[0] == "local" and _failed_ids(app) >= set(FAILED_JOBS)
            first = app.monitor
            await _pick(pilot, 1)  # prod: an empty registry
            assert first._db is None and first._reader is None  # the old monitor closed
            assert isinstance(app.screen, FailedScreen)  # the same screen, afresh
            name, target, read_only = _header(app)
            assert name == "prod" and "empty" in target and not read_only
            label = app.screen.query_one("#header-profile", Label)
            assert label.styles.background.rgb == (255, 0, 0)
            assert _failed_ids(app) == set()
            await pilot.press("2")
            await settle(pilot)
            assert all(str(r.key.value) for r in app.screen.query_one(KeyedTable).ordered_rows)
            await pilot.press("4")
            await settle(pilot)
            # staging through the command palette's provider, as a user finds it there.
            from ygmon.tui.profile_commands import ProfileCommands

            provider = ProfileCommands(app.screen)
            hits = [hit async for hit in provider.search("staging")]
            assert [str(h.text) for h in hits] == ["Switch profile: staging"]
            old = app.monitor
            hits[0].command()
            await wait_until(pilot, lambda: app.monitor is not old)
            await settle(pilot)
            await wait_until(pilot, lambda: bool(_failed_ids(app)))
            name, target, read_only = _header(app)
            assert (name, target, read_only) == ("staging", f"remote: {base_url}", True)
            assert _failed_ids(app) >= set(FAILED_JOBS)  # the same data, through the API
            assert app.local_worker is None  # a remote profile runs no worker here


async def test_a_broken_profile_is_named_and_the_app_stays(
    shared_profile: LocalProfile, tmp_path: Path
) -> None:
    config = tmp_path / "ygmon.toml"
    lines = [*_table("local", _local(shared_profile)), "[profiles.bad]", 'colour = "reddish"']
    config.write_text("\n".join(lines) + "\n")
    app = make_app(load_settings(config=str(config), profile="local"), UiConfig.frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        monitor = app.monitor
        await pilot.press("ctrl+o")
        await settle(pilot)
        text = str(app.screen.query_one("#profiles-list").get_option_at_index(1).prompt)
        assert "invalid" in text and "profiles.bad.colour" in text
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.monitor is monitor and _header(app)[0] == "local"


@pytest.fixture
def fixed_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config whose paths are relative to the working directory, so the picker's
    descriptions are the same on every machine."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ygmon.toml").write_text(
        "\n".join(
            [
                "[profiles.local]",
                'database_url = "sqlite+aiosqlite:///./ygmon.db"',
                'broker_url = "sqlite:///./ygmon-queue.db"',
                "[profiles.prod]",
                'database_url = "postgresql+asyncpg://ygmon@db.internal:5432/ygmon"',
                'broker_url = "redis://redis.internal:6379/0"',
                'colour = "red"',
                "[profiles.staging]",
                'api_url = "http://127.0.0.1:9"',
                "read_only = true",
                'colour = "yellow"',
            ]
        )
        + "\n"
    )
    return tmp_path / "ygmon.toml"


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_profile_picker_snapshot(snap_compare, fixed_place: Path, size) -> None:
    app = make_app(load_settings(config=str(fixed_place), profile="local"), UiConfig.frozen(NOW))
    assert snap_compare(app, terminal_size=size, run_before=keys_then_settle("2", "ctrl+o"))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_coloured_header_snapshot(snap_compare, fixed_place: Path, size) -> None:
    """After a switch to staging: its name on yellow, READ-ONLY, its (unreachable) URL."""
    app = make_app(load_settings(config=str(fixed_place), profile="local"), UiConfig.frozen(NOW))

    async def run(pilot: Pilot) -> None:
        await keys_then_settle("2", "ctrl+o", "down", "down")(pilot)
        old = app.monitor
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.monitor is not old)
        await settle(pilot)
        app.clear_notifications()
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run)


def test_every_profile_colour_is_one_textual_draws() -> None:
    from textual.color import Color

    from ygmon.profile_keys import COLOURS, header_colour

    for colour in COLOURS:
        Color.parse(header_colour(colour))  # raises on a name Textual does not know


async def test_a_switch_moves_the_alerts_to_the_new_profiles_rules(
    shared_profile: LocalProfile, tmp_path: Path
) -> None:
    """The old profile's firing alerts leave the header; the new profile's rules (here
    none) are what the app checks from then on."""
    config = tmp_path / "ygmon.toml"
    lines = _table("watched", _local(shared_profile))
    lines += ["[profiles.watched.alerts]", 'no_worker = [{ queue = "email" }]']
    lines += _table("quiet", _local(shared_profile))
    config.write_text("\n".join(lines) + "\n")
    app = make_app(load_settings(config=str(config), profile="watched"), UiConfig.frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: bool(app.alert_watch.firing))
        await settle(pilot)
        alerts = app.screen.query_one("#header-alerts", Label)
        assert str(alerts.render()).startswith("ALERT email")
        await _pick(pilot, 1)
        assert _header(app)[0] == "quiet"
        assert app.alert_watch.firing == []
        alerts = app.screen.query_one("#header-alerts", Label)
        assert str(alerts.render()) == ""


async def test_a_poll_that_returns_while_its_screen_is_thrown_away_ends_quietly(
    shared_profile: LocalProfile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A switch rebuilds every screen; the Overview built on the way polls, and its read
    may come back after the switch began taking that screen down (its widgets gone, the
    screen not yet closed). The poll must end there, not fail on the missing widgets."""
    from ygmon.screens.overview import OverviewScreen

    config = tmp_path / "ygmon.toml"
    lines = _table("one", _local(shared_profile)) + _table("two", _local(shared_profile))
    config.write_text("\n".join(lines) + "\n")
    read = OverviewScreen.fetch
    rows: list[object] = []
    late: list[Worker] = []

    async def late_read(self: OverviewScreen) -> object:
        if not rows:  # profile one's read, before the switch
            rows.append(await read(self))
            return rows[0]
        late.append(get_current_worker())
        # The same rows, returned at the worst moment: the screen's widgets gone.
        while self.query("#overview-summary") or not self._pruning:
            await asyncio.sleep(0)
        return rows[0]

    app = make_app(load_settings(config=str(config), profile="one"), UiConfig.frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        monkeypatch.setattr(OverviewScreen, "fetch", late_read)
        app.action_refresh_now()
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        assert await app.switch_profile("two")
        await settle(pilot)  # raises a worker's failure
        assert len(late) == 1, "the Overview built during the switch polled"
        await wait_until(pilot, lambda: late[0].is_finished)
        assert late[0].state != WorkerState.ERROR, late[0].error
        assert isinstance(app.screen, FailedScreen) and _failed_ids(app) >= set(FAILED_JOBS)
