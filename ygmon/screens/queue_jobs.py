"""One queue's jobs, filtered by state (`f` cycles it), by a search (`/`: id, task,
arguments, error) and optionally by task (the Metrics screen's failures of a task);
Enter opens a job."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Label

from ygmon.monitor.job_search_schemas import JobQuery
from ygmon.monitor.schemas import JobState, JobSummary, Page
from ygmon.screens.job_detail import JobDetailScreen
from ygmon.screens.polled_screen import PolledScreen
from ygmon.screens.shared_keys import back_key, copy_id_key, search_key
from ygmon.tui import search_field
from ygmon.tui.age_ticker import tick_each_second
from ygmon.tui.formatting import age
from ygmon.widgets.empty_state import EmptyState
from ygmon.widgets.job_id import copy_id
from ygmon.widgets.keyed_table import KeyedTable

STATES: list[JobState | None] = [None, *JobState]
COLUMNS = [
    ("id", "Job"),
    ("task", "Task"),
    ("state", "State"),
    ("attempts", "Tries"),
    ("enqueued", "Enqueued"),
    ("finished", "Finished"),
]


class QueueJobsScreen(PolledScreen):
    CSS_PATH = "queue_jobs.tcss"
    AUTO_FOCUS = "#jobs-table"
    BINDINGS = [
        # f as on Logs (the screen's filter); s is Start on the Worker screen.
        Binding("f", "next_state", "Filter", id="jobs.state"),
        back_key("jobs"),
        search_key("jobs"),
        # Hidden: beside State and Back it would push the footer past 80 columns (the
        # title line names it, and help lists it).
        copy_id_key("jobs"),
    ]

    def __init__(self, queue: str, state: JobState | None = None, task: str | None = None) -> None:
        super().__init__()
        self.queue = queue
        self.state: JobState | None = state
        self.task_name = task
        """Only this task's jobs, among the newest 100 of the state."""
        self.query_text = ""
        self._shown: tuple[JobState | None, str, Page[JobSummary]] | None = None

    def compose_body(self) -> ComposeResult:
        yield Label("", id="jobs-title", classes="screen-title")
        yield Input(placeholder="id, task, argument or error words", id="jobs-search")
        yield KeyedTable(COLUMNS, ids="id", id="jobs-table")
        yield EmptyState("", id="jobs-empty")

    async def fetch(self) -> Page[JobSummary]:
        if self.query_text:
            query = JobQuery(q=self.query_text, queue=self.queue, state=self.state, page_size=100)
            return await self.monitor.search_jobs(query)
        return await self.monitor.jobs(self.queue, self.state, page=1, page_size=100)

    def on_mount(self) -> None:
        tick_each_second(self, self._tick)

    def _tick(self) -> None:
        """The Enqueued and Finished ages tick: the page last read, shown again (no
        fetch), unless the state or the query changed since (its answer is coming)."""
        shown = self._shown
        if shown is not None and shown[:2] == (self.state, self.query_text):
            self.show(shown[2])

    def show(self, data: Page[JobSummary]) -> None:
        self._shown = (self.state, self.query_text, data)
        state = self.state.value if self.state else "all states"
        jobs = [j for j in data.data if self.task_name is None or j.task == self.task_name]
        title = f"Queue {self.queue}: {state} ({data.pagination.total:,} jobs, newest 100 shown)"
        title += " · / searches · c copies an id"
        if self.query_text:
            title = (
                f"Queue {self.queue}: {state} matching '{self.query_text}' "
                f"({data.pagination.total:,} jobs) · esc clears"
            )
        if self.task_name is not None:
            title = f"{self.queue}: {state} {self.task_name} jobs ({len(jobs)} of the newest 100)"
        self.query_one("#jobs-title", Label).update(title)
        now = self.now()
        self.query_one(KeyedTable).sync(
            [
                (
                    job.id,
                    (
                        job.id,  # whole where it fits (the table cuts it)
                        job.task,
                        job.state.value,
                        f"{job.attempts_made}/{job.attempts_allowed}",
                        age(job.enqueued_at, now),
                        age(job.finished_at, now),
                    ),
                )
                for job in jobs
            ]
        )
        empty = self.query_one(EmptyState)
        which = f"{self.state.value} jobs" if self.state else "jobs"
        if self.task_name is not None:
            which += f" of task {self.task_name}"
        if self.query_text:
            which += f" matching '{self.query_text}'"
        empty.update(
            f"No {which} in {self.queue}. Jobs appear here when the app or "
            "`ygmon enqueue` adds them; press s for another state."
        )
        empty.set_shown(not jobs)

    def action_copy_id(self) -> None:
        copy_id(self.app, self.query_one(KeyedTable).selected_key)

    def action_search(self) -> None:
        search_field.show(self.query_one("#jobs-search", Input))

    @on(Input.Submitted, "#jobs-search")
    def search_submitted(self, event: Input.Submitted) -> None:
        self.query_text = search_field.submitted_words(event)
        self.refresh_now()
        self.query_one("#jobs-table", KeyedTable).focus()

    def action_back(self) -> None:
        if search_field.dismiss(self.query_one("#jobs-search", Input), self.query_text):
            self.query_text = ""
            self.refresh_now()
            self.query_one("#jobs-table", KeyedTable).focus()
        else:
            self.app.pop_screen()

    def action_next_state(self) -> None:
        self.state = STATES[(STATES.index(self.state) + 1) % len(STATES)]
        self.refresh_now()

    @on(DataTable.RowSelected, "#jobs-table")
    def open_job(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(JobDetailScreen(self.queue, str(event.row_key.value)))
