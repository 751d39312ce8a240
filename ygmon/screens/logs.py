"""Logs: metrics aggregation runs, one page at a time, filtered; Enter expands a row.
Above the table, the coverage strip: the last 30 days' daily rollups at a glance; Enter
on a day filters the table to its runs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Label, Select, Static

from ygmon.enums import AggregationJobStatus
from ygmon.errors import InvalidQueryError
from ygmon.monitor.coverage_schemas import AggregationCoverage
from ygmon.monitor.schemas import LogQuery, MetricsAggregationJobLog, Page
from ygmon.screens.export_action import start_export
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
    ("period", "Period", lambda log: f"{log.period_start_date:%m-%d}..{log.period_end_date:%m-%d}"),
    ("status", "Status", lambda log: _status(log.status.value)),
    ("records", "Records", lambda log: count(log.records_processed)),
    ("duration", "Duration", lambda log: duration(log.duration_seconds)),
    ("started", "Started at", lambda log: stamp(log.started_at)),
)
"""Each column: its key, its heading and the cell it shows of a run."""
COLUMNS = [(key, heading) for key, heading, _cell in CELLS]


def log_row(log: MetricsAggregationJobLog) -> tuple[str, tuple[str, ...]]:
    return log.id, tuple(cell(log) for _key, _heading, cell in CELLS)


def _date(text: str, name: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidQueryError(
            [{"field": name, "message": f"'{text}' is not a date (YYYY-MM-DD)"}]
        ) from None


class LogsScreen(PagedTableScreen[MetricsAggregationJobLog]):
    TITLE = "Logs"
    AUTO_FOCUS = "#logs-table"
    TABLE_ID = "logs-table"
    PANEL_ID = "log-expanded"
    BINDINGS = page_bindings(
        "logs",
        Binding("f", "focus_filters", "Filter", id="logs.filters"),
        # v, not c: c is Copy id on every other screen.
        Binding("v", "focus_coverage", "Coverage", id="logs.coverage"),
        export_key("logs"),
    )

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="logs-filters"):
            yield Input(placeholder="job type", id="filter-type")
            yield Select(
                [(s.value.lower(), s.value) for s in AggregationJobStatus],
                prompt="any status",
                id="filter-status",
            )
            yield Input(placeholder="from YYYY-MM-DD", id="filter-start")
            yield Input(placeholder="to YYYY-MM-DD", id="filter-end")
        yield CoverageStrip(id="logs-coverage")
        yield KeyedTable(COLUMNS, id="logs-table")
        yield EmptyState("", id="logs-empty")
        yield Static("", id="log-expanded", markup=False)
        yield Label("", id="logs-page")

    def query_for_page(self) -> LogQuery:
        status = self.query_one("#filter-status", Select).value
        return LogQuery(
            page=self.page,
            page_size=PAGE_SIZE,
            job_type=self.query_one("#filter-type", Input).value.strip() or None,
            status=None if status is Select.NULL else AggregationJobStatus(status),
            start_date=_date(self.query_one("#filter-start", Input).value, "startDate"),
            end_date=_date(self.query_one("#filter-end", Input).value, "endDate"),
        )

    async def fetch(self) -> tuple[Page[MetricsAggregationJobLog], AggregationCoverage]:
        page = await self.monitor.aggregation_logs(self.query_for_page())
        return page, await self.monitor.aggregation_coverage("daily", STRIP_DAYS)

    def show(self, fetched: tuple[Page[MetricsAggregationJobLog], AggregationCoverage]) -> None:
        data, coverage = fetched
        self.query_one(CoverageStrip).show(coverage.levels[0].periods)
        self.total_pages = max(1, data.pagination.total_pages)
        self.rows = {log.id: log for log in data.data}
        self.query_one(KeyedTable).sync([log_row(log) for log in data.data])
        self.query_one("#logs-page", Label).update(
            f"page {self.page} of {self.total_pages} ({data.pagination.total:,} runs)"
            "  PgUp/PgDn pages, Enter expands"
        )
        empty = self.query_one(EmptyState)
        empty.update(
            "No aggregation runs match these filters. Runs are logged when the "
            "analytics queue aggregates metrics; clear the filters to see all."
        )
        empty.set_shown(not data.data)
        self._show_expanded()

    def action_export(self) -> None:
        from ygmon.monitor.export import log_rows

        try:
            query = self.query_for_page()
        except InvalidQueryError as exc:
            self.notify(exc.details[0]["message"], title="Export", severity="error")
            return
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

    @on(CoverageStrip.Chosen)
    def filter_to_day(self, event: CoverageStrip.Chosen) -> None:
        day = event.day.isoformat()
        self.query_one("#filter-start", Input).value = day
        self.query_one("#filter-end", Input).value = day
        self.apply_filters()

    @on(Input.Submitted)
    @on(Select.Changed)
    def apply_filters(self) -> None:
        self.page = 1
        self._expanded = None
        self.refresh_now()

    def expanded_text(self, key: str) -> str | None:
        log = self.rows.get(key)
        if log is None:
            return None
        text = f"{log.job_type} {log.period_start_date}..{log.period_end_date}: {log.status.value}"
        text += f"\n{log.error_message or 'No error.'}"
        if log.error_stack:
            text += "\n" + log.error_stack
        return text
