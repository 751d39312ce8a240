"""Failed: failed jobs across queues, newest first; `r` retries one after a confirm."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Label

from ygmon.errors import YgmonError
from ygmon.monitor.schemas import JobSummary, Page
from ygmon.screens.confirm_dialog import ConfirmDialog
from ygmon.screens.polled_screen import PolledScreen
from ygmon.tui.export_action import start_export
from ygmon.tui.formatting import age
from ygmon.widgets.empty_state import EmptyState
from ygmon.widgets.job_id import copy_id, short_id
from ygmon.widgets.keyed_table import KeyedTable

# The failure's age first: long queue names and errors would push it past 80 columns.
COLUMNS = [
    ("failed", "Failed"),
    ("queue", "Queue"),
    ("task", "Task"),
    ("tries", "Tries"),
    ("error", "Error"),
]


class FailedScreen(PolledScreen):
    TITLE = "Failed"
    BINDINGS = [
        # "Retry", not "Retry job": with the copy key shown too the footer fits 80 columns.
        Binding("r", "retry", "Retry", id="failed.retry"),
        Binding("c", "copy_id", "Copy id", id="failed.copy"),
        Binding("e", "export", "Export", id="failed.export", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._jobs: dict[str, JobSummary] = {}

    def compose_body(self) -> ComposeResult:
        yield Label(
            "Failed jobs, newest first · r retries one · c copies its id",
            classes="screen-title",
        )
        yield KeyedTable(COLUMNS, id="failed-table")
        yield EmptyState(
            "No failed jobs. A job lands here when it fails its last attempt; "
            "retried jobs leave the list.",
            id="failed-empty",
        )

    async def fetch(self) -> Page[JobSummary]:
        return await self.monitor.failed_jobs(page=1, page_size=100)

    def show(self, data: Page[JobSummary]) -> None:
        now = self.now()
        self._jobs = {job.id: job for job in data.data}
        self.query_one(KeyedTable).sync(
            [
                (
                    job.id,
                    (
                        age(job.finished_at, now),
                        job.queue,
                        job.task,
                        f"{job.attempts_made}/{job.attempts_allowed}",
                        (job.error_message or "")[:60],
                    ),
                )
                for job in data.data
            ]
        )
        self.query_one(EmptyState).set_shown(not data.data)

    def action_export(self) -> None:
        from ygmon.monitor.export import failed_rows

        start_export(self, "every failed job", "failed", JobSummary, failed_rows)

    def action_copy_id(self) -> None:
        copy_id(self.app, self.query_one(KeyedTable).selected_key)

    def action_retry(self) -> None:
        job = self._jobs.get(self.query_one(KeyedTable).selected_key or "")
        if job is None:
            self.notify("No failed job is selected.", severity="warning")
            return
        if not self.monitor.SUPPORTS_RETRY:
            self.notify(
                "This backend is read-only (--read-only or a read-only server): "
                "retries are refused.",
                title="Retry refused",
                severity="error",
            )
            return
        question = f"Retry {job.task} job {short_id(job.id)} on queue {job.queue}?"
        self.app.push_screen(ConfirmDialog(question), lambda yes: self._retry(job) if yes else None)

    @work(exclusive=True, exit_on_error=False, group="retry")
    async def _retry(self, job: JobSummary) -> None:
        try:
            result = await self.monitor.retry(job.queue, job.id)
        except YgmonError as exc:
            self.notify(exc.message, title=exc.title, severity="error")
        else:
            self.notify(f"Job {short_id(result.job_id)} {result.status}.", title="Retry")
        self.refresh_now()
