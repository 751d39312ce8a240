"""The Overview's queue list, drawn by one widget: each worker group's line; under it a
line per queue it serves (a label, its counts, and sparklines of the jobs it completed
and failed per minute over the last hour, from the registry's history, so they are full
at launch and the same for every viewer); under the search group's queues, the search
index's detail lines.

A queue that failed jobs has its counts in $error; a paused queue's label ends in "‖",
in $warning italic.

In the compact layout a queue's label is a short name that tells it apart within its
worker group (the group's line is just above); the full name is the line's tooltip, and
the Queues screen (2) lists it.

Why one widget: the list was a widget per line (a Static per group, a QueueLine per
queue, a Static for the detail), about twenty mounted after the first data arrived, and
each cost a message pump, styling, layout and a render before the first paint. The
board is composed with the screen, draws nothing before the first data, and an update
repaints it once, only when what it shows changed. Each line is drawn as its widget
drew it: Textual's own wrapping at the widget's width, the same indent, its styles as
component classes in app.tcss folded as a child widget's would be
(ygmon.widgets.part_styles).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal, NamedTuple

from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Text
from textual import events
from textual.content import Content
from textual.geometry import Size
from textual.renderables.sparkline import Sparkline
from textual.style import Style
from textual.widget import Widget

from ygmon.monitor.schemas import QueueStats
from ygmon.widgets.part_styles import Layers

SHORT_NAMES = {
    "notification-delivery": "delivery",
    "notification-digest": "digest",
    "analytics-enrichment": "enrichment",
    "metrics-aggregation": "aggregation",
    "weekly-metrics-rollup": "weekly rollup",
    "monthly-metrics-rollup": "monthly rollup",
    "search-index-update": "index update",
    "search-index-bulk": "index bulk",
    "search-index-reindex": "full reindex",
    "asset-preview-generation": "preview gen",
    "email": "email",
    "blog-scheduled-publishing": "publishing",
    "maintenance": "maintenance",
}
"""Short and unambiguous beside their group's name; any other queue shows its own."""
SHORT_WIDTH = 14
FULL_WIDTH = 26
COUNTS_WIDTH = 25
"""Columns of counts_text() and the space after it."""
INDENT = 2
"""Columns before a queue's and a detail's lines (the padding their widgets had)."""


def label_of(name: str, compact: bool, paused: bool = False) -> str:
    width = SHORT_WIDTH if compact else FULL_WIDTH
    label = SHORT_NAMES.get(name, name) if compact else name
    if paused:
        width -= 2
    if len(label) > width:
        label = label[: width - 1] + "…"
    return f"{label} ‖" if paused else label


def counts_text(stats: QueueStats) -> str:
    return f"{stats.waiting:>6,} {stats.active:>4,} {_n(stats.completed):>6} {_n(stats.failed):>5}"


def _n(value: int) -> str:
    """A count in at most six characters (1.2M past a million)."""
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if value >= 100_000:
        return f"{value // 1000}k"
    return f"{value:,}"


def _drawn(points: list[int]) -> list[float]:
    # A flat line of zeros would draw as full bars: nothing drawn means nothing ran.
    return [float(p) for p in points] if any(points) else []


def _first_line(content: Content, width: int) -> Content:
    """What a widget one line high shows of `content`: its first line as Textual wraps it."""
    return content.wrap(width)[0]


class BoardGroup(NamedTuple):
    """One worker group as the board shows it."""

    name: str
    line: str
    """Its line, in Textual markup (ygmon.screens.overview_groups.group_line)."""
    queues: tuple[QueueStats, ...]
    detail: bool = False
    """Its detail lines (show_detail) go under its queues, when shown (set_layout)."""


class BoardRow(NamedTuple):
    """What one drawn line shows."""

    kind: Literal["group", "queue", "detail"]
    name: str
    """The group's name (of a group line or a detail line), or the queue's."""


class QueueBoard(Widget):
    """Every group's and queue's line; `show*` and `set_layout` repaint only on a change."""

    COMPONENT_CLASSES = {
        "queue-board--group",
        "queue-board--detail",
        "queue-board--failing",
        "queue-board--paused",
        "queue-board--done-max",
        "queue-board--done-min",
        "queue-board--failed-max",
        "queue-board--failed-min",
    }

    _groups: tuple[BoardGroup, ...] = ()
    _compact = False
    _details_shown = True
    _rows: tuple[BoardRow, ...] = ()
    """What the last render drew, line by line (for the mouse)."""
    _hovered: BoardRow | None = None

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._group_tips: dict[str, str | None] = {}
        self._details: dict[str, tuple[str, str | None]] = {}
        """{group: (its detail text, the text's tooltip)}"""
        self._points: dict[str, tuple[list[int], list[int]]] = {}

    # --- What to show ------------------------------------------------------------------

    def show(self, groups: Sequence[BoardGroup]) -> None:
        """Every group in order, each with its line and its queues' stats."""
        groups = tuple(groups)
        if groups != self._groups:
            lines = self._line_count()
            self._groups = groups
            self._changed(lines)

    def show_group(self, name: str, line: str, tooltip: str | None) -> None:
        """One group's line (markup) and its tooltip."""
        groups = tuple(g._replace(line=line) if g.name == name else g for g in self._groups)
        if groups != self._groups or self._group_tips.get(name) != tooltip:
            self._groups = groups
            self._group_tips[name] = tooltip
            self._changed()

    def show_detail(self, name: str, text: str, tooltip: str | None) -> None:
        """The detail lines under group `name`'s queues (plain text), and their tooltip."""
        if self._details.get(name) != (text, tooltip):
            lines = self._line_count()
            self._details[name] = (text, tooltip)
            self._changed(lines)

    def show_history(self, points: Mapping[str, tuple[list[int], list[int]]]) -> None:
        """Each queue's (completed, failed) per minute over the last hour, oldest first."""
        if points != self._points:
            self._points = dict(points)
            self._changed()

    def set_layout(self, compact: bool, details: bool) -> None:
        """Short labels when `compact`; the detail lines only when `details`."""
        if (compact, details) != (self._compact, self._details_shown):
            lines = self._line_count()
            self._compact, self._details_shown = compact, details
            self._changed(lines)

    def _changed(self, lines_before: int | None = None) -> None:
        # A layout only when the board's height changes: most updates are new counts.
        layout = lines_before is not None and (
            not self.size.width or self._line_count() != lines_before
        )
        self.refresh(layout=layout)
        if self._hovered is not None:  # the tooltip under the mouse follows its line
            self._hover(self._hovered)

    # --- What it shows (for the screen and the tests) ----------------------------------

    @property
    def rows(self) -> tuple[BoardRow, ...]:
        """Each line the last render drew, top to bottom."""
        return self._rows

    def queue_names(self) -> list[str]:
        return [q.name for g in self._groups for q in g.queues]

    def queue(self, name: str) -> QueueStats | None:
        """The stats `name`'s line shows."""
        return next((q for g in self._groups for q in g.queues if q.name == name), None)

    def counts(self, name: str) -> str:
        """The counts as `name`'s line shows them."""
        stats = self.queue(name)
        return counts_text(stats) if stats is not None else ""

    def group_names(self) -> list[str]:
        return [g.name for g in self._groups]

    def group_text(self, name: str) -> str:
        """Group `name`'s line, as plain text."""
        line = next((g.line for g in self._groups if g.name == name), "")
        return Content.from_markup(line).plain

    def detail_text(self, name: str) -> str:
        """The detail text under group `name` (shown or not)."""
        return self._details.get(name, ("", None))[0]

    def tooltip_of(self, row: BoardRow) -> str | None:
        """The tooltip of a line: a queue's name, then its last hour; a group's and a
        detail's as given."""
        if row.kind == "group":
            return self._group_tips.get(row.name)
        if row.kind == "detail":
            return self._details.get(row.name, ("", None))[1]
        if row.name not in self._points:
            return row.name
        done, failed = self._points[row.name]
        return f"{row.name}: {sum(done):,} completed, {sum(failed):,} failed in the last hour"

    # --- Drawing ---------------------------------------------------------------------

    def _detail_lines(self, group: BoardGroup, width: int) -> list[Content]:
        if not (group.detail and self._details_shown):
            return []
        # As the Static it was: plain text, wrapped within its indent, "" one blank line.
        return Content(self.detail_text(group.name)).wrap(max(1, width - INDENT))

    def _rows_at(self, width: int) -> list[BoardRow]:
        rows: list[BoardRow] = []
        for group in self._groups:
            rows.append(BoardRow("group", group.name))
            rows += (BoardRow("queue", q.name) for q in group.queues)
            rows += [BoardRow("detail", group.name)] * len(self._detail_lines(group, width))
        return rows

    def _line_count(self) -> int:
        return len(self._rows_at(self.size.width))

    def get_content_height(self, container: Size, _viewport: Size, width: int) -> int:
        return len(self._rows_at(width)) if width else 0

    def render(self) -> Content:
        width = self.size.width
        if width <= 0:
            self._rows = ()
            return Content("")
        # A group's and a detail's colour are `auto` ($text, $text-muted): folded as
        # the Statics they were inherited theirs; a queue's parts style only themselves.
        layers = Layers(self, "queue-board--")
        group_style = Style.from_rich_style(layers.style("group"))
        detail_style = Style.from_rich_style(layers.style("detail"))
        lines: list[Content] = []
        for group in self._groups:
            # Under the markup's own styles (its bold), as a widget's style is.
            line = Content.from_markup(group.line).stylize_before(group_style)
            lines.append(_first_line(line, width))
            for stats in group.queues:
                text = self._queue_text(stats, width - INDENT)
                line = Content.from_rich_text(text, console=self.app.console)
                lines.append(_first_line(line, max(1, width - INDENT)).pad_left(INDENT))
            lines += (
                line.stylize_before(detail_style).pad_left(INDENT)
                for line in self._detail_lines(group, width)
            )
        self._rows = tuple(self._rows_at(width))
        return Content("\n").join(lines)

    def _queue_text(self, stats: QueueStats, width: int) -> Text:
        name_width = (SHORT_WIDTH if self._compact else FULL_WIDTH) + 1
        # What 2fr and 1fr get of the rest, a column's margin before each (Textual
        # floors the fractions' running sum): the widgets the line once was.
        rest = max(0, width - name_width - COUNTS_WIDTH - 2)
        done_width = 2 * rest // 3
        # The name's and the counts' own styles only: the rest is the board's.
        plain = RichStyle()
        line = Text(no_wrap=True, overflow="crop", end="")
        line.append(
            label_of(stats.name, self._compact, stats.paused).ljust(name_width),
            self._partial("paused") if stats.paused else plain,
        )
        line.append(
            counts_text(stats).ljust(COUNTS_WIDTH),
            self._partial("failing") if stats.failed > 0 else plain,
        )
        done, failed = self._points.get(stats.name, ([], []))
        for part, points, part_width in (
            ("done", done, done_width),
            ("failed", failed, rest - done_width),
        ):
            line.append(" ")
            line.append_text(self._sparkline(part, points, part_width))
        return line

    def _partial(self, part: str) -> RichStyle:
        return self.get_component_rich_style(f"queue-board--{part}", partial=True)

    def _sparkline(self, part: str, points: list[int], width: int) -> Text:
        if width <= 0:
            return Text()
        _, base = self.background_colors
        low = base + self.get_component_styles(f"queue-board--{part}-min").color
        high = base + self.get_component_styles(f"queue-board--{part}-max").color
        drawn = Sparkline(
            _drawn(points),
            width=width,
            height=1,
            min_color=low.rich_color,
            max_color=high.rich_color,
        )
        segments = self.app.console.render(drawn, self.app.console.options.update_width(width))
        return Text.assemble(*((s.text, s.style) for s in Segment.filter_control(segments)))

    # --- The mouse ---------------------------------------------------------------------

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover(self._rows[event.y] if 0 <= event.y < len(self._rows) else None)

    def on_leave(self) -> None:
        self._hover(None)

    def _hover(self, row: BoardRow | None) -> None:
        # A line's tooltip is the board's while the mouse is over it.
        self._hovered = row
        tooltip = None if row is None else self.tooltip_of(row)
        if tooltip != self.tooltip:
            self.tooltip = tooltip
