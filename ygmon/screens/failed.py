"""Failed: failed jobs across queues, newest first, or (`g`) grouped by cause.

`r` retries one after a confirm; `/` searches the list (id, task, arguments, error);
Enter on a group lists its jobs; `R` / `D` retry or discard everything listed (or the
group under the cursor) after a dry run and a confirm.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Label

from ygmon.errors import YgmonError
from ygmon.monitor.job_search_schemas import BulkSelection, FailureGroup, JobQuery
from ygmon.monitor.schemas import JobState, JobSummary, Page
from ygmon.screens.bulk_actions import BulkActions
from ygmon.screens.confirm_dialog import ConfirmDialog
from ygmon.screens.export_action import start_export
from ygmon.screens.shared_keys import back_key, copy_id_key, export_key, search_key
from ygmon.tui import search_field
from ygmon.tui.age_ticker import tick_each_second
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
GROUP_COLUMNS = [
    ("count", "Jobs"),
    ("last", "Last"),
    ("first", "First"),
    ("cause", "Cause"),
    ("where", "Queues / tasks"),
]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class FailedScreen(BulkActions):
    TITLE = "Failed"
    CSS_PATH = "failed.tcss"
    AUTO_FOCUS = "#failed-table"
    BINDINGS = [
        # Two keys shown, so the footer fits 80 columns; the title line names the others
        # and help lists them.
        Binding("r", "retry", "Retry", id="failed.retry"),
        Binding("g", "toggle_groups", "Groups", id="failed.groups"),
        search_key("failed"),
        Binding("R", "bulk_retry", "Retry all", id="failed.bulk_retry", show=False),
        Binding("D", "bulk_discard", "Discard all", id="failed.bulk_discard", show=False),
        back_key("failed", show=False),
        export_key("failed"),
        copy_id_key("failed"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._jobs: dict[str, JobSummary] = {}
        self._groups: dict[str, FailureGroup] = {}
        self.grouped = False
        self.query_text = ""
        self.group: FailureGroup | None = None
        """The group whose jobs the list shows (Enter on a group)."""
        self._shown: tuple[tuple[object, ...], Any] | None = None
        """What the list was asked for (see `_asked`) and the answer it shows."""

    def compose_body(self) -> ComposeResult:
        yield Label("", id="failed-title", classes="screen-title")
        yield Input(placeholder="id, task, argument or error words", id="failed-search")
        yield KeyedTable(COLUMNS, free="error", id="failed-table")
        yield KeyedTable(GROUP_COLUMNS, free="cause", id="failed-groups")
        yield EmptyState("", id="failed-empty")

    def on_mount(self) -> None:
        tick_each_second(self, self._tick)

    def _asked(self) -> tuple[object, ...]:
        return (self.grouped, self.group, self.query_text)

    def _tick(self) -> None:
        """The Failed, Last and First ages tick: the answer last read, shown again (no
        fetch), unless the list was asked for something else since (its answer is
        coming, and the old one may be of the other kind)."""
        shown = self._shown
        if shown is not None and shown[0] == self._asked():
            self.show(shown[1])

    async def fetch(self) -> Any:
        if self.grouped:
            return await self.monitor.failure_groups()
        if self.query_text or self.group is not None:
            query = JobQuery(
                q=self.query_text,
                state=JobState.FAILED,
                group_key=self.group.key if self.group else None,
                page_size=100,
            )
            return await self.monitor.search_jobs(query)
        return await self.monitor.failed_jobs(page=1, page_size=100)

    def _filter_text(self) -> str:
        """The list's filter in at most 40 characters (the title fits 80 columns)."""
        parts = []
        if self.group is not None:
            parts.append(f"{self.group.exception_type}: {self.group.message}")
        if self.query_text:
            parts.append(f"'{self.query_text}'")
        text = " ".join(parts)
        return text if len(text) <= 40 else text[:39] + "…"

    def show(self, data: Any) -> None:
        self._shown = (self._asked(), data)
        jobs_table = self.query_one("#failed-table", KeyedTable)
        groups_table = self.query_one("#failed-groups", KeyedTable)
        jobs_table.display = not self.grouped
        groups_table.display = self.grouped
        empty = self.query_one(EmptyState)
        if self.grouped:
            self._show_groups(data)
            return
        page: Page[JobSummary] = data
        now = self.now()
        self._jobs = {job.id: job for job in page.data}
        title = "Failed jobs · g causes · / search · R/D retry/discard all · c copies an id"
        if self._filter_text():
            title = f"Failed: {self._filter_text()} ({page.pagination.total:,}) · esc clears"
        self.query_one("#failed-title", Label).update(title)
        jobs_table.sync(
            [
                (
                    job.id,
                    (
                        age(job.finished_at, now),
                        job.queue,
                        job.task,
                        f"{job.attempts_made}/{job.attempts_allowed}",
                        # One line (the table cuts it to the room it has).
                        " ".join((job.error_message or "")[:300].split()),
                    ),
                )
                for job in page.data
            ]
        )
        empty.update(
            f"No failed jobs match {self._filter_text()}. Press escape to clear the filter."
            if self._filter_text()
            else "No failed jobs. A job lands here when it fails its last attempt; "
            "retried jobs leave the list."
        )
        empty.set_shown(not page.data)

    def _show_groups(self, groups: list[FailureGroup]) -> None:
        now = self.now()
        self._groups = {g.key: g for g in groups}
        total = sum(g.count for g in groups)
        causes = f"{len(groups):,} cause" + ("" if len(groups) == 1 else "s")
        self.query_one("#failed-title", Label).update(
            f"Failures by cause: {causes}, {total:,} jobs · Enter lists a cause's jobs · g back"
        )
        # Where it failed keeps a share; the cause takes the rest (the free column).
        wide = self.app.size.width >= 100
        where_width = 40 if wide else 24
        self.query_one("#failed-groups", KeyedTable).sync(
            [
                (
                    g.key,
                    (
                        f"{g.count:,}",
                        age(g.last_seen, now),
                        age(g.first_seen, now),
                        " ".join(f"{g.exception_type}: {g.message}"[:300].split()),
                        _cut(f"{', '.join(g.queues)} / {', '.join(g.tasks)}", where_width),
                    ),
                )
                for g in groups
            ]
        )
        empty = self.query_one(EmptyState)
        empty.update("No failed jobs, so no causes to group.")
        empty.set_shown(not groups)

    # --- keys ------------------------------------------------------------------------

    def action_toggle_groups(self) -> None:
        self.grouped = not self.grouped
        self.group = None
        self.query_one("#failed-search", Input).display = False
        self.refresh_now()
        self._focus_table()

    def _focus_table(self) -> None:
        table = "#failed-groups" if self.grouped else "#failed-table"
        self.query_one(table, KeyedTable).focus()

    def action_search(self) -> None:
        if self.grouped:
            self.grouped = False
        search_field.show(self.query_one("#failed-search", Input))

    @on(Input.Submitted, "#failed-search")
    def search_submitted(self, event: Input.Submitted) -> None:
        self.query_text = search_field.submitted_words(event)
        self.refresh_now()
        self._focus_table()

    def action_back(self) -> None:
        if search_field.dismiss(self.query_one("#failed-search", Input), self.query_text):
            self.query_text = ""
        elif self.group is not None:
            self.group = None
            self.grouped = True
        else:
            return
        self.refresh_now()
        self._focus_table()

    @on(DataTable.RowSelected, "#failed-groups")
    def open_group(self, event: DataTable.RowSelected) -> None:
        group = self._groups.get(str(event.row_key.value))
        if group is not None:
            self.group = group
            self.grouped = False
            self.refresh_now()
            self._focus_table()

    def bulk_selection(self) -> tuple[BulkSelection, str]:
        if self.grouped:
            key = self.query_one("#failed-groups", KeyedTable).selected_key
            group = self._groups.get(key or "")
            if group is not None:
                what = f"the {group.exception_type} group '{group.message[:40]}'"
                return BulkSelection(group_key=group.key), what
            return BulkSelection(), "every failed job"
        selection = BulkSelection(
            q=self.query_text or None, group_key=self.group.key if self.group else None
        )
        what = f"failed jobs of {self._filter_text()}" if self._filter_text() else ""
        return selection, what or "every failed job"

    def action_export(self) -> None:
        from ygmon.monitor.export import failed_rows, job_search_rows

        if self.grouped or not (self.query_text or self.group):
            start_export(self, "every failed job", "failed", JobSummary, failed_rows)
            return
        # The list as filtered (a search, a cause): what the admin is looking at.
        query = JobQuery(
            q=self.query_text,
            state=JobState.FAILED,
            group_key=self.group.key if self.group else None,
        )
        start_export(
            self,
            f"the failed jobs of {self._filter_text()}",
            "failed",
            JobSummary,
            lambda monitor: job_search_rows(monitor, query),
        )

    def action_copy_id(self) -> None:
        copy_id(self.app, self.query_one("#failed-table", KeyedTable).selected_key)

    def action_retry(self) -> None:
        job = self._jobs.get(self.query_one("#failed-table", KeyedTable).selected_key or "")
        if self.grouped or job is None:
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
