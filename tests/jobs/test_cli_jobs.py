"""`ygmon enqueue`, `ygmon status --json` and the retention sweep, on both storages."""

from __future__ import annotations

import json
import signal
import subprocess
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from processes import run_ygmon

from ygmon.cli import main
from ygmon.jobs.runtime import RETENTION_SWEEP, JobRuntime
from ygmon.jobs.worker import in_process_worker
from ygmon.monitor.schemas import JobState


def test_enqueue_status_and_worker_end_to_end(
    runtime: JobRuntime, worker_config: Path, spawn_worker: Callable[..., subprocess.Popen[str]]
) -> None:
    out = run_ygmon(worker_config, "enqueue", "canary", "--seconds", "0.05")
    assert out.returncode == 0, out.stderr
    job_id = out.stdout.split()[0]
    assert runtime.registry.get_job(job_id).kwargs == {"seconds": 0.05, "fail": False}

    status = json.loads(run_ygmon(worker_config, "status", "--json").stdout)
    queues = {q["name"]: q for q in status["queues"]}
    assert next(iter(queues)) == "notification-delivery" and "maintenance" in queues
    assert queues["maintenance"] == {
        "name": "maintenance",
        "waiting": 1,
        "active": 0,
        "completed": 0,
        "failed": 0,
        "delayed": 0,
    }
    assert status["workers"] == [] and "database" in status and "broker" in status

    proc = spawn_worker("--no-schedule", "--queues", "maintenance")
    runtime.wait_idle(10, ["maintenance"])
    status = json.loads(run_ygmon(worker_config, "status", "--json").stdout)
    assert [w["pid"] for w in status["workers"]] == [proc.pid]
    assert {q["name"]: q for q in status["queues"]}["maintenance"]["completed"] == 1
    proc.send_signal(signal.SIGINT)
    assert proc.wait(10) == 0


def test_enqueue_rejects_unknown_tasks_and_bad_options(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["enqueue", "reindexx"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ygmon: unknown task 'reindexx' (known tasks: ")
    assert "canary" in err and err.count("\n") == 1
    assert main(["enqueue", "canary", "--seconds", "soon"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--seconds" in err and "soon" in err


def test_worker_rejects_unknown_queue(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["worker", "--queues", "maintenance,nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ygmon: unknown queue 'nope' (queues: notification-delivery,")


def test_periodic_retention_sweep_runs_on_maintenance(runtime: JobRuntime) -> None:
    from datetime import datetime

    # Every five minutes, on the dot.
    assert RETENTION_SWEEP(datetime(2026, 1, 1, 10, 35)) and not RETENTION_SWEEP(
        datetime(2026, 1, 1, 10, 36)
    )
    with in_process_worker(runtime.profile, ["maintenance"], 1, runtime=runtime):
        for n in range(4):
            runtime.enqueue("canary", job_id=f"c{n}")
        runtime.wait_idle(10)
        runtime.registry.limits["completed"] = (2, timedelta(hours=24))
        runtime.enqueue("sweep-retention", job_id="sweep")
        runtime.wait_idle(10)
    done, total = runtime.registry.list_jobs("maintenance", JobState.COMPLETED, 0, 10)
    # The sweep trimmed the canaries to 2; its own completion then trimmed once more.
    assert total == 2 and done[0].id == "sweep"
    assert runtime.registry.get_job("sweep").result is not None
