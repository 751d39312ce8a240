"""One job in full: args, attempts, times, error and stack."""

from __future__ import annotations

import json

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ygmon.monitor.schemas import JobDetail
from ygmon.screens.polled_screen import PolledScreen
from ygmon.screens.shared_keys import back_key, copy_id_key
from ygmon.tui.formatting import stamp
from ygmon.widgets.job_id import copy_id


def describe(job: JobDetail) -> str:
    lines = [
        f"Job       {job.id}  (c copies it)",
        f"Queue     {job.queue}",
        f"Task      {job.task}",
        f"State     {job.state.value}",
        f"Attempts  {job.attempts_made} of {job.attempts_allowed} (stalled {job.stalled_count})",
        f"Args      {json.dumps(job.args, default=str)}",
        f"Kwargs    {json.dumps(job.kwargs, default=str)}",
        f"Enqueued  {stamp(job.enqueued_at)}",
        f"Started   {stamp(job.started_at)}",
        f"Finished  {stamp(job.finished_at)}",
        f"Worker    {job.worker_id or '-'}",
    ]
    if job.error_message:
        lines += ["", f"Error     {job.error_message}"]
    if job.error_stack:
        lines += ["", job.error_stack]
    return "\n".join(lines)


class JobDetailScreen(PolledScreen):
    BINDINGS = [
        back_key("job", "app.pop_screen"),
        copy_id_key("job", show=True),
    ]

    def __init__(self, queue: str, job_id: str) -> None:
        super().__init__()
        self.queue, self.job_id = queue, job_id

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="job-detail"):
            yield Static("", id="job-text", markup=False)

    async def fetch(self) -> JobDetail:
        return await self.monitor.job(self.queue, self.job_id)

    def action_copy_id(self) -> None:
        copy_id(self.app, self.job_id)

    def show(self, data: JobDetail) -> None:
        self.query_one("#job-text", Static).update(describe(data))
