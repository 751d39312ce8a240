"""Logs: metrics aggregation runs, one page at a time, filtered; Enter expands a row.
Above the table, the coverage strip: the last 30 days' daily rollups at a glance; Enter
on a day filters the table to its runs."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Label, Select, Static

from ygmon.enums import AggregationJobStatus
from ygmon.monitor.coverage_schemas import AggregationCoverage
from ygmon.monitor.schemas import LogQuery, MetricsAggregationJobLog, Page
from ygmon.screens.export_action import start_export
from ygmon.screens.log_filters import DATE_HINT, IsoDate, LogFilters, day
from ygmon.screens.paged_table import PagedTableScreen, page_bindings
from ygmon.screens.shared_keys import export_key
from ygmon.tui.formatting import count, duration, stamp
from ygmon.widgets.coverage_strip import CoverageStrip
from ygmon.widgets.empty_state import EmptyState
from ygmon.widgets.keyed_table import KeyedTable

PAGE_SIZE = 20
"""One page fits an 80x24 terminal; the table never holds more than one page."""
STRIP_DAYS = 30

BADGES = {"COMPLETED": "[ OK ]", "FAILED": "[FAIL]", "PARTIAL": "[PART]", "RUNNING": "[RUN ]"}


def _status(value: str) -> str:
    return f"{BADGES.get(value, value)} {value.lower()}"


CELLS: tuple[tuple[str, str, Callable[[MetricsAggregationJobLog], str]], ...] = (
    ("job_type", "Job type", lambda log: log.job_type),
    ("period", "Period", lambda log: log.period_text(year=False)),
    ("status", "Status", lambda log: _status(log.status.value)),
    ("records", "Records", lambda log: count(log.records_processed)),
    ("duration", "Duration", lambda log: duration(log.duration_seconds)),
    # To the minute and without the year, as the period: a row fits 80 columns with the
    # scrollbar (the detail, Enter, has the second).
    ("started", "Started at", lambda log: f"{log.started_at:%m-%d %H:%M}"),
)
"""Each column: its key, its heading and the cell it shows of a run."""
COLUMNS = [(key, heading) for key, heading, _cell in CELLS]


def log_row(log: MetricsAggregationJobLog) -> tuple[str, tuple[str, ...]]:
    return log.id, tuple(cell(log) for _key, _heading, cell in CELLS)


class LogsScreen(PagedTableScreen[MetricsAggregationJobLog]):
    TITLE = "Logs"
    CSS_PATH = "logs.tcss"
    AUTO_FOCUS = "#logs-table"
    TABLE_ID = "logs-table"
    PANEL_ID = "log-expanded"
    BINDINGS = page_bindings(
        "logs",
        Binding("f", "focus_filters", "Filter", id="logs.filters"),
        # v, not c: c is Copy id on every other screen.
        Binding("v", "focus_coverage", "Coverage", id="logs.coverage"),
        export_key("logs"),
        Binding("escape", "leave_filters", "Leave the filters", id="logs.leave", show=False),
    )

    def __init__(self) -> None:
        super().__init__()
        self.filters = LogFilters()
        """The filters the rows were asked with (a field's text counts once applied)."""
        self._filter_problem: str | None = None
        self._page_text = ""

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="logs-filters"):
            yield Input(placeholder="job type", id="filter-type")
            yield Select(
                [(s.value.lower(), s.value) for s in AggregationJobStatus],
                prompt="any status",
                id="filter-status",
            )
            for bound, name in (("from", "filter-start"), ("to", "filter-end")):
                yield Input(
                    placeholder=f"{bound} {DATE_HINT}",
                    id=name,
                    validators=[IsoDate()],
                    validate_on=["changed", "blur", "submitted"],
                )
        yield CoverageStrip(id="logs-coverage")
        yield KeyedTable(COLUMNS, id="logs-table")
        yield EmptyState("", id="logs-empty")
        yield Static("", id="log-expanded", markup=False)
        yield Label("", id="logs-page")

    def query_for_page(self) -> LogQuery:
        f = self.filters
        return LogQuery(
            page=self.page,
            page_size=PAGE_SIZE,
            job_type=f.job_type,
            status=None if f.status is None else AggregationJobStatus(f.status),
            start_date=f.start,
            end_date=f.end,
        )

    async def fetch(self) -> tuple[Page[MetricsAggregationJobLog], AggregationCoverage]:
        page = await self.monitor.aggregation_logs(self.query_for_page())
        return page, await self.monitor.aggregation_coverage("daily", STRIP_DAYS)

    def show(self, fetched: tuple[Page[MetricsAggregationJobLog], AggregationCoverage]) -> None:
        data, coverage = fetched
        self.query_one(CoverageStrip).show(coverage.levels[0].periods)
        self.total_pages = max(1, data.pagination.total_pages)
        if self.page > self.total_pages:
            # Fewer runs than when this page was asked for: the last page instead.
            self.page = self.total_pages
            self.call_later(self.refresh_now)
        self.rows = {log.id: log for log in data.data}
        self.query_one(KeyedTable).sync([log_row(log) for log in data.data])
        self._page_text = (
            f"page {self.page} of {self.total_pages} ({data.pagination.total:,} runs)"
            "  PgUp/PgDn pages, Enter expands"
        )
        self._show_page_line()
        empty = self.query_one(EmptyState)
        empty.update(
            "No aggregation runs match these filters. Runs are logged when the "
            "analytics queue aggregates metrics; clear the filters to see all."
        )
        empty.set_shown(not data.data)
        self._show_expanded()

    def action_export(self) -> None:
        from ygmon.monitor.export import log_rows

        query = self.query_for_page()
        start_export(
            self,
            "the runs these filters match",
            "logs",
            MetricsAggregationJobLog,
            lambda monitor: log_rows(monitor, query),
        )

    def action_focus_filters(self) -> None:
        self.query_one("#filter-type", Input).focus()

    def action_focus_coverage(self) -> None:
        self.query_one(CoverageStrip).focus()

    def action_leave_filters(self) -> None:
        """Esc in a filter: back to the table (leaving applies a valid field)."""
        focused = self.focused
        if focused is not None and focused.parent is self.query_one("#logs-filters"):
            self.query_one(KeyedTable).focus()

    @on(CoverageStrip.Chosen)
    def filter_to_day(self, event: CoverageStrip.Chosen) -> None:
        chosen = event.day.isoformat()
        self.query_one("#filter-start", Input).value = chosen
        self.query_one("#filter-end", Input).value = chosen
        self.apply_filters()

    @on(Input.Changed)
    def check_filters(self) -> None:
        """As a field is typed: mark what cannot be sent, send nothing."""
        self._filter_problem = self._fields_problem()
        self._show_page_line()

    @on(Input.Submitted)
    @on(Input.Blurred)
    @on(Select.Changed)
    def apply_filters(self) -> None:
        """The fields, when all are valid and differ from the applied filters: page 1."""
        self._filter_problem = self._fields_problem()
        self._show_page_line()
        if self._filter_problem is not None:
            return
        status = self.query_one("#filter-status", Select).value
        filters = LogFilters(
            job_type=self.query_one("#filter-type", Input).value.strip() or None,
            status=None if status is Select.NULL else str(status),
            start=day(self.query_one("#filter-start", Input).value),
            end=day(self.query_one("#filter-end", Input).value),
        )
        if filters == self.filters:
            return
        self.filters = filters
        self.page = 1
        self._expanded = None
        self.refresh_now()

    def _fields_problem(self) -> str | None:
        for name, bound in (("#filter-start", "from"), ("#filter-end", "to")):
            field = self.query_one(name, Input)
            result = field.validate(field.value)
            if result is not None and not result.is_valid:
                return f"{bound}: {result.failure_descriptions[0]}"
        start = self.query_one("#filter-start", Input).value
        end = self.query_one("#filter-end", Input).value
        return LogFilters(start=day(start), end=day(end)).problem()

    def _show_page_line(self) -> None:
        label = self.query_one("#logs-page", Label)
        problem = self._filter_problem
        label.update(self._page_text if problem is None else f"{problem} - not applied")
        label.set_class(problem is not None, "-invalid")

    def expanded_text(self, key: str) -> str | None:
        log = self.rows.get(key)
        if log is None:
            return None
        text = f"{log.job_type} {log.period_text()}: {log.status.value}"
        text += f", started {stamp(log.started_at)}"
        text += f"\n{log.error_message or 'No error.'}"
        if log.error_stack:
            text += "\n" + log.error_stack
        return text
