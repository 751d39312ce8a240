"""What a new user saw and reported (issue 13, point 6), each held by a test: the
header names a remote backend as remote, footer keys keep apart, the Failed table's
time column fits 80 columns, an empty job list reads right, and the Worker screen
lists workers the registry's heartbeats show though this app started none."""

from __future__ import annotations

import itertools
import os

from conftest import NOW, build_app, local_settings
from pilot_helpers import settle, wait_until

from ygmon.config import LocalProfile, RemoteProfile, Settings
from ygmon.jobs.worker import in_process_worker
from ygmon.profile_targets import target_of
from ygmon.screens.queue_jobs import QueueJobsScreen
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.app_footer import AppFooter
from ygmon.widgets.empty_state import EmptyState
from ygmon.widgets.keyed_table import KeyedTable


def test_the_header_names_a_remote_backend_remote() -> None:
    # --api-url turns the default profile, named `local`, into a remote one.
    remote = Settings("local", RemoteProfile(api_url="http://10.0.0.5:8000", token="t"), None)
    assert target_of(remote) == "remote: http://10.0.0.5:8000"
    local = Settings(
        "dev",
        LocalProfile(database_url="postgresql://u:secret@db/x", broker_url="redis://r"),
        None,
    )
    assert target_of(local) == "local: postgresql://u:***@db/x"


async def test_footer_keys_keep_a_space_between_them(shared_profile) -> None:
    app = build_app(local_settings(shared_profile), UiConfig.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for screen_key in ("1", "4", "6", "7", "jobs"):
            if screen_key == "jobs":
                app.push_screen(QueueJobsScreen("maintenance"))
            else:
                await pilot.press(screen_key)
            await settle(pilot)
            footer = app.screen.query_one(AppFooter)
            spans = footer.spans
            assert len(spans) >= 6
            line = footer.render().plain
            for left, right in itertools.pairwise(spans):
                # What lies between two keys (a group's label, or nothing) has a space
                # on either side.
                between = line[left.end : right.start]
                assert between[:1] == between[-1:] == " ", (left, right, between)
            assert spans[-1].end <= 80
            if screen_key == "4":
                # Failed shows Retry and Groups; its title line names the other keys.
                assert {"Retry", "Groups"} <= {k.description for k in footer.keys}


async def test_the_failed_tables_time_column_fits_80_columns(shared_profile) -> None:
    app = build_app(local_settings(shared_profile), UiConfig.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        table = app.screen.query_one(KeyedTable)
        assert table.row_count > 0
        x = 0
        for column in table.ordered_columns:
            x += column.get_render_width(table)
            if column.key.value == "failed":
                break
        assert x <= table.size.width
        assert str(table.get_cell_at((0, 0))) == "0s ago"


async def test_an_empty_job_list_reads_as_english(shared_profile) -> None:
    app = build_app(local_settings(shared_profile), UiConfig.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(QueueJobsScreen("email"))
        await settle(pilot)
        text = str(app.screen.query_one(EmptyState).render())
        assert text.startswith("No jobs in email."), text
        await pilot.press("f")  # waiting
        await settle(pilot)
        text = str(app.screen.query_one(EmptyState).render())
        assert text.startswith("No waiting jobs in email."), text


async def test_the_worker_screen_lists_a_worker_this_app_did_not_start(fresh_profile) -> None:
    app = build_app(local_settings(fresh_profile), UiConfig.frozen(NOW))
    with in_process_worker(fresh_profile, ["maintenance"]):
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("6")
            await settle(pilot)

            def seen() -> str:
                return str(app.screen.query_one("#worker-seen").render())

            await wait_until(pilot, lambda: f":{os.getpid()}" in seen(), 10)
            assert "Workers of the deployment (1 live of 1 listed" in seen()
            assert "started from this app" not in seen()
            state = str(app.screen.query_one("#worker-state").render())
            assert "No worker started" not in state
