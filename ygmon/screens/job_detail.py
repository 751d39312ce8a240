"""One job in full: args, times, its attempts as a timeline, the tail of its own log,
error and stack, and the jobs it replays or was replayed as. `L` opens the whole log
(ygmon.screens.job_log); `E` edits its arguments and replays it (ygmon.screens.replay_action)."""

from __future__ import annotations

import json

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from ygmon.job_links import job_links
from ygmon.monitor.schemas import JobDetail
from ygmon.screens.job_log import JobLogScreen
from ygmon.screens.polled_screen import PolledScreen
from ygmon.screens.replay_action import replay_flow
from ygmon.screens.shared_keys import back_key, copy_id_key
from ygmon.tui.formatting import stamp
from ygmon.widgets.attempt_timeline import AttemptTimeline
from ygmon.widgets.job_id import copy_id

TAIL_LINES = (3, 6)
"""Lines of the last attempt's log the detail shows, on a short terminal (under
TALL rows) and a taller one; `L` shows all of it."""
TALL = 30


def describe(job: JobDetail) -> str:
    lines = [
        f"Job       {job.id}  (c copies it, E replays it edited)",
        f"Queue     {job.queue}   Task {job.task}   State {job.state.value}",
        f"Args      {json.dumps(job.args, default=str)}   "
        f"Kwargs {json.dumps(job.kwargs, default=str)}",
        f"Enqueued  {stamp(job.enqueued_at)}   Due {stamp(job.due_at)}   "
        f"Tries {job.attempts_made}/{job.attempts_allowed}",
        f"Started   {stamp(job.started_at)}   Finished {stamp(job.finished_at)}   "
        f"Stalled {job.stalled_count}",
        f"Worker    {job.worker_id or '-'}",
    ]
    # The labels' column: "Replays   ..." as "Job       ..." above.
    lines += [f"{label.capitalize():<9} {text}" for label, text in job.replay_notes()]
    if job.error_message:
        lines.append(f"Error     {job.error_message}")
    return "\n".join(lines)


def log_tail(job: JobDetail, tail: int) -> str:
    """The heading and last `tail` lines of the newest attempt's log."""
    if not job.attempts:
        return "Log       none yet (kept when an attempt ends)"
    last = job.attempts[-1]
    lines = (last.log or "").splitlines()
    if not lines:
        return f"Log       attempt {last.number or len(job.attempts)} logged nothing"
    total = len(lines) + last.log_cut
    shown = lines[-tail:]
    head = (
        f"Log       attempt {last.number or len(job.attempts)}: last {len(shown)} of "
        f"{total:,} lines" + (f" ({last.log_cut:,} cut)" if last.log_cut else "") + " · L shows all"
    )
    return "\n".join([head, *(f"  {line}" for line in shown)])


def links_text(links: list[tuple[str, str]]) -> str:
    if not links:
        return ""
    width = max(len(name) for name, _ in links)
    rows = [f"  {name:<{width}}  {url}" for name, url in links]
    return "\n".join(["Links     u copies each in turn", *rows])


class JobDetailScreen(PolledScreen):
    CSS_PATH = "job_detail.tcss"
    BINDINGS = [
        back_key("job", "app.pop_screen"),
        copy_id_key("job"),  # the detail's first line says so
        Binding("L", "whole_log", "Log", id="job.log"),
        Binding("u", "copy_link", "Copy link", id="job.link", show=False),
        Binding("E", "replay", "Replay", id="job.replay", show=False),
    ]

    def __init__(self, queue: str, job_id: str) -> None:
        super().__init__()
        self.queue, self.job_id = queue, job_id
        self._job: JobDetail | None = None
        self._links: list[tuple[str, str]] = []
        self._next_link = 0
        """Which link `u` copies next: each press takes the next one."""

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="job-detail"):
            yield Static("", id="job-text", markup=False)
            yield Static("Attempts  wait ░ and run █ to scale", id="job-timeline-title")
            yield AttemptTimeline(id="job-timeline")
            yield Static("", id="job-log-tail", markup=False)
            yield Static("", id="job-links", markup=False)
            yield Static("", id="job-stack", markup=False)

    async def fetch(self) -> JobDetail:
        return await self.monitor.job(self.queue, self.job_id)

    def action_copy_id(self) -> None:
        copy_id(self.app, self.job_id)

    def action_whole_log(self) -> None:
        if self._job is not None:
            self.app.push_screen(JobLogScreen(self._job, self.read_at, self.now))

    @work(exclusive=True, exit_on_error=False, group="replay")
    async def action_replay(self) -> None:
        if self._job is None:
            self.notify("The job is not loaded yet.", severity="warning")
            return
        await replay_flow(self, self._job)

    def action_copy_link(self) -> None:
        if not self._links:
            self.app.notify("This profile has no [links] set.", severity="warning")
            return
        name, url = self._links[self._next_link % len(self._links)]
        self._next_link += 1
        self.app.copy_to_clipboard(url)
        self.app.notify(f"Copied the {name} link", title="Clipboard")

    def show(self, data: JobDetail) -> None:
        self._job = data
        self._links = job_links(self.app.links, data)
        links = self.query_one("#job-links", Static)
        links.update(links_text(self._links))
        links.display = bool(self._links)
        self.query_one("#job-text", Static).update(describe(data))
        self.query_one("#job-timeline", AttemptTimeline).show(data.attempts)
        tail = TAIL_LINES[self.app.size.height >= TALL]
        self.query_one("#job-log-tail", Static).update(log_tail(data, tail))
        stack = self.query_one("#job-stack", Static)
        stack.update(data.error_stack or "")
        stack.display = bool(data.error_stack)
