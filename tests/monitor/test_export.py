"""Exports round-trip over both backends and both storages: the file (or the CLI's
`--csv` / `--json` output) read back equals the monitor's models."""

from __future__ import annotations

from pathlib import Path

import pytest
from servers import FIXED_NOW, LOG_ROWS, _config_file

from ygmon.cli import main
from ygmon.config import LocalProfile
from ygmon.monitor import export
from ygmon.monitor.export import ExportError, ExportFormat, loads, read_export, write_export
from ygmon.monitor.protocol import Monitor
from ygmon.monitor.schemas import (
    JobSummary,
    LogQuery,
    MetricsAggregationJobLog,
    QueueStats,
)

FORMATS = [ExportFormat.CSV, ExportFormat.JSON]


@pytest.mark.parametrize("fmt", FORMATS)
async def test_failed_logs_and_queues_round_trip(
    monitor: Monitor, tmp_path: Path, fmt: ExportFormat
) -> None:
    failed = await export.failed_rows(monitor)
    assert failed == (await monitor.failed_jobs(page_size=100)).data and failed
    logs = await export.log_rows(monitor)
    assert len(logs) == LOG_ROWS  # every page, not the first
    assert logs[:50] == (await monitor.aggregation_logs(LogQuery(page_size=50))).data
    queues = await monitor.queues()
    for stem, rows, model in (
        ("failed", failed, JobSummary),
        ("logs", logs, MetricsAggregationJobLog),
        ("queues", queues, QueueStats),
    ):
        path = write_export(rows, model, fmt, tmp_path / "out", stem, FIXED_NOW)
        assert path.name == f"ygmon-{stem}-20260304-120000.{fmt}"
        assert read_export(path, model) == rows, stem
    again = write_export(queues, QueueStats, fmt, tmp_path / "out", "queues", FIXED_NOW)
    assert again.name == f"ygmon-queues-20260304-120000-1.{fmt}"  # never overwrites


async def test_filtered_logs_export_only_the_matching_runs(monitor: Monitor) -> None:
    query = LogQuery(status="FAILED")
    rows = await export.log_rows(monitor, query)
    assert rows and {r.status.value for r in rows} == {"FAILED"}


def test_a_file_that_is_not_an_export_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="JobSummary"):
        loads("id,queue\nx,y\n", JobSummary, ExportFormat.CSV)
    with pytest.raises(ExportError, match="array"):
        loads('{"id": 1}', JobSummary, ExportFormat.JSON)


def test_an_unwritable_directory_is_one_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ExportError, match="cannot write the export"):
        write_export([], QueueStats, ExportFormat.CSV, blocker / "sub", "queues", FIXED_NOW)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", ["local", "remote"])
async def test_cli_listings_round_trip(
    seeded: LocalProfile,
    server: tuple[str, str],
    monitor: Monitor,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    fmt: ExportFormat,
) -> None:
    if kind == "local":
        where = ["--config", str(_config_file(seeded, tmp_path)), "--profile", "local"]
    else:
        where = ["--api-url", server[0], "--token", server[1]]
    expected = {
        "failed": (JobSummary, await export.failed_rows(monitor)),
        "logs": (MetricsAggregationJobLog, await export.log_rows(monitor)),
        "queues": (QueueStats, await monitor.queues()),
    }
    for command, (model, rows) in expected.items():
        assert await _cli(where, [command, f"--{fmt}"]) == 0
        assert loads(capsys.readouterr().out, model, fmt) == rows, command
    assert await _cli(where, ["logs", "--status", "failed", "--json"]) == 0
    assert all(r.status.value == "FAILED" for r in loads(capsys.readouterr().out, *LOG_JSON))
    assert await _cli(where, ["queues"]) == 0
    assert capsys.readouterr().out.splitlines()[0].split()[:3] == ["QUEUE", "PAUSED", "WAITING"]


LOG_JSON = (MetricsAggregationJobLog, ExportFormat.JSON)


async def _cli(where: list[str], command: list[str]) -> int:
    """`ygmon ...` in a thread: the commands run their own event loop."""
    import asyncio

    return await asyncio.to_thread(main, [*where, *command])


def test_bad_cli_filters_are_argparse_errors(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["logs", "--from", "yesterday"])
    assert exited.value.code == 2
    assert "expects a date YYYY-MM-DD, got 'yesterday'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["audit", "--page-size", "500"])
    assert "from 1 to 100, got 500" in capsys.readouterr().err
