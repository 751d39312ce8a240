"""The terminal app's costs: launch to first data, memory while paging 1,000,000 log rows,
and the UI time of a refresh that changed nothing.

(a) Time from launch to the first screen painted with data, on the demo database, beside
    a bare Textual app painting one label (same run); target <= 2x. Each child writes a
    line to its stdout once its screen is painted and the bench times that line: the
    interpreter's exit afterwards is no part of what a user waits for, and ygmon's is
    the longer one (more modules to tear down, a database engine to close). The
    whole-process times, launch to exit, are in the figure's name.
(b) Peak RSS of an app paging through Logs over 1,000,000 rows in
    metrics_aggregation_jobs_log (< 120 MB in each of three runs, the last with two
    CPU hogs running); the table never holds more than one page. The child reports its
    own peak: the bench's RUSAGE_CHILDREN would be the largest of every child so far.
(c) UI time of a refresh of a 500-row queue table where nothing changed (< 20 ms).
"""

from __future__ import annotations

import asyncio
import compileall
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.child_env import child_env
from bench.figure import Figure
from bench.tui_children import BARE, FIRST_PAINT, PAGING

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
RUNS = 5
LOG_ROWS = 1_000_000


def _child(code: str, *args: str) -> tuple[float, str]:
    env = child_env()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=600, env=env
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"bench child failed: {done.stderr[-2000:]}")
    return elapsed, done.stdout


async def _demo_database(url: str) -> None:
    from ygmon.db import Database
    from ygmon.db.migrate import ensure_schema
    from ygmon.demo.seed import seed_database

    db = Database(url)
    try:
        await ensure_schema(db)
        await seed_database(db, now=NOW, seed=7)
    finally:
        await db.dispose()


def _until_painted(code: str, *args: str) -> tuple[float, float, str]:
    """(seconds to the child's "painted" line, seconds to its exit, its stdout)."""
    env = child_env()
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    first = child.stdout.readline()
    painted = time.perf_counter() - started
    rest, err = child.communicate(timeout=600)
    elapsed = time.perf_counter() - started
    if child.returncode != 0 or first != "painted\n":
        raise RuntimeError(f"bench child failed: {first}{rest}{err[-2000:]}")
    return painted, elapsed, rest


def _painted_data(config: Path) -> tuple[float, float]:
    painted, elapsed, out = _until_painted(FIRST_PAINT, str(config))
    if "painted data" not in out:
        raise RuntimeError(f"the app painted no data: {out.strip()[-500:]}")
    return painted, elapsed


def _bare() -> tuple[float, float]:
    painted, elapsed, _ = _until_painted(BARE)
    return painted, elapsed


def first_paint(directory: Path) -> Figure:
    # An installed wheel ships compiled; an editable install under
    # PYTHONDONTWRITEBYTECODE would recompile ygmon in every child (Textual, the bare
    # app's only code, is compiled by pip), so both sides load bytecode.
    compileall.compile_dir(str(Path(__file__).resolve().parent.parent / "ygmon"), quiet=1)
    url = f"sqlite+aiosqlite:///{directory / 'demo.db'}"
    broker = f"sqlite:///{directory / 'queue.db'}"
    asyncio.run(_demo_database(url))
    config = directory / "bench.toml"
    config.write_text(
        "[profiles.bench]\n"
        'kind = "local"\n'
        f"database_url = {json.dumps(url)}\n"
        f"broker_url = {json.dumps(broker)}\n"
        'namespace = "benchtui"\n'
    )
    _painted_data(config)  # warm the OS cache
    _bare()
    # Alternated, so a burst of load on the machine weighs on both sides alike.
    apps, bares = [], []
    for _ in range(RUNS):
        apps.append(_painted_data(config))
        bares.append(_bare())
    app, bare = (statistics.median(p for p, _ in runs) for runs in (apps, bares))
    whole = [statistics.median(e for _, e in runs) * 1000 for runs in (apps, bares)]
    return Figure(
        f"launch to first screen with data (demo db; to exit: {whole[0]:.0f} vs {whole[1]:.0f} ms)",
        app * 1000,
        "ms",
        "bare Textual app, one label",
        bare * 1000,
        target="<= 2x",
        ok=app <= 2 * bare,
    )


def _fill_logs(path: Path, rows: int) -> None:
    """1,000,000 aggregation runs written straight to SQLite (fast, same columns)."""
    asyncio.run(_empty_schema(f"sqlite+aiosqlite:///{path}"))
    rng = random.Random(7)
    statuses = ["COMPLETED"] * 8 + ["FAILED", "PARTIAL"]
    start = datetime(2024, 1, 1)
    con = sqlite3.connect(path)

    def make(i: int) -> tuple:
        began = start + timedelta(minutes=i)
        status = statuses[rng.randrange(len(statuses))]
        failed = status == "FAILED"
        return (
            f"{i:032x}",
            "hourly",
            began.date().isoformat(),
            began.date().isoformat(),
            f"{began:%Y-%m-%d %H:%M:%S}.000000",
            f"{began:%Y-%m-%d %H:%M:%S}.500000",
            status,
            rng.randrange(500),
            0,
            0,
            int(failed),
            0.5,
            60,
            "boom" if failed else None,
            "Traceback: boom" if failed else None,
            "{}",
            f"{began:%Y-%m-%d %H:%M:%S}.000000",
        )

    with con:
        con.executemany(
            "INSERT INTO metrics_aggregation_jobs_log (id, job_type, period_start_date,"
            " period_end_date, started_at, completed_at, status, records_processed,"
            " records_created, records_updated, errors_count, duration_seconds,"
            " memory_used_mb, error_message, error_stack, metadata, created_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (make(i) for i in range(rows)),
        )
    con.close()


async def _empty_schema(url: str) -> None:
    from ygmon.db import Database
    from ygmon.db.migrate import ensure_schema

    db = Database(url)
    try:
        await ensure_schema(db)
    finally:
        await db.dispose()


HOG = "while True: pass"
RSS_RUNS = 3
"""Runs of the paging child; the last one beside two CPU hogs (a loaded machine)."""


@contextmanager
def _cpu_hogs(count: int) -> Iterator[None]:
    hogs = [subprocess.Popen([sys.executable, "-c", HOG]) for _ in range(count)]
    try:
        yield
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()


def paging_memory(directory: Path, pages: int = 30) -> list[Figure]:
    path = directory / "million.db"
    _fill_logs(path, LOG_ROWS)
    args = (f"sqlite+aiosqlite:///{path}", f"sqlite:///{directory / 'q.db'}", str(pages))
    results = []
    for run in range(RSS_RUNS):
        with _cpu_hogs(2 if run == RSS_RUNS - 1 else 0):
            _, out = _child(PAGING, *args)
        results.append(json.loads(out.strip().splitlines()[-1]))
    peaks = [r["peak_kb"] / 1024 for r in results]
    most = max(r["most_rows"] for r in results)
    page_size = results[0]["page_size"]
    return [
        Figure(
            f"peak RSS paging Logs ({pages} pages of {LOG_ROWS:,} rows), worst of"
            f" {RSS_RUNS} runs (" + ", ".join(f"{p:.0f}" for p in peaks) + " MB; last"
            " with 2 CPU hogs)",
            max(peaks),
            "MB",
            target="< 120 MB",
            ok=max(peaks) < 120,
        ),
        Figure(
            "most rows the Logs table held",
            most,
            "rows",
            target=f"<= one page ({page_size})",
            ok=most <= page_size and all(r["page"] == pages + 1 for r in results),
        ),
    ]


async def _unchanged_refresh() -> tuple[float, float]:
    from textual.app import App

    from ygmon.screens.queue_jobs import COLUMNS
    from ygmon.widgets.keyed_table import KeyedTable

    rows = [
        (f"job-{i:04d}", (f"job-{i:04d}", "canary", "completed", "1/3", f"{i}m ago", "-"))
        for i in range(500)
    ]

    class TableApp(App):
        def compose(self):
            yield KeyedTable(COLUMNS)

    app = TableApp()
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.query_one(KeyedTable)
        started = time.perf_counter()
        table.sync(rows)
        await pilot.pause()
        build = time.perf_counter() - started
        # Pilot.pause() itself waits a fixed time for the app to go idle: measure it empty
        # and count only what a refresh adds to it (the sync, and any repaint it causes).
        idle = []
        for _ in range(20):
            started = time.perf_counter()
            await pilot.pause()
            idle.append(time.perf_counter() - started)
        syncs, settles = [], []
        for _ in range(20):
            started = time.perf_counter()
            table.sync([(key, tuple(cells)) for key, cells in rows])
            synced = time.perf_counter()
            await pilot.pause()
            syncs.append(synced - started)
            settles.append(time.perf_counter() - synced)
        assert table.cells_written == 0
    added = max(0.0, statistics.median(settles) - statistics.median(idle))
    return statistics.median(syncs) + added, build - statistics.median(idle)


def unchanged_refresh() -> Figure:
    unchanged, build = asyncio.run(_unchanged_refresh())
    return Figure(
        "UI time of an unchanged refresh, 500-row queue table",
        unchanged * 1000,
        "ms",
        "first fill of the same table",
        build * 1000,
        target="< 20 ms",
        ok=unchanged < 0.020,
    )


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="ygmon-bench-tui-") as tmp:
        directory = Path(tmp)
        return [first_paint(directory), *paging_memory(directory), unchanged_refresh()]


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
