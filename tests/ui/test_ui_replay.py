"""`E` on a job's detail, with a scripted $EDITOR (a small script that rewrites the JSON
file it is given): arguments the task does not declare are shown and nothing is sent;
good ones show their diff, wait for the job's short id, then the new job is sent and
the detail names it. The confirm dialog's snapshots at 80x24 and 120x40."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from conftest import NOW, build_app, local_settings, make_profile
from pilot_helpers import settle, wait_until
from textual.pilot import Pilot
from textual.widgets import Button

from ygmon.config import LocalProfile
from ygmon.jobs.registry import replays
from ygmon.jobs.registry.store import make_store
from ygmon.screens.job_detail import JobDetailScreen
from ygmon.screens.replay_dialog import ReplayConfirmDialog
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.job_id import confirm_code

EDITS = {
    "bad": {"fail_unless": 5, "naps": 1},
    "good": {"fail": False, "seconds": 0.01},
}
SCRIPT = """import json, os, sys
path = sys.argv[1]
data = json.load(open(path))
data.update(json.loads(os.environ["YGMON_TEST_EDIT"]))
json.dump(data, open(path, "w"))
"""


@pytest.fixture
def scripted_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "edit.py"
    script.write_text(SCRIPT)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")


def _edit(monkeypatch: pytest.MonkeyPatch, which: str) -> None:
    monkeypatch.setenv("YGMON_TEST_EDIT", json.dumps(EDITS[which]))


FLOW_JOB, SNAP_JOB = "canary-failed-1", "canary-failed-2"
T = NOW.timestamp() - 600


async def _migrate(url: str) -> None:
    from ygmon.db import Database
    from ygmon.db.migrate import upgrade

    db = Database(url)
    try:
        await upgrade(db)
    finally:
        await db.dispose()


@pytest.fixture(scope="module")
def replay_profile(tmp_path_factory: pytest.TempPathFactory) -> LocalProfile:
    """Two failed canaries written through the registry's own moves (no worker needed:
    the test replays, it does not run): one for the flow, one for the snapshots."""
    profile = make_profile(tmp_path_factory.mktemp("ui-replay"))
    asyncio.run(_migrate(profile.database_url))
    store = make_store(profile.broker_url, profile.namespace)
    for job_id in (FLOW_JOB, SNAP_JOB):
        create = {
            "queue": "maintenance",
            "task": "canary",
            "args": "[]",
            "kwargs": json.dumps({"fail": True, "seconds": 0}),
            "attempts_made": "1",
            "attempts_allowed": "1",
            "enqueued_at": repr(T),
            "stalled_count": "0",
            "priority": "0",
        }
        store.move(job_id, "waiting", {"due_at": repr(T)}, create=create)
        failed = {"finished_at": repr(T + 1), "error_message": "canary asked to fail"}
        store.move(job_id, "failed", failed, sort_at=T + 1)
    store.close()
    return profile


def _jobs(profile: LocalProfile) -> int:
    store = make_store(profile.broker_url, profile.namespace)
    try:
        return sum(store.counts().values())
    finally:
        store.close()


def _open_and_edit(job_id: str) -> Callable[[Pilot], Awaitable[None]]:
    async def run(pilot: Pilot) -> None:
        await settle(pilot)
        pilot.app.push_screen(JobDetailScreen("maintenance", job_id))
        await settle(pilot)
        await pilot.press("E")
        # Not settle: the replay's worker waits for the dialog's answer.
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ReplayConfirmDialog))
        await pilot.pause()

    return run


@pytest.mark.usefixtures("scripted_editor")
async def test_edit_check_confirm_and_replay(
    replay_profile: LocalProfile, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _jobs(replay_profile)
    app = build_app(local_settings(replay_profile), UiConfig.frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        _edit(monkeypatch, "bad")
        await settle(pilot)
        app.push_screen(JobDetailScreen("maintenance", FLOW_JOB))
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, JobDetailScreen)  # no confirm: nothing to send
        told = [n.message for n in app._notifications]
        assert any(
            "fail_unless: Expected string | null, received integer" in m
            and "naps: Unrecognized key 'naps'" in m
            and "Nothing was sent." in m
            for m in told
        ), told
        assert _jobs(replay_profile) == before

        _edit(monkeypatch, "good")
        await pilot.press("E")
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayConfirmDialog))
        diff = str(app.screen.query_one("#replay-diff").render())
        assert '+  "fail": false,' in diff and '-  "seconds": 0' in diff
        yes = app.screen.query_one("#replay-yes", Button)
        await pilot.press(*"abc", "enter")  # a wrong code sends nothing
        assert isinstance(app.screen, ReplayConfirmDialog) and yes.disabled
        await pilot.press(*["backspace"] * 3, *confirm_code(FLOW_JOB))
        assert not yes.disabled, app.screen.query_one("#replay-code").value
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, JobDetailScreen))
        await settle(pilot)
        assert _jobs(replay_profile) == before + 1
        store = make_store(replay_profile.broker_url, replay_profile.namespace)
        try:
            (new,) = replays.links_of(store, FLOW_JOB).replayed_as
            assert json.loads(store.get(new)["kwargs"]) == EDITS["good"]
        finally:
            store.close()
        await wait_until(
            pilot, lambda: new in str(app.screen.query_one("#job-text").render()), timeout=15
        )


@pytest.mark.usefixtures("scripted_editor")
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_replay_confirm_snapshot(
    snap_compare,
    replay_profile: LocalProfile,
    monkeypatch: pytest.MonkeyPatch,
    size: tuple[int, int],
) -> None:
    _edit(monkeypatch, "good")
    app = build_app(local_settings(replay_profile), UiConfig.frozen(NOW), target="local: demo")
    assert snap_compare(app, terminal_size=size, run_before=_open_and_edit(SNAP_JOB))
