"""A job's own log in full, every attempt's in turn under a heading that says how the
attempt ended and how many of its lines the cap cut; scrolls with the usual keys."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Log, Static

from ygmon.monitor.schemas import JobDetail
from ygmon.screens.shared_keys import back_key
from ygmon.widgets.app_footer import AppFooter
from ygmon.widgets.app_header import AppHeader


def log_lines(job: JobDetail) -> list[str]:
    lines: list[str] = []
    for i, a in enumerate(job.attempts, 1):
        head = f"── attempt {a.number or i}: {a.outcome}"
        if a.log_cut:
            head += f" · {a.log_cut:,} earlier lines cut"
        lines.append(head)
        lines += (a.log or "(nothing logged)").splitlines()
    return lines or ["no finished attempt yet: a log is kept when an attempt ends"]


class JobLogScreen(Screen):
    CSS_PATH = "job_detail.tcss"
    BINDINGS = [back_key("job-log", "app.pop_screen")]

    def __init__(
        self,
        job: JobDetail,
        read_at: datetime | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        """`read_at`: when the job screen read `job` (the header says how long ago)."""
        super().__init__()
        self.job = job
        self._read = (read_at, clock)

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield Static(f"Log of job {self.job.id} ({self.job.task})", id="job-log-title")
        yield Log(id="job-log", highlight=False)
        yield AppFooter()

    def on_mount(self) -> None:
        read_at, clock = self._read
        if clock is not None:
            self.query_one(AppHeader).show_read(read_at, clock)
        log = self.query_one("#job-log", Log)
        log.write_lines(log_lines(self.job))
        log.scroll_home(animate=False)
        log.focus()
