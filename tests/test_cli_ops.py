"""The operator commands as a user runs them (the console script, a config file):
`ygmon queues pause|resume`, `ygmon schedules`, `ygmon alerts --once` exiting 1 while a
rule fires and 0 once it stops, `ygmon alerts --watch` printing each change."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ALERTS = '[profiles.test.alerts]\npaused_too_long = [{ queue = "maintenance", minutes = 0 }]\n'


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "ygmon.toml"
    path.write_text(
        "default_profile = 'test'\n[profiles.test]\n"
        f"database_url = 'sqlite+aiosqlite:///{tmp_path / 'ygmon.db'}'\n"
        f"broker_url = 'sqlite:///{tmp_path / 'queue.db'}'\n" + ALERTS
    )
    return path


def ygmon(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YGMON_")}
    return subprocess.run(
        [sys.executable, "-m", "ygmon.cli", "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_pause_then_alerts_once_exits_1_and_after_resume_0(config: Path) -> None:
    assert ygmon(config, "alerts", "--once").returncode == 0
    paused = ygmon(config, "queues", "pause", "maintenance")
    assert paused.returncode == 0 and "maintenance: paused by " in paused.stdout
    once = ygmon(config, "alerts", "--once")
    assert once.returncode == 1, once.stderr
    assert once.stdout.startswith("FIRING paused_too_long maintenance: paused ")
    as_json = ygmon(config, "alerts", "--once", "--json")
    assert as_json.returncode == 1
    assert json.loads(as_json.stdout)[0]["firing"] is True
    assert ygmon(config, "queues", "resume", "maintenance").returncode == 0
    again = ygmon(config, "alerts", "--once")
    assert (again.returncode, again.stdout) == (0, "ok: 1 rule checks, none firing\n")


def test_unknown_queue_and_read_only_are_one_line_errors(config: Path) -> None:
    unknown = ygmon(config, "queues", "pause", "nope")
    assert (unknown.returncode, unknown.stderr) == (
        1,
        "ygmon: queue 'nope' not found (`ygmon queues` lists them)\n",
    )
    config.write_text(
        config.read_text().replace("[profiles.test]\n", "[profiles.test]\nread_only = true\n")
    )
    refused = ygmon(config, "queues", "pause", "maintenance")
    assert refused.returncode == 1
    assert refused.stderr == "ygmon: Pause is disabled: this backend is read-only\n"
    trigger = ygmon(config, "schedules", "--trigger", "aggregate-hourly")
    assert trigger.stderr == "ygmon: Trigger is disabled: this backend is read-only\n"


def test_schedules_lists_every_periodic_task(config: Path) -> None:
    listed = ygmon(config, "schedules", "--json")
    assert listed.returncode == 0, listed.stderr
    names = [s["name"] for s in json.loads(listed.stdout)]
    assert "digest-daily" in names and "sweep-retention" in names and len(names) == 8
    # The soonest runs first, whichever schedule they belong to.
    next_runs = [s["nextRunAt"] for s in json.loads(listed.stdout)]
    assert next_runs == sorted(next_runs)
    table = ygmon(config, "schedules").stdout.splitlines()
    assert table[0].split()[:3] == ["TASK", "CRON", "LAST"] and len(table) == 9
    at = table[0].index("NEXT")
    shown = [row[at:].split()[0] for row in table[1:]]  # an ISO time, one word
    assert "TRIGGER" in table[0] and shown == sorted(shown)
    triggered = ygmon(config, "schedules", "--trigger", "publish-scheduled-posts")
    assert "enqueued on blog-scheduled-publishing" in triggered.stdout
    after = {s["name"]: s for s in json.loads(ygmon(config, "schedules", "--json").stdout)}
    assert after["publish-scheduled-posts"]["lastTrigger"] == "manual"


def test_watch_prints_each_change(config: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YGMON_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "ygmon.cli", "--config", str(config), "alerts", "--watch",
         "--interval", "0.2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert ygmon(config, "queues", "pause", "maintenance").returncode == 0
        assert " FIRING paused_too_long maintenance: paused " in proc.stdout.readline()
        assert ygmon(config, "queues", "resume", "maintenance").returncode == 0
        assert " resolved paused_too_long maintenance: not paused" in proc.stdout.readline()
    finally:
        proc.kill()
        proc.wait(10)
        proc.stdout.close()
        proc.stderr.close()
