"""Metrics: per task over a window (w cycles 1h / 24h / 30d), its runs, failures,
failure rate and p50 / p95 / max run time from the registry's history ("~" marks an
estimate, never above the max), and a chart of its runs and failures over the window;
Enter lists the task's recent failures. l switches to wait and run latency per queue
and task with the profile's targets (ygmon.screens.metrics_latency), and back."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Label, Sparkline

from ygmon.job_history import History, HistorySeries, HistoryWindow, percentile
from ygmon.job_latency import Latency
from ygmon.monitor.schemas import JobState
from ygmon.screens.metrics_latency import LatencyView
from ygmon.screens.polled_screen import PolledScreen
from ygmon.screens.queue_jobs import QueueJobsScreen
from ygmon.slo_config import slo_targets
from ygmon.tui.formatting import count, run_time
from ygmon.widgets.empty_state import EmptyState
from ygmon.widgets.keyed_table import KeyedTable
from ygmon.widgets.window_chart import compose_window_chart, show_window

WINDOWS = list(HistoryWindow)
NOTHING = (
    "No job finished in the last {window}. Each finished job counts here, per task, "
    "from the registry's history; w picks another window."
)
"""What the empty state says when no job finished in the window."""
# The queue last: at 80 columns the figures come first (the chart's title names it).
COLUMNS = [
    ("task", "Task"),
    ("runs", "Runs"),
    ("failed", "Failed"),
    ("rate", "Fail%"),
    ("p50", "p50"),
    ("p95", "p95"),
    ("max", "Max"),
    ("queue", "Queue"),
]
STEP_NAMES = {60: "minute", 3600: "hour"}
QUEUE_COLUMN_FROM = 100
"""Terminal columns from which the table has room for the Queue column; below it goes
(a task runs on one queue, and the chart's title names the selected task's queue)."""


def _percentile_cell(s: HistorySeries, bounds: list[float], q: float) -> str:
    found = percentile(s.histogram, bounds, q, s.max_ms)
    return "-" if found is None else run_time(found.ms, found.exact)


def task_row(s: HistorySeries, bounds: list[float], with_queue: bool = True) -> tuple[str, ...]:
    runs, failed = s.runs, s.failures
    cells = (
        s.task,
        count(runs),
        count(failed),
        f"{100 * failed / runs:.1f}" if runs else "-",
        _percentile_cell(s, bounds, 0.5),
        _percentile_cell(s, bounds, 0.95),
        run_time(s.max_ms if s.runs_timed else None),
    )
    return (*cells, s.queue) if with_queue else cells


class MetricsScreen(PolledScreen):
    TITLE = "Metrics"
    CSS_PATH = "metrics.tcss"
    BINDINGS = [
        Binding("w", "next_window", "Window", id="metrics.window"),
        Binding("l", "latency", "Latency", id="metrics.latency"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.window = HistoryWindow.HOUR
        self.latency = False
        """Whether the latency view shows (l), not the runs per task."""
        self._history: History | None = None
        self._latency: Latency | None = None

    def compose_body(self) -> ComposeResult:
        yield Label("", id="metrics-title", classes="screen-title")
        yield KeyedTable(COLUMNS, id="metrics-table")
        yield EmptyState("", id="metrics-empty")
        yield from compose_window_chart("metrics", [("runs", "runs"), ("failures", "failed")])
        yield LatencyView(id="metrics-latency")

    async def fetch(self) -> History | Latency:
        if self.latency:
            return await self.monitor.latency(window=self.window)
        return await self.monitor.history(window=self.window)

    def on_resize(self, event: events.Resize) -> None:
        if self._history is not None:
            self._sync_table(self._history)
        if self._latency is not None:
            self._show_latency(self._latency)

    def _sync_table(self, data: History) -> None:
        with_queue = self.app.size.width >= QUEUE_COLUMN_FROM
        table = self.query_one(KeyedTable)
        table.set_columns(COLUMNS if with_queue else COLUMNS[:-1])
        series = sorted(data.series, key=lambda s: (-s.runs, s.queue, s.task))
        table.sync([(_key(s), task_row(s, data.bounds_ms, with_queue)) for s in series])

    def show(self, data: History | Latency) -> None:
        if isinstance(data, Latency):
            self._show_latency(data)
            return
        self._history = data
        step = STEP_NAMES.get(data.step_seconds, f"{data.step_seconds}s")
        self.query_one("#metrics-title", Label).update(
            f"Per task, last {data.window.value} (w: window), by {step}; Enter: its failures"
        )
        self._sync_table(data)
        show_window(self, "metrics", data.window, NOTHING, not data.series)
        self._show_chart()

    def _selected(self) -> HistorySeries | None:
        key = self.query_one(KeyedTable).selected_key
        if self._history is None or key is None:
            return None
        return next((s for s in self._history.series if _key(s) == key), None)

    def _show_chart(self) -> None:
        chosen = self._selected()
        title = self.query_one("#metrics-chart-title", Label)
        runs = self.query_one("#metrics-runs", Sparkline)
        failures = self.query_one("#metrics-failures", Sparkline)
        if chosen is None:
            title.update("")
            runs.data, failures.data = [], []
            self.query_one("#metrics-runs-label", Label).update("runs")
            self.query_one("#metrics-failures-label", Label).update("failed")
            return
        done = [c + f for c, f in zip(chosen.completed, chosen.failed, strict=True)]
        title.update(
            f"{chosen.task} on {chosen.queue}: {count(chosen.runs)} runs, "
            f"{count(chosen.failures)} failed"
        )
        # The bars' scale: the top of the tallest is this many.
        self.query_one("#metrics-runs-label", Label).update(f"runs\nmax {count(max(done))}")
        self.query_one("#metrics-failures-label", Label).update(
            f"failed\nmax {count(max(chosen.failed))}"
        )
        runs.data = [float(n) for n in done] if any(done) else []
        failures.data = [float(n) for n in chosen.failed] if any(chosen.failed) else []

    @on(DataTable.RowHighlighted, "#metrics-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_chart()

    @on(DataTable.RowSelected, "#metrics-table")
    def open_failures(self, event: DataTable.RowSelected) -> None:
        queue, _, task = str(event.row_key.value).partition("|")
        self.app.push_screen(QueueJobsScreen(queue, state=JobState.FAILED, task=task))

    def _show_latency(self, data: Latency) -> None:
        self._latency = data
        step = STEP_NAMES.get(data.step_seconds, f"{data.step_seconds}s")
        self.query_one("#metrics-title", Label).update(
            f"Wait and run per queue and task, last {data.window.value} (w: window), "
            f"by {step}; l: runs"
        )
        view = self.query_one(LatencyView)
        view.show(data, slo_targets(self.app.slo), self.app.size.width)

    def action_latency(self) -> None:
        self.latency = not self.latency
        self.set_class(self.latency, "-latency")
        self.refresh_now()

    def action_next_window(self) -> None:
        self.window = WINDOWS[(WINDOWS.index(self.window) + 1) % len(WINDOWS)]
        self.refresh_now()


def _key(s: HistorySeries) -> str:
    return f"{s.queue}|{s.task}"
