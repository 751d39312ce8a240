"""One seeded state read on every screen at 120x40: the same quantity says the same on
the Overview, Queues, Worker, Schedules, Metrics, Search and Alerts, and in `ygmon
status --json`'s document, at a frozen time.

The state is what real moves made: the demo's rows and real jobs (canaries, an hour of
history, a catch-up hourly aggregation and a full reindex started by hand, both run by
a real in-process worker, which indexes the seeded content), three workers' heartbeats
(live, late and gone at the default settings), the maintenance queue paused with jobs
waiting and no live worker, and two alert rules firing.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from conftest import NOW, SteppedClock, build_app, local_settings, seed_history, seeded
from pilot_helpers import settle, wait_until
from textual.widgets import Label, Static

from ygmon.commands import status
from ygmon.config import LocalProfile
from ygmon.jobs.registry import queue_pauses
from ygmon.jobs.registry.store import make_store
from ygmon.liveness import GONE, beat_words
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.keyed_table import KeyedTable
from ygmon.widgets.queue_board import BoardRow, QueueBoard

RULES = {"no_worker": [{"queue": "email"}, {"queue": "maintenance"}]}
WORKERS = (
    # (id, queues, beat age in seconds): live, late (from 4 s) and gone (from 6 s).
    ("app-1:101", ["notification-delivery", "search-index-update", "search-index-bulk"], 1),
    ("app-2:202", ["metrics-aggregation", "search-index-reindex"], 5),
    ("app-3:303", ["email", "maintenance"], 20),
)
WAITING = 3
"""Canaries enqueued on the paused maintenance queue, which no live worker serves."""


def _beat(store, worker_id: str, queues: list[str], beat_age: float) -> None:
    store.beat(
        {
            "id": worker_id,
            "host": worker_id.split(":")[0],
            "pid": worker_id.split(":")[1],
            "queues": queues,
            "concurrency": "2",
            "started_at": repr((NOW - timedelta(hours=2)).timestamp()),
            "last_heartbeat": repr((NOW - timedelta(seconds=beat_age)).timestamp()),
        }
    )


@pytest.fixture(scope="module")
def one_state(tmp_path_factory: pytest.TempPathFactory) -> LocalProfile:
    from ygmon.jobs.runtime import open_runtime
    from ygmon.jobs.worker import in_process_worker

    profile = seeded(tmp_path_factory.mktemp("ui-one-truth"), alerts=RULES)
    seed_history(profile)
    clock = SteppedClock(NOW - timedelta(minutes=10))
    queues = ["metrics-aggregation", "search-index-reindex"]
    with (
        open_runtime(profile, clock=clock) as rt,
        in_process_worker(profile, queues, runtime=rt, clock=clock),
    ):
        rt.enqueue("aggregate-hourly", date=NOW.date().isoformat(), hour=10, trigger="catch-up")
        rt.wait_idle(30, queues)
        clock.at = NOW - timedelta(minutes=5)
        rt.enqueue("search-index-reindex")  # by hand: a manual run of its schedule
        rt.wait_idle(60, queues)
        clock.at = NOW - timedelta(minutes=1)
        for _ in range(WAITING):
            rt.enqueue("canary")
    store = make_store(profile.broker_url, profile.namespace)
    try:
        for worker_id, worker_queues, beat_age in WORKERS:
            _beat(store, worker_id, worker_queues, beat_age)
        at = (NOW - timedelta(minutes=10)).timestamp()
        queue_pauses.pause(store, "maintenance", at, "ann")
    finally:
        store.close()
    return profile


def _text(widget: Static | Label) -> str:
    return str(widget.render())


def _ints(text: str) -> list[int]:
    return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)]


def _beats(text: str) -> dict[str, str]:
    """{worker id: its beat words} as a screen lists them."""
    found = re.findall(
        r"(app-\d:\d+)\b.*?((?:beat|LATE, last beat|GONE, last beat) \d+\w ago)", text
    )
    return dict(found)


def cell(table: KeyedTable, row: str, column: str) -> str:
    return str(table.get_cell(row, column))


def _seconds(age: str) -> float:
    amount, unit = re.fullmatch(r"in (\d+)([smhd])", age).groups()  # type: ignore[union-attr]
    return int(amount) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit]


async def test_every_screen_tells_the_same_state(one_state: LocalProfile) -> None:
    doc = json.loads(json.dumps(status.collect(local_settings(one_state), now=NOW.timestamp())))
    status_queues = {q["name"]: q for q in doc["queues"]}
    status_beats = {w["id"]: beat_words(w["liveness"], w["beatAge"]) for w in doc["workers"]}
    status_live = sum(1 for w in doc["workers"] if w["liveness"] != GONE)
    status_down = {g for g, e in doc["health"].items() if g != "healthy" and not e["healthy"]}

    app = build_app(local_settings(one_state), UiConfig.frozen(NOW), target="local: one")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        # Each screen says when its data was read.
        assert _text(screen.query_one("#header-read", Label)) == "read 0s ago"

        # --- Overview ---------------------------------------------------------------
        await wait_until(pilot, lambda: "alerts" in _text(screen.query_one("#overview-summary")))
        board = screen.query_one(QueueBoard)
        await wait_until(pilot, lambda: "indexed" in board.detail_text("search"))
        summary = _text(screen.query_one("#overview-summary", Static))
        live = int(re.search(r"(\d+) live workers?", summary).group(1))  # type: ignore[union-attr]
        alerts = int(re.search(r"(\d+) alerts?", summary).group(1))  # type: ignore[union-attr]
        counts = {name: _ints(board.counts(name)) for name in board.queue_names()}
        tips = {name: str(board.tooltip_of(BoardRow("queue", name))) for name in counts}
        hour = {
            name: _ints(tip.split(":", 1)[1]) for name, tip in tips.items() if "last hour" in tip
        }
        down = {g for g in board.group_names() if board.group_text(g).startswith("DOWN")}
        maintenance = board.group_text("maintenance")
        panel_beats = _beats(_text(screen.query_one("#workers", Static)))
        next_runs = re.findall(
            r"^(\S+)\s+(in \d+\w)\s", _text(screen.query_one("#schedule", Static)), re.M
        )
        indexed = board.detail_text("search").splitlines()

        # --- Queues -----------------------------------------------------------------
        await pilot.press("2")
        await settle(pilot)
        queues = app.screen.query_one(KeyedTable)
        assert _text(app.screen.query_one("#header-read", Label)) == "read 0s ago"

        # --- Worker -----------------------------------------------------------------
        await pilot.press("6")
        await settle(pilot)
        seen = app.screen.query_one("#worker-seen", Static)
        await wait_until(pilot, lambda: "live of" in _text(seen))
        worker_text = _text(seen)
        worker_live = int(re.search(r"\((\d+) live of", worker_text).group(1))  # type: ignore[union-attr]

        # --- Schedules --------------------------------------------------------------
        await pilot.press("9")
        await settle(pilot)
        schedules = app.screen.query_one(KeyedTable)

        # --- Metrics ----------------------------------------------------------------
        await pilot.press("7")
        await settle(pilot)
        metrics = app.screen.query_one(KeyedTable)
        per_queue: dict[str, list[int]] = {}
        for key in [str(k.value) for k in metrics.rows]:
            queue, _, _task = key.partition("|")
            runs, failed = int(cell(metrics, key, "runs")), int(cell(metrics, key, "failed"))
            done, fail = per_queue.get(queue, [0, 0])
            per_queue[queue] = [done + runs - failed, fail + failed]

        # --- Search -----------------------------------------------------------------
        await pilot.press("8")
        await settle(pilot)
        search_lines = [
            _text(app.screen.query_one("#search-index", Static)),
            _text(app.screen.query_one("#search-reindex", Static)),
        ]

        # --- Alerts (escape leaves the query box, where 0 is text) ----------------------
        await pilot.press("escape", "0")
        await settle(pilot)
        firing = _text(app.screen.query_one("#alerts-summary", Label))
        badge = _text(app.screen.query_one("#header-alerts", Label))

        # The workers: one count of live ones, one word and age per worker.
        assert live == worker_live == status_live == 2
        assert panel_beats == _beats(worker_text) == status_beats
        assert status_beats["app-2:202"] == "LATE, last beat 5s ago"
        assert status_beats["app-3:303"] == "GONE, last beat 20s ago"
        # Health: the same groups down, the paused queue with no live worker among them.
        assert down == status_down and "maintenance" in down
        assert "paused by ann, no live worker" in maintenance
        # Each queue's counts, on the Overview, in Queues and in status.
        for name, (waiting, active, completed, failed) in counts.items():
            row = status_queues[name]
            assert (waiting, active, completed, failed) == (
                row["waiting"], row["active"], row["completed"], row["failed"]
            ), name  # fmt: skip
            assert _ints(cell(queues, name, "waiting")) == [waiting], name
            assert _ints(cell(queues, name, "failed")) == [failed], name
            assert (cell(queues, name, "paused") != "-") == bool(row.get("paused")), name
        assert counts["maintenance"][0] == WAITING and status_queues["maintenance"]["paused"]
        # The last hour: what the Overview's sparklines count is what Metrics counts.
        assert hour and all(hour[q] == per_queue.get(q, [0, 0]) for q in hour), (hour, per_queue)
        # Schedules: a catch-up and a manual run are runs of their schedules, with their
        # trigger; Metrics counts them too.
        assert cell(schedules, "aggregate-hourly", "trigger") == "catch-up"
        assert cell(schedules, "aggregate-hourly", "last") == "10m ago"
        assert cell(schedules, "search-index-reindex", "trigger") == "manual"
        assert per_queue["metrics-aggregation"][0] >= 1
        assert per_queue["search-index-reindex"][0] >= 1
        # The Overview's next runs are the soonest, in order, with the Schedules' ages.
        assert next_runs and [_seconds(a) for _, a in next_runs] == sorted(
            _seconds(a) for _, a in next_runs
        )
        for name, when in next_runs:
            assert cell(schedules, name, "next") == when, name
        soonest = min(_seconds(cell(schedules, str(k.value), "next")) for k in schedules.rows)
        assert _seconds(next_runs[0][1]) == soonest
        # The index: one count, named the same, on the Overview and on Search.
        assert indexed == search_lines
        assert (
            re.match(r"\d+ indexed: asset \d+", indexed[0]) and "source rows checked" in indexed[1]
        )
        # Alerts: the health line, the header's badge and the Alerts screen.
        assert alerts == 2 and badge == "2 ALERTS" and firing.startswith("2 of ")


async def test_the_last_full_reindex_age_ticks(one_state: LocalProfile) -> None:
    clock = SteppedClock(NOW)
    ui = UiConfig(auto_refresh=False, clock=clock, cursor_blink=False)
    app = build_app(local_settings(one_state), ui)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("8")
        await settle(pilot)
        line = app.screen.query_one("#search-reindex", Static)
        assert _text(line).startswith("Last full reindex 5m ago")
        polls = app.screen.polls
        clock.at = NOW + timedelta(minutes=1)
        await wait_until(pilot, lambda: _text(line).startswith("Last full reindex 6m ago"))
        assert app.screen.polls == polls  # the tick read nothing
