"""The latency half of Metrics (l switches to it): per queue, then per task under it,
p50 / p95 / p99 of wait and of run over the window ("~" marks an estimate, never above
the largest), each queue's latency targets beside the measured value, and a chart of the
selected queue's depth and throughput over the window."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Label, Sparkline

from ygmon.job_latency import QUANTILES, Latency, LatencyRow, LatencyStats
from ygmon.slo_config import LatencyTarget
from ygmon.tui.formatting import count, run_time
from ygmon.tui.latency_targets import mark, measured, target_text
from ygmon.widgets.empty_state import EmptyState
from ygmon.widgets.keyed_table import KeyedTable
from ygmon.widgets.window_chart import compose_window_chart, show_window

COLUMNS = [
    ("name", "Queue / task"),
    ("w50", "Wait p50"),
    ("w95", "p95"),
    ("w99", "p99"),
    ("r50", "Run p50"),
    ("r95", "p95"),
    ("r99", "p99"),
    ("n", "Runs"),
    ("target", "Target"),
]
NOTHING = (
    "No attempt ended in the last {window}. Each one's wait (start minus due) and run "
    "count here, per queue and task; w picks another window."
)
"""What the empty state says when no attempt ended in the window."""
TARGET_COLUMN_FROM = 100
"""Terminal columns from which the Target column fits; below it the chart's title says
how the selected queue meets its targets."""


def _cells(stats: LatencyStats) -> tuple[str, ...]:
    return tuple("-" if (f := stats.at(q)) is None else run_time(f.ms, f.exact) for q in QUANTILES)


def _target_cell(targets: list[LatencyTarget], latency: Latency) -> str:
    return ", ".join(f"{t.text} {mark(t, measured(t, latency))}" for t in targets)


def row_key(row: LatencyRow) -> str:
    return f"{row.queue}|{row.task or ''}"


class LatencyView(Vertical):
    """Shown by MetricsScreen in its latency mode; given each answer by `show`."""

    def compose(self) -> ComposeResult:
        yield KeyedTable(COLUMNS, id="latency-table")
        yield EmptyState("", id="latency-empty")
        yield from compose_window_chart("latency", [("depth", "waiting"), ("done", "done")])

    def show(self, data: Latency, targets: list[LatencyTarget], width: int) -> None:
        self._data, self._targets = data, targets
        wide = width >= TARGET_COLUMN_FROM
        table = self.query_one(KeyedTable)
        table.set_columns(COLUMNS if wide else COLUMNS[:-1])
        rows = []
        for r in data.rows:
            name = r.queue if r.task is None else f"  {r.task}"
            cells = (name, *_cells(r.wait), *_cells(r.run), count(r.run.count))
            if wide:
                mine = [t for t in targets if t.queue == r.queue and r.task is None]
                cells = (*cells, _target_cell(mine, data))
            rows.append((row_key(r), cells))
        table.sync(rows)
        show_window(self, "latency", data.window, NOTHING, not data.rows)
        self.show_chart()

    @on(DataTable.RowHighlighted, "#latency-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_chart()

    def show_chart(self) -> None:
        data = getattr(self, "_data", None)
        key = self.query_one(KeyedTable).selected_key
        title = self.query_one("#latency-chart-title", Label)
        depth = self.query_one("#latency-depth", Sparkline)
        done = self.query_one("#latency-done", Sparkline)
        queue = None if key is None else key.partition("|")[0]
        flow = None if data is None else next((f for f in data.flow if f.queue == queue), None)
        if data is None or flow is None:
            title.update("")
            depth.data, done.data = [], []
            return
        waiting = [n or 0 for n in flow.depth]
        mine = [t for t in self._targets if t.queue == queue]
        words = "; ".join(target_text(t, data, with_queue=False) for t in mine)
        title.update(f"{queue}: {words}" if words else f"{queue}: no latency target")
        self.query_one("#latency-depth-label", Label).update(f"waiting\nmax {count(max(waiting))}")
        self.query_one("#latency-done-label", Label).update(
            f"done\nmax {count(max(flow.throughput))}"
        )
        depth.data = [float(n) for n in waiting] if any(waiting) else []
        done.data = [float(n) for n in flow.throughput] if any(flow.throughput) else []
