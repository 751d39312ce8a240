"""`ygmon demo` through the real console script, in a fresh directory each time."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil

from ygmon.config import LocalProfile
from ygmon.db.migrate import head_revision
from ygmon.demo.job_mix import DEMO_JOBS
from ygmon.jobs.runtime import open_runtime

EXE = str(Path(sys.executable).with_name("ygmon"))


def ygmon(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("YGMON_")}
    clean["HOME"] = str(cwd)
    return subprocess.run(
        [EXE, *args], cwd=cwd, env={**clean, **env}, capture_output=True, text=True, timeout=90
    )


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ygmon: "), result.stderr
    return lines[0]


def _profile(cwd: Path) -> LocalProfile:
    """The built-in local profile as seen from `cwd` (where the demo ran)."""
    return LocalProfile(
        database_url=f"sqlite+aiosqlite:///{cwd / 'ygmon.db'}",
        broker_url=f"sqlite:///{cwd / 'ygmon-queue.db'}",
    )


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_demo_no_tui_on_a_fresh_dir_makes_a_database_status_reads(tmp_path: Path) -> None:
    result = ygmon("demo", "--no-tui", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "seeded" in result.stdout and "admin user" in result.stdout
    db = tmp_path / "ygmon.db"
    assert _count(db, "users") == 30 and _count(db, "analytics_events") > 2000
    # The uploads only: thumbnails and previews are the worker's to make.
    assert len(list((tmp_path / "media" / "demo" / "originals").iterdir())) == 10
    assert not (tmp_path / "media" / "demo" / "previews").exists()

    status = ygmon("status", "--json", cwd=tmp_path)
    assert status.returncode == 0, status.stderr
    doc = json.loads(status.stdout)
    assert doc["database"]["revision"] == head_revision() and doc["database"]["upToDate"]
    # No worker ran: every demo job still waits on its queue.
    with open_runtime(_profile(tmp_path)) as runtime:
        stats = {q.name: q for q in runtime.registry.queue_stats()}
    assert stats["maintenance"].waiting == len(DEMO_JOBS)


def test_demo_refuses_a_database_with_data_unless_forced(tmp_path: Path) -> None:
    db = tmp_path / "ygmon.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('keep me')")

    line = _one_line_error(ygmon("demo", "--no-tui", cwd=tmp_path))
    assert "already holds data" in line and "--force" in line
    assert _count(db, "notes") == 1, "a refused demo must not touch the database"

    forced = ygmon("demo", "--no-tui", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    with sqlite3.connect(db) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "notes" not in tables, "--force starts from an empty database"
    assert _count(db, "users") == 30


def test_demo_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    (tmp_path / "ygmon.db").write_text("my thesis, chapter 1\n" * 200)
    line = _one_line_error(ygmon("demo", "--no-tui", cwd=tmp_path))
    assert "not an empty SQLite database" in line
    assert (tmp_path / "ygmon.db").read_text().startswith("my thesis")


def test_demo_refuses_a_server_database(tmp_path: Path) -> None:
    result = ygmon(
        "demo", "--no-tui", cwd=tmp_path, YGMON_DATABASE_URL="postgresql+asyncpg://u@127.0.0.1/x"
    )
    line = _one_line_error(result)
    assert "creates a local SQLite database" in line and "postgresql" in line


def test_demo_reports_an_unwritable_media_dir_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "ygmon.toml").write_text('[profiles.local]\nmedia_dir = "/proc/ygmon-media"\n')
    result = ygmon("demo", "--no-tui", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "ygmon: cannot write the demo: No such file or directory: /proc/ygmon-media"
    )


def _start_follow(cwd: Path) -> tuple[subprocess.Popen[str], int]:
    """`ygmon demo --follow` in `cwd`, and the pid of the worker it started."""
    # A short grace, so stopping a worker mid-canary does not wait out the default 10 s.
    (cwd / "ygmon.toml").write_text("[profiles.local]\nshutdown_grace = 1.0\n")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("YGMON_")}
    env = {**clean, "HOME": str(cwd), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [EXE, "demo", "--follow"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in proc.stdout:
        match = re.match(r"worker\s+pid (\d+)", line)
        if match:
            return proc, int(match.group(1))
    proc.wait(timeout=30)
    raise AssertionError(f"no worker started: {proc.stderr.read()}")


def _gone(pid: int, timeout: float) -> bool:
    try:
        psutil.Process(pid).wait(timeout=timeout)
    except psutil.NoSuchProcess:
        pass
    except psutil.TimeoutExpired:
        return False
    return True


def test_demo_follow_runs_jobs_within_seconds_and_a_killed_demo_leaves_no_worker(
    tmp_path: Path,
) -> None:
    proc, worker_pid = _start_follow(tmp_path)
    try:
        started = time.monotonic()
        with open_runtime(_profile(tmp_path)) as runtime:
            while True:
                stats = {q.name: q for q in runtime.registry.queue_stats()}["maintenance"]
                if stats.completed >= 3 and stats.failed >= 1:
                    break
                assert time.monotonic() - started < 15, f"jobs are not flowing: {stats}"
                time.sleep(0.2)
        # No chance to clean up (Ctrl-C and `q` go through the same `finally` that the
        # app test covers): the kernel tells the worker instead.
        proc.kill()
        proc.wait(timeout=10)
        assert _gone(worker_pid, timeout=15), "an orphaned worker kept running"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_demo_opens_the_app_with_a_worker_and_quitting_stops_both(tmp_path: Path) -> None:
    """What `make run` does, on a real pseudo-terminal: the app paints the queues while
    the demo's worker runs; `?` shows what the demo set up (the notes it printed before
    the app covered them); `q` quits the app, and the worker stops with it."""
    (tmp_path / "ygmon.toml").write_text("[profiles.local]\nshutdown_grace = 1.0\n")
    master, slave = pty.openpty()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("YGMON_")}
    env = {**clean, "HOME": str(tmp_path), "TERM": "xterm-256color"}
    proc = subprocess.Popen(
        [EXE, "demo"], cwd=tmp_path, stdin=slave, stdout=slave, stderr=slave, env=env,
        start_new_session=True,
    )  # fmt: skip
    os.close(slave)
    screen = b""

    def read_for(seconds: float, until: bytes | None = None) -> None:
        nonlocal screen
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and (until is None or until not in screen):
            if select.select([master], [], [], 0.1)[0]:
                try:
                    screen += os.read(master, 65536)
                except OSError:  # the app closed the terminal
                    return

    try:
        read_for(30, until=b"maintenance")
        assert b"maintenance" in screen, screen[-2000:].decode(errors="replace")
        log = (tmp_path / "ygmon-demo-worker.log").read_text()
        worker_pid = int(re.search(rb"worker\s+pid (\d+)", screen).group(1))
        assert psutil.Process(worker_pid).is_running(), log
        printed = re.search(rb"admin user\s+(\S+@\S+)", screen)
        assert printed is not None, screen[:3000].decode(errors="replace")
        os.write(master, b"?")
        read_for(20, until=b"What the demo set up")
        assert b"What the demo set up" in screen, screen[-3000:].decode(errors="replace")
        read_for(5, until=b"admin user: " + printed.group(1))
        assert b"admin user: " + printed.group(1) in screen
        assert b"cause-fixed exists" in screen
        os.write(master, b"\x1b")
        read_for(1)
        os.write(master, b"q")
        deadline = time.monotonic() + 20
        while proc.poll() is None and time.monotonic() < deadline:
            read_for(0.2)
        assert proc.wait(timeout=5) == 0
        assert _gone(worker_pid, timeout=5), "quitting the app left the worker running"
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
