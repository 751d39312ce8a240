"""A job's detail: its attempts as a timeline (wait and run to scale, worker, outcome,
error), the tail of its own log, and `L` for the whole log; snapshots at 80x24 and
120x40 over a job whose three attempts are written through the registry's own moves."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from conftest import NOW, _seed_rows, build_app, local_settings, make_profile
from pilot_helpers import settle
from textual.pilot import Pilot
from textual.widgets import Log

from ygmon.config import LocalProfile
from ygmon.jobs.registry.store import make_store
from ygmon.jobs.registry.store.base import ATTEMPT
from ygmon.screens.job_detail import JobDetailScreen
from ygmon.screens.job_log import JobLogScreen
from ygmon.tui.ui_config import UiConfig

JOB = "send-7f3a"
T = NOW.timestamp() - 600
ACTIVE = frozenset({"active"})
LINKS = {
    "sentry": "https://sentry.example.com/issues/?query=job_id:{job_id}",
    "logs": "https://logs.example.com/?q={task}&from={started_at}&to={finished_at}",
}


def _seed_attempts(profile: LocalProfile) -> None:
    """A job that waited 0.4 s, ran 2 s and failed; came due again 10 s later, waited
    3 s, lost its worker after 1 s; then waited 0.5 s and completed in 4 s, logging
    600 lines of which the cap kept the last 500."""
    store = make_store(profile.broker_url, profile.namespace)
    create = {
        "queue": "maintenance",
        "task": "send-receipt",
        "args": "[]",
        "kwargs": json.dumps({"order": 1207}),
        "attempts_made": "0",
        "attempts_allowed": "3",
        "enqueued_at": repr(T),
        "stalled_count": "0",
        "priority": "0",
    }
    store.move(JOB, "waiting", {"due_at": repr(T)}, create=create)
    runs = [
        (0.4, 2.0, "web-1:4242:a1b2c3", "retried", "SMTP timeout after 2s", 10.0, ["dial smtp"]),
        (3.0, 1.0, "web-2:5151:d4e5f6", "stalled", "its worker stopped beating", 0.0, []),
        (0.5, 4.0, "web-1:4242:a1b2c3", "completed", None, None, [f"sent {i}" for i in range(600)]),
    ]
    due = T
    for n, (wait, run, worker, outcome, error, backoff, lines) in enumerate(runs, 1):
        start = due + wait
        store.move(
            JOB,
            "active",
            {"started_at": repr(start), "worker_id": worker, "attempts_made": str(n)},
            allowed_from=frozenset({"waiting", "delayed"}),
        )
        end = start + run
        entry: dict[str, object] = {"end": repr(end), "outcome": outcome}
        if error:
            entry["error"] = error
        if lines:
            entry["log"] = "\n".join(lines[-500:])
            if len(lines) > 500:
                entry["cut"] = len(lines) - 500
        if outcome == "completed":
            fields = {"finished_at": repr(end), ATTEMPT: json.dumps(entry)}
            store.move(JOB, "completed", fields, allowed_from=ACTIVE, sort_at=end)
        else:
            due = end + (backoff or 0.0)
            fields = {"due_at": repr(due), ATTEMPT: json.dumps(entry)}
            store.move(JOB, "waiting", fields, allowed_from=ACTIVE)
    store.close()


@pytest.fixture(scope="module")
def attempts_profile(tmp_path_factory: pytest.TempPathFactory) -> LocalProfile:
    directory: Path = tmp_path_factory.mktemp("ui-attempts")
    profile = make_profile(directory, links=LINKS)
    asyncio.run(_seed_rows(profile.database_url))
    _seed_attempts(profile)
    return profile


async def _open_detail(pilot: Pilot) -> None:
    await settle(pilot)
    pilot.app.push_screen(JobDetailScreen("maintenance", JOB))
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_job_detail_snapshot(snap_compare, attempts_profile, size: tuple[int, int]) -> None:
    app = build_app(local_settings(attempts_profile), UiConfig.frozen(NOW), target="local: demo")
    assert snap_compare(app, terminal_size=size, run_before=_open_detail)


async def test_timeline_and_log(attempts_profile) -> None:
    app = build_app(local_settings(attempts_profile), UiConfig.frozen(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_detail(pilot)
        timeline = str(app.screen.query_one("#job-timeline").render())
        rows = timeline.splitlines()
        assert len(rows) == 6  # two lines per attempt
        assert "retried" in rows[0] and "wait  0.40s run  2.00s" in rows[0]
        assert "web-1 pid 4242  SMTP timeout after 2s" in rows[1]
        assert "stalled" in rows[2] and "web-2 pid 5151" in rows[3]
        assert "completed" in rows[4] and "run  4.00s" in rows[4]
        # To scale: the third attempt's run (4 s) is about twice the first's (2 s; each
        # end is rounded to a column), and the second's wait (3 s) longer than both runs.
        assert 1.6 <= rows[4].count("█") / rows[0].count("█") <= 2.6
        assert rows[2].count("░") > rows[0].count("█") > rows[0].count("░")
        tail = str(app.screen.query_one("#job-log-tail").render())
        assert "last 6 of 600 lines (100 cut)" in tail and "sent 599" in tail
        # The profile's links, filled in; u copies each in turn (OSC 52).
        links = str(app.screen.query_one("#job-links").render())
        assert f"https://sentry.example.com/issues/?query=job_id:{JOB}" in links
        await pilot.press("u")
        assert app.clipboard.endswith(f"job_id:{JOB}")
        await pilot.press("u")
        assert app.clipboard.startswith(
            "https://logs.example.com/?q=send-receipt&from=2026-03-04T11"
        )
        assert "&to=2026-03-04T11%3A50%3A" in app.clipboard
        await pilot.press("L")
        await settle(pilot)
        assert isinstance(app.screen, JobLogScreen)
        # The log is the job screen's read: the header says when that was.
        assert str(app.screen.query_one("#header-read").render()) == "read 0s ago"
        log = app.screen.query_one(Log)
        text = "\n".join(log.lines)
        assert "── attempt 1: retried" in text and "dial smtp" in text
        assert "── attempt 3: completed · 100 earlier lines cut" in text
        assert "sent 100" in text and "sent 99\n" not in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, JobDetailScreen)
