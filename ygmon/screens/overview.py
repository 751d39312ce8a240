"""Overview: every queue on one line under its worker group's health, with sparklines
of the last hour's completed and failed jobs; the soonest runs of every schedule and the
workers beside when the terminal has room. Its ages tick each second from the
timestamps last read (ygmon.tui.age_ticker).

The layout adapts: below 100x30 the queues use short labels and the schedule and
workers panels give way (their gist stays in the summary line), so nothing falls
below the fold at 80x24.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, replace
from datetime import datetime
from typing import NamedTuple

from rich.markup import escape
from textual import events, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from ygmon.errors import YgmonError
from ygmon.job_history import History
from ygmon.liveness import GONE, beat_words
from ygmon.monitor.queue_control_schemas import ScheduleInfo
from ygmon.monitor.schemas import AllWorkersHealth, QueueStats, WorkerInfo
from ygmon.monitor.search_schemas import SearchIndexOverview
from ygmon.queues import WORKER_GROUPS
from ygmon.screens import overview_search
from ygmon.screens.overview_groups import group_line, queues_head
from ygmon.screens.overview_summary import compact_summary
from ygmon.screens.polled_screen import PolledScreen
from ygmon.slo_config import slo_targets
from ygmon.tui.age_ticker import BackendTime, tick_each_second
from ygmon.tui.formatting import age
from ygmon.tui.health_words import LIVENESS_ORDER
from ygmon.tui.latency_targets import summary_text
from ygmon.widgets.queue_board import BoardGroup, QueueBoard

COMPACT_BELOW = (100, 30)
"""Width and height under which the Overview uses its compact layout."""
SEARCH_LINES_FROM = 32
"""Height from which the search index's two lines fit under its queues (at 100x30 they
would push the schedule below the fold: the group's line carries their gist)."""
HISTORY_EVERY = 20.0
"""Seconds between two reads of the history: its points are minutes, and a remote
API's 100 requests a minute are mostly spent on the counts."""
ROWS_BESIDE_SCHEDULE = 24
"""Terminal rows the Overview uses besides its side panels (header, summary, the queues
of every group, footer), the search index's two lines aside: what is left shows the
next runs."""

SEARCH_AFTER = 0.5
"""Seconds after the first paint before the search index is first read."""


@dataclass(frozen=True)
class OverviewData:
    health: AllWorkersHealth
    queues: list[QueueStats]
    workers: list[WorkerInfo]
    schedules: list[ScheduleInfo]
    history: History | None
    search: SearchIndexOverview | None = None


DAILY_DIGEST = "digest-daily"
"""The schedule whose next run the summary line names."""


class SearchShown(NamedTuple):
    """What the Overview shows of the search index, on its group's line and under it."""

    line: str
    why: str | None
    """The line's tooltip."""
    details: str
    error: str | None
    """The details' tooltip: why the index could not be read."""


class OverviewScreen(PolledScreen):
    TITLE = "Overview"

    _schedules: list[ScheduleInfo] | None = None
    _schedules_read: BackendTime | None = None
    _history: History | None = None
    _history_at = 0.0
    _search_at = -HISTORY_EVERY
    _search_mark: tuple[int, ...] = ()
    """The search queues' finished jobs when the index was last read."""
    _search: SearchIndexOverview | None = None
    _search_error: str | None = None
    """Why the index could not be read (its figures show "?", this on hover)."""
    _data: OverviewData | None = None

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="overview"):
            yield Static("", id="overview-summary")
            yield Static("", id="overview-targets")
            yield Static("", id="queue-head")
            # One widget draws every line: nothing is mounted when the data arrives.
            yield QueueBoard(id="queue-list")
            with Horizontal(id="overview-side"):
                yield Static("", id="schedule", classes="panel")
                yield Static("", id="workers", classes="panel")

    def on_mount(self) -> None:
        # PolledScreen's on_mount runs too (Textual calls each class's handler).
        tick_each_second(self, self._show_ages)

    @property
    def compact(self) -> bool:
        width, height = self.app.size
        return width < COMPACT_BELOW[0] or height < COMPACT_BELOW[1]

    @property
    def _search_inline(self) -> bool:
        return self.compact or self.app.size[1] < SEARCH_LINES_FROM

    def on_resize(self, event: events.Resize) -> None:
        self._apply_layout()

    def _apply_layout(self) -> None:
        compact = self.compact
        self.set_class(compact, "-compact")
        self.query_one(QueueBoard).set_layout(compact, details=not self._search_inline)
        self.query_one("#queue-head", Static).update(queues_head(compact))
        if self._data is not None:
            self._show_search(self._data)
            self._show_schedule(self._data)

    async def fetch(self) -> OverviewData:
        calls = [self.monitor.health(), self.monitor.queues(), self.monitor.workers()]
        # The next runs only move once the soonest has passed, so the schedules are
        # fetched again only then (once a minute, for the minutely publishing): a remote
        # API allows 100 requests a minute, and a fourth call every 2 s would spend 120.
        want_schedules = self._schedules_stale()
        if want_schedules:
            calls.append(self.monitor.schedules())
        want_history = time.monotonic() - self._history_at >= HISTORY_EVERY
        if want_history:
            calls.append(self.monitor.history())
        health, queues, workers, *fresh = await asyncio.gather(*calls)
        if want_schedules:
            self._schedules = fresh.pop(0)
            if self._schedules:
                self._schedules_read = BackendTime(self._schedules[0].checked_at, self.now())
        if want_history:
            self._history = fresh.pop(0)
            self._history_at = time.monotonic()
        assert self._schedules is not None
        return OverviewData(health, queues, workers, self._schedules, self._history, self._search)

    async def _search_overview(self) -> SearchIndexOverview | None:
        # The queues matter more than the index's size: an answer without it (a server
        # that cannot read the index) still shows every queue.
        try:
            found = await self.monitor.search_index_overview()
        except YgmonError as exc:
            self._search_error = f"The search index could not be read: {exc.message}"
            return None
        self._search_error = None
        return found

    def _schedules_stale(self) -> bool:
        if not self._schedules or self._schedules_read is None:
            return True
        soonest = min(s.next_run_at for s in self._schedules)
        return soonest <= self._schedules_read.now(self.now())

    def _schedule_now(self) -> datetime:
        """The backend's clock now, as the schedules' ages read it."""
        read = self._schedules_read
        return self.now() if read is None else read.now(self.now())

    def show(self, data: OverviewData) -> None:
        self._data = data
        self._show_summary(data)
        self._show_queues(data)
        self._show_schedule(data)
        self._show_workers(data.workers)
        # The index changes only when a search job finishes: read it again then (so it
        # never says "no full reindex yet" beside a finished one), else as the history.
        searching = WORKER_GROUPS.get(overview_search.GROUP, ())
        mark = tuple(q.completed + q.failed for q in data.queues if q.name in searching)
        if mark != self._search_mark or time.monotonic() - self._search_at >= HISTORY_EVERY:
            self._search_at, self._search_mark = time.monotonic(), mark
            self.load_search()
            self.load_targets()

    @work(exclusive=True, exit_on_error=False, group="overview-search")
    async def load_search(self) -> None:
        """The index's size and last reindex, read after the queues are painted (on a
        local database it is the one read that needs SQLAlchemy and the schema check,
        which the first paint would wait for) and as seldom as the history."""
        if self._search is None:
            # Its first read imports SQLAlchemy on the event loop: after the first paint.
            await asyncio.sleep(SEARCH_AFTER)
        self._search = await self._search_overview()
        if self._data is not None:
            self._data = replace(self._data, search=self._search)
            self._show_search(self._data)

    @work(exclusive=True, exit_on_error=False, group="overview-targets")
    async def load_targets(self) -> None:
        """The profile's latency targets beside the last hour's figures (one line, read
        as seldom as the history; none when the profile sets no target)."""
        targets = slo_targets(self.app.slo)
        line = self.query_one("#overview-targets", Static)
        line.display = bool(targets)
        if targets:
            latency = await self.monitor.latency()
            line.update(summary_text(targets, latency))

    def _show_ages(self) -> None:
        """Each second: the texts that hold an age, from the data last read (no fetch)."""
        if self._data is not None:
            self._show_summary(self._data)
            self._show_search(self._data)
            self._show_schedule(self._data)
            self._show_workers(self._data.workers)

    def _show_summary(self, data: OverviewData) -> None:
        now = self._schedule_now()
        down = [g for g, s in data.health.groups.items() if not s.healthy]
        health = (
            "[b]all healthy[/b]"
            if data.health.healthy
            else f"[b]UNHEALTHY[/b] {len(down)}/{len(data.health.groups)} "
            + ("down" if self.compact else "groups down")
        )
        watch = getattr(self.app, "alert_watch", None)
        firing = len(watch.firing) if watch is not None else 0
        if firing:
            # Health and alerts never contradict each other: a firing alert shows here too.
            health += f" · [b]{firing} alert{'' if firing == 1 else 's'}[/b] (0)"
        if self.compact:
            # The schedule and workers panels are hidden: this line carries their gist.
            text = compact_summary(
                f"Health {health}", data.workers, data.schedules, self.now(), now, self.size.width
            )
            self.query_one("#overview-summary", Static).update(text)
            return
        daily = next((s.next_run_at for s in data.schedules if s.name == DAILY_DIGEST), None)
        n = sum(1 for w in data.workers if w.liveness != GONE)
        text = (
            f"Health {health} · {n} live worker{'' if n == 1 else 's'}"
            f" · next digest {age(daily, now)}"
        )
        self.query_one("#overview-summary", Static).update(text)

    def update_header(self) -> None:
        super().update_header()
        if self._data is not None:  # a check's firing alerts also change the health line
            self._show_summary(self._data)

    def _show_queues(self, data: OverviewData) -> None:
        stats = {q.name: q for q in data.queues}
        compact = self.compact
        order: list[tuple[str, list[str]]] = [
            (group, [q for q in (status.workers or {}) if q in stats])
            for group, status in data.health.groups.items()
        ]
        rest = [q.name for q in data.queues if not any(q.name in qs for _, qs in order)]
        if rest:
            order.append(("other", rest))
        search = self._search_shown(data)
        groups = []
        for group, names in order:
            line = group_line(group, data.health.groups.get(group), compact=compact)
            if group == overview_search.GROUP and search is not None:
                # Its line as _show_search draws it: a poll with nothing new repaints nothing.
                line = search.line
            queues = tuple(stats[name] for name in names)
            groups.append(BoardGroup(group, line, queues, group == overview_search.GROUP))
        # Its layout (compact, detail lines) follows the screen's size (on_resize).
        board = self.query_one(QueueBoard)
        board.show(groups)
        if data.history is not None:
            per_queue = data.history.per_queue()
            steps = len(range(0, 3600, data.history.step_seconds))
            none = ([0] * steps, [0] * steps)
            board.show_history({q: per_queue.get(q, none) for q in board.queue_names()})

    def _search_shown(self, data: OverviewData) -> SearchShown | None:
        """The search group's line and detail lines with their tooltips; None before
        the index was first read."""
        group = data.health.groups.get(overview_search.GROUP)
        error = self._search_error
        if group is None or (data.search is None and error is None):
            return None
        now = self.now()
        inline = self._search_inline
        if data.search is None:
            # Not read is not empty: "?" and why on hover, never "0 indexed".
            suffix: str | None = overview_search.UNREAD if inline else None
            details, why = f"{overview_search.UNREAD} (hover for why)", error
        else:
            suffix = overview_search.compact_summary(data.search, now) if inline else None
            details = why = overview_search.detail_lines(data.search, now)
        line = group_line(overview_search.GROUP, group, suffix, self.compact)
        return SearchShown(line, why, details, error)

    def _show_search(self, data: OverviewData) -> None:
        """The index's size and last reindex: on the group's line when compact, on two
        lines under its queues otherwise."""
        shown = self._search_shown(data)
        if shown is not None:
            board = self.query_one(QueueBoard)
            board.show_group(overview_search.GROUP, shown.line, shown.why)
            board.show_detail(overview_search.GROUP, shown.details, shown.error)

    def _show_schedule(self, data: OverviewData) -> None:
        """The soonest runs of every schedule, as many as the terminal's height leaves
        room for, then the blog posts waiting for their time."""
        now = self._schedule_now()
        room = self.app.size.height - ROWS_BESIDE_SCHEDULE - 2  # the panel's border
        if not self._search_inline:
            room -= 2
        soonest = sorted(data.schedules, key=lambda s: (s.next_run_at, s.name))
        shown = soonest[: max(1, room - 2)]
        lines = ["[b]Next scheduled runs[/b]"]
        lines += [
            f"{escape(s.name):<23} {age(s.next_run_at, now):>7}  "
            f"{s.next_run_at.strftime('%m-%d %H:%M')}"
            for s in shown
        ]
        groups = data.health.groups.values()
        known = [g.scheduled_jobs for g in groups if g.scheduled_jobs is not None]
        # The health answer holds the count only when the backend could read it, and
        # else (a server of ours) why not.
        why = next((g.scheduled_jobs_error for g in groups if g.scheduled_jobs_error), None)
        scheduled = str(sum(known)) if known else "?"
        more = len(soonest) - len(shown)
        lines.append(
            f"scheduled posts {scheduled}" + (f" · {more} more: Schedules (9)" if more else "")
        )
        panel = self.query_one("#schedule", Static)
        panel.update("\n".join(lines))
        panel.tooltip = (
            None
            if known
            else why
            or "Scheduled posts: ? — the backend's health answer holds no count "
            "(its database could not be read)."
        )

    def _show_workers(self, workers: list[WorkerInfo]) -> None:
        now = self.now()
        if not workers:
            text = "[b]Workers[/b]\nNo worker is running: `ygmon worker`, or the Worker screen (6)."
        else:
            lines = ["[b]Workers[/b]"]
            workers = sorted(workers, key=lambda w: LIVENESS_ORDER.get(w.liveness, 0))
            for w in workers[:3]:
                line = f"{w.host}:{w.pid} x{w.concurrency} {len(w.queues)} queues, " + escape(
                    beat_words(w.liveness, (now - w.last_heartbeat).total_seconds())
                )
                lines.append(f"[dim]{line}[/dim]" if w.liveness == GONE else line)
            if len(workers) > 3:
                lines[-1] += f" (+{len(workers) - 3} more: Worker screen, 6)"
            text = "\n".join(lines)
        started = self.app.local_worker
        if started is not None and started.running:
            text += f"\nStarted from this app: pid {started.pid}"
        self.query_one("#workers", Static).update(text)
