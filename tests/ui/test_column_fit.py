"""How a table's columns share the width, without a terminal: the free column takes what
the others leave, ids are whole where they fit and cut to their tail otherwise; the
header's target forms; an hourly run's period."""

from __future__ import annotations

from rich.text import Text

from ygmon.monitor.schemas import MetricsAggregationJobLog
from ygmon.widgets.column_fit import CELL_PADDING, fit_rows, width_of
from ygmon.widgets.job_id import SHORT, cut_id
from ygmon.widgets.target_label import fitted_target

LABELS = ["Failed", "Queue", "Error"]
ERROR = "Source file is not a valid video: moov atom not found"
ROWS = [
    ("a", ("19m ago", "asset-preview-generation", ERROR)),
    ("b", ("20m ago", "maintenance", Text("canary asked to fail"))),
]


def _row_width(rows: list, labels: list[str]) -> int:
    widths = [max(len(lb), *(width_of(c[i]) for _k, c in rows)) for i, lb in enumerate(labels)]
    return sum(widths) + CELL_PADDING * len(labels)


def test_the_free_column_takes_the_spare_width_and_no_more() -> None:
    for width in (60, 70, 80):
        fitted = fit_rows(LABELS, ROWS, width, free=2)
        assert _row_width(fitted, LABELS) == width  # the error was cut to the room left
        assert str(fitted[0][1][2]).endswith("…")
        assert ERROR.startswith(str(fitted[0][1][2])[:-1])
        assert isinstance(fitted[1][1][2], Text)  # a styled cell keeps its styles
    assert fit_rows(LABELS, ROWS, 200, free=2) == ROWS  # room for all: nothing cut


def test_ids_are_whole_where_they_fit_else_their_tail() -> None:
    job_id = "01a24f27ea5678f8b99a9b135a4f90a8"
    labels = ["Job", "Task"]
    rows = [("x", (job_id, "deliver-notification")), ("y", ("ok-1", "canary"))]
    assert fit_rows(labels, rows, 80, ids=0) == rows
    narrow = fit_rows(labels, rows, 40, ids=0)
    assert narrow[0][1][0] == "…" + job_id[-(SHORT - 1) :] == cut_id(job_id)
    assert narrow[1][1][0] == "ok-1"  # a short id is whole however narrow
    # Every id cut one way, whatever its shape.
    assert cut_id("an-id-much-longer-than-twelve") == "…than-twelve"


def test_the_header_target_shortens_before_it_is_cut() -> None:
    local = "local: sqlite+aiosqlite:////srv/deploy/production/ygmon.db"
    assert fitted_target(local, 80) == local
    assert fitted_target(local, 30) == "local: production/ygmon.db"
    assert fitted_target(local, 16) == "local: ygmon.db"
    assert fitted_target(local, 9) == "ygmon.db"
    remote = "remote: https://admin.example.com:8443"
    assert fitted_target(remote, 32) == "remote: admin.example.com:8443"
    assert fitted_target(remote, 26) == "remote: admin.example.com"
    assert fitted_target(remote, 18) == "admin.example.com"
    assert fitted_target(remote, 8) == "admin.e…"
    postgres = "local: postgresql+asyncpg://ygmon:***@db.internal:5432/ygmon"
    assert fitted_target(postgres, 30) == "local: db.internal:5432/ygmon"


RUN = {
    "id": "l",
    "periodStartDate": "2026-12-05",
    "periodEndDate": "2026-12-05",
    "status": "COMPLETED",
    **dict.fromkeys(("recordsProcessed", "recordsCreated", "recordsUpdated", "errorsCount"), 0),
    **dict.fromkeys(("startedAt", "completedAt", "createdAt"), "2026-12-05T14:02:00Z"),
    **dict.fromkeys(("durationSeconds", "memoryUsedMb", "errorMessage", "errorStack")),
}
"""A run as the API answers it (its camelCase JSON)."""


def _log(job_type: str, metadata: dict) -> MetricsAggregationJobLog:
    run = {**RUN, "jobType": job_type, "metadata": metadata}
    return MetricsAggregationJobLog.model_validate(run)


def test_an_hourly_period_names_its_hour() -> None:
    hourly = _log("hourly", {"periodStart": "2026-12-05T13:00:00+00:00"})
    assert hourly.period_text() == "2026-12-05 13:00"
    assert hourly.period_text(year=False) == "12-05 13:00"
    assert _log("daily", {}).period_text(year=False) == "12-05..12-05"
    # A run recorded before the hour was kept reads as its days.
    assert _log("hourly", {}).period_text() == "2026-12-05..2026-12-05"
