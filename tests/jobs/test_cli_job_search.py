"""`ygmon jobs search` on both storages, and the worker's index thread."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from processes import run_ygmon

from ygmon.cli import main
from ygmon.jobs.registry.search import JobSearch
from ygmon.jobs.runtime import JobRuntime
from ygmon.jobs.worker import in_process_worker
from ygmon.monitor.export import ExportFormat, loads
from ygmon.monitor.schemas import JobSummary


def test_jobs_search_prints_matches_and_json(runtime: JobRuntime, worker_config: Path) -> None:
    with in_process_worker(runtime.profile, ["maintenance"], 1, runtime=runtime):
        runtime.enqueue("canary", job_id="cli-ok-1")
        runtime.enqueue("canary", job_id="cli-bad-1", fail=True)
        runtime.wait_idle(20, queues=["maintenance"])
    out = run_ygmon(worker_config, "jobs", "search", "asked", "--json")
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)  # an array, as every --json list is
    assert [j["id"] for j in body] == ["cli-bad-1"]
    assert body[0]["errorMessage"] == "canary asked to fail"
    out = run_ygmon(worker_config, "jobs", "search", "ok-1", "--state", "completed")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split() == ["ID", "QUEUE", "TASK", "STATE", "CHANGED", "ERROR"]
    assert lines[1].split()[:4] == ["cli-ok-1", "maintenance", "canary", "completed"]
    assert lines[1].index("maintenance") == lines[0].index("QUEUE")  # aligned
    assert lines[-1] == "1 matching jobs (page 1 of 1)"
    none = run_ygmon(worker_config, "jobs", "search", "nothing-here").stdout.splitlines()
    assert none[1:] == ["0 matching jobs (page 1 of 1)"]
    # CSV, as the app's `e` writes it, reads back to the same jobs as the JSON page.
    out = run_ygmon(worker_config, "jobs", "search", "canary", "--csv")
    assert out.returncode == 0, out.stderr
    rows = loads(out.stdout, JobSummary, ExportFormat.CSV)
    page = json.loads(run_ygmon(worker_config, "jobs", "search", "canary", "--json").stdout)
    assert [r.to_json() for r in rows] == page
    assert {r.id for r in rows} == {"cli-ok-1", "cli-bad-1"}


def test_jobs_search_refuses_bad_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["jobs", "search", "x", "--state", "broken"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ygmon: unknown state 'broken' (states: waiting,")
    assert err.count("\n") == 1
    assert main(["jobs", "search", "x", "--since", "last tuesday"]) == 2
    assert "--since 'last tuesday' is not an ISO 8601 time" in capsys.readouterr().err


def test_a_worker_indexes_jobs_from_its_index_thread(runtime: JobRuntime) -> None:
    search = JobSearch(runtime.registry.store, runtime.registry.now)
    assert search.backend.mark() is None
    runtime.enqueue("canary", job_id="indexed-by-worker")
    with in_process_worker(runtime.profile, ["maintenance"], 1, runtime=runtime):
        deadline = time.monotonic() + 15
        while search.backend.mark() is None:
            assert time.monotonic() < deadline, "no worker pass indexed the jobs"
            time.sleep(0.1)


@pytest.mark.xdist_group("sleepy-a")
def test_a_long_index_pass_does_not_stop_the_heartbeat(
    runtime: JobRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first pass over a large backlog takes minutes; the worker keeps beating (so no
    other worker takes it for dead) and keeps running jobs meanwhile."""
    passing = threading.Event()
    release = threading.Event()
    original = JobSearch.catch_up

    def slow_pass(self: JobSearch) -> int:
        passing.set()
        release.wait(30)  # as long as a pass over a million jobs, for the test's purpose
        return original(self)

    monkeypatch.setattr(JobSearch, "catch_up", slow_pass)
    stalled_after = runtime.profile.stalled_after
    try:
        with in_process_worker(runtime.profile, ["maintenance"], 1, runtime=runtime):
            assert passing.wait(15), "no index pass started"
            started = time.monotonic()
            # Two stall windows: long enough that a pass blocking the beat would show.
            while time.monotonic() - started < 2 * stalled_after:
                (worker,) = runtime.registry.workers()
                age = runtime.registry.now() - worker.last_heartbeat.timestamp()
                assert age < stalled_after, f"no heartbeat for {age:.1f} s during the pass"
                time.sleep(0.1)
            runtime.enqueue("canary", job_id="runs-during-the-pass")
            runtime.wait_idle(20, queues=["maintenance"])
            assert runtime.registry.get_job("runs-during-the-pass").state.value == "completed"
    finally:
        release.set()
