"""Live, late and gone workers, a paused queue no live worker serves, firing alerts: the
Overview's health line, group lines and Workers panel and the Worker screen say the same
(snapshots at 80x24 and 120x40, at a frozen time), and the header's alert badge opens
the Alerts screen when clicked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import NEVER_FIXED, NOW, build_app, local_settings, make_profile, seed_jobs
from pilot_helpers import keys_then_settle, settle
from textual.widgets import Static

from ygmon.config import LocalProfile
from ygmon.jobs.registry import ops_records
from ygmon.jobs.registry.store import make_store
from ygmon.screens.alerts import AlertsScreen
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.queue_board import QueueBoard

SIZES = [(80, 24), (120, 40)]
SIZE_IDS = ["80x24", "120x40"]
RULES = {"no_worker": [{"queue": "email"}, {"queue": "maintenance"}]}
WORKERS = (
    # (id, pid, queues, beat age in seconds) at the default settings: late from 4 s,
    # gone from 6 s; the gone one's jobs would be taken back only from 30 s.
    ("app-1:101", 101, ["notification-delivery", "search-index-bulk"], 1),
    ("app-2:202", 202, ["search-index-update"], 5),
    ("app-3:303", 303, ["email", "maintenance"], 20),
)


@pytest.fixture(scope="module")
def liveness_profile(tmp_path_factory: pytest.TempPathFactory) -> LocalProfile:
    profile = make_profile(tmp_path_factory.mktemp("ui-liveness"), alerts=RULES)
    seed_jobs(profile, NEVER_FIXED)
    store = make_store(profile.broker_url, profile.namespace)
    try:
        for worker_id, pid, queues, beat_age in WORKERS:
            store.beat(
                {
                    "id": worker_id,
                    "host": worker_id.split(":")[0],
                    "pid": str(pid),
                    "queues": queues,  # type: ignore[dict-item]
                    "concurrency": "2",
                    "started_at": repr((NOW - timedelta(hours=2)).timestamp()),
                    "last_heartbeat": repr((NOW - timedelta(seconds=beat_age)).timestamp()),
                }
            )
        at = (NOW - timedelta(minutes=10)).timestamp()
        ops_records.put(store, "paused", "maintenance", {"at": at, "by": "ann"})
    finally:
        store.close()
    return profile


def _app(profile: LocalProfile):
    return build_app(local_settings(profile), UiConfig.frozen(NOW), target="local: live")


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("screen", ["1", "6"], ids=["overview", "worker"])
def test_liveness_screens(snap_compare, liveness_profile, screen: str, size) -> None:
    assert snap_compare(
        _app(liveness_profile), terminal_size=size, run_before=keys_then_settle(screen)
    )


async def test_health_line_counts_alerts_and_the_badge_opens_alerts(liveness_profile) -> None:
    app = _app(liveness_profile)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        summary = str(app.screen.query_one("#overview-summary", Static).render())
        # Two live workers of three (the late one still serves); two alerts fire.
        assert "UNHEALTHY" in summary and "2 alerts" in summary, summary
        assert "2 live workers" in summary, summary
        group = app.screen.query_one(QueueBoard).group_text("maintenance")
        assert "maintenance: paused by ann, no live worker" in group, group
        panel = str(app.screen.query_one("#workers", Static).render())
        assert "LATE, last beat 5s ago" in panel and "GONE, last beat 20s ago" in panel
        await pilot.click("#header-alerts")
        await settle(pilot)
        assert isinstance(app.screen, AlertsScreen)
