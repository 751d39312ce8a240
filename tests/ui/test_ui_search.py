"""The Search screen: snapshots at 80x24 and 120x40, and Pilot tests pressing real keys
over a Local and a Remote monitor. The index is written by the real search jobs."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import NOW, backend_settings, build_app, local_settings, make_profile
from pilot_helpers import settle, wait_until
from textual.pilot import Pilot
from textual.widgets import Input

from ygmon.config import LocalProfile
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.empty_state import EmptyState
from ygmon.widgets.keyed_table import KeyedTable

SEARCH_QUEUES = ["search-index-update", "search-index-bulk", "search-index-reindex"]


async def _write_content(profile: LocalProfile, enqueue) -> None:
    from ygmon.db import Database
    from ygmon.db.migrate import upgrade
    from ygmon.pipelines.search.content import ContentService

    db = Database(profile.database_url)
    try:
        await upgrade(db)
        content = ContentService(db, enqueue)
        await content.create(
            "creator",
            id="c1",
            stage_name="Nova Lumen",
            bio="Ambient synth producer, night recordings",
            specialties=["music", "sound design"],
        )
        await content.create_many(
            "asset",
            [
                {
                    "id": f"a{i}",
                    "title": f"Night drive {i}" if i % 2 else f"City lights {i}",
                    "description": "timelapse of the harbour at night" if i == 3 else "",
                    "tags": ["night"] if i < 4 else ["day"],
                    "type": "VIDEO",
                    "storage_key": f"assets/a{i}.mp4",
                    "creator_id": "c1",
                }
                for i in range(1, 9)
            ],
        )
        await content.create(
            "blog_post",
            id="b1",
            title="Shooting at night",
            slug="night",
            excerpt="Low light tips",
            content="Night photography needs patience and a tripod.",
        )
    finally:
        await db.dispose()


@pytest.fixture(scope="module")
def search_ui_profile(tmp_path_factory: pytest.TempPathFactory) -> LocalProfile:
    from ygmon.jobs.runtime import open_runtime
    from ygmon.jobs.worker import in_process_worker

    profile = make_profile(tmp_path_factory.mktemp("ui-search"))
    two_hours_ago = NOW - timedelta(hours=2)
    with (
        open_runtime(profile, clock=lambda: two_hours_ago) as rt,
        in_process_worker(profile, SEARCH_QUEUES, runtime=rt, clock=lambda: two_hours_ago),
    ):
        asyncio.run(_write_content(profile, rt.enqueue))
        rt.wait_idle(30, SEARCH_QUEUES)
        rt.enqueue("search-index-reindex")
        rt.wait_idle(30, SEARCH_QUEUES)
    return profile


def _type(*keys: str):
    async def run(pilot: Pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
        typed = "".join(k for k in keys if len(k) == 1)
        await wait_until(pilot, lambda: getattr(pilot.app.screen, "searched_for", "") == typed)
        await settle(pilot)

    return run


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_search_screen(snap_compare, search_ui_profile: LocalProfile, size) -> None:
    app = build_app(local_settings(search_ui_profile), UiConfig.frozen(NOW), target="local: demo")
    assert snap_compare(app, terminal_size=size, run_before=_type("slash", *"night dri"))


async def test_typing_shows_results_and_the_filter_narrows_them(
    search_ui_profile: LocalProfile, backend: str, tmp_path: Path
) -> None:
    with backend_settings(backend, search_ui_profile) as settings:
        app = build_app(settings, UiConfig.frozen(NOW))
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("8")
            await settle(pilot)
            screen = app.screen
            assert screen.query_one("#search-input", Input).has_focus
            assert screen.query_one(EmptyState).has_class("-shown")  # the hint, before a query
            text = str(screen.query_one("#search-reindex").render())
            assert "2h ago" in text and "checked" in text
            await pilot.press(*"night")
            await wait_until(pilot, lambda: screen.searched_for == "night")
            await settle(pilot)
            table = screen.query_one(KeyedTable)
            keys = {row.key.value for row in table.ordered_rows}
            assert {"creator:c1", "blog_post:b1", "asset:a3", "asset:a1"} <= keys
            assert "asset:a8" not in keys  # "City lights 8", tagged day: no night in it
            # Narrow to blog posts with the entity filter.
            done = screen.searches
            screen.query_one("#search-entity").value = "blog_post"
            await wait_until(pilot, lambda: screen.searches > done)
            await settle(pilot)
            assert [row.key.value for row in table.ordered_rows] == ["blog_post:b1"]
            # Hostile input is searched as words: no match, no error.
            done = screen.searches
            screen.query_one("#search-input", Input).value = 'NEAR("night -* ;DROP'
            await wait_until(pilot, lambda: screen.searches > done)
            await settle(pilot)
            assert table.row_count == 0
            assert "No match" in str(screen.query_one(EmptyState).render())


async def test_slash_opens_search_from_any_screen(search_ui_profile: LocalProfile) -> None:
    app = build_app(local_settings(search_ui_profile), UiConfig.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        assert app.current_mode == "search"
        assert app.screen.query_one("#search-input", Input).has_focus
        await pilot.press(*"lumen", "enter")
        await wait_until(pilot, lambda: app.screen.searches >= 1)
        await settle(pilot)
        rows = [r.key.value for r in app.screen.query_one(KeyedTable).ordered_rows]
        assert rows == ["creator:c1"]


async def test_e_exports_the_hits_shown(search_ui_profile: LocalProfile, backend: str, tmp_path):
    from ygmon.monitor.export import read_export
    from ygmon.monitor.search_schemas import SearchHit
    from ygmon.screens.search import LIMIT

    with backend_settings(backend, search_ui_profile) as settings:
        app = build_app(settings, UiConfig.frozen(NOW))
        app.export_dir = str(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("slash", *"night")
            await wait_until(pilot, lambda: app.screen.searches >= 1)
            await settle(pilot)
            await pilot.press("escape", "e")  # out of the query box, where e is text
            await settle(pilot)
            await pilot.press("j")
            await wait_until(pilot, lambda: app.last_export is not None)
            hits = read_export(app.last_export, SearchHit)
            assert hits and hits == (await app.monitor.search("night", None, LIMIT)).hits
            assert app.last_export.name.startswith("ygmon-search-")
