"""What each fault test did and saw, for the table in docs/OPERATIONS.md.

Each guarantee test calls `observe(...)` once its assertions held; the lines collect in
build/faults.jsonl (or $YGMON_FAULT_LOG), and `python tests/faults/fault_table.py`
writes them into the operations guide's table. tests/faults/test_operations_table.py
checks that the guide lists exactly the faults these tests try.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOG = Path(os.environ.get("YGMON_FAULT_LOG", ROOT / "build" / "faults.jsonl"))


@dataclass(frozen=True)
class Fault:
    """A fault the suite tries: its name, what the test breaks, and what must hold."""

    name: str
    done: str
    guarantee: str


FAULTS: dict[str, Fault] = {
    f.name: f
    for f in (
        Fault(
            "scale-out",
            "3 workers (3 host names) on one Redis + Postgres drain 2,000 mixed jobs; "
            "one is SIGKILLed half-way",
            "every job completes exactly once; survivors take the stalled jobs within "
            "stalled_after (30 s) + one sweep",
        ),
        Fault(
            "worker-killed",
            "with the default settings, a worker running jobs SIGKILLed and another "
            "SIGSTOPped; a paused queue left with waiting jobs and no live worker "
            "(SQLite, and Redis + Postgres)",
            "the killed worker's group is not healthy within 10 s in health, the API and "
            "`ygmon status --json`; its jobs go back to waiting only after stalled_after "
            "(30 s); the frozen worker reads late or gone in `ygmon status` within 10 s; "
            "the paused queue is not healthy",
        ),
        Fault(
            "redis-stopped",
            "Redis stopped for 10 s under load, then started again",
            "API answers 503 with the contract's body, then recovers; workers reconnect "
            "without a traceback or crash; no enqueued job is lost",
        ),
        Fault(
            "postgres-restarted",
            "Postgres restarted while pipeline jobs run",
            "the API answers 503 while it is down and recovers; a job caught mid-way "
            "fails and its retry completes",
        ),
        Fault(
            "sqlite-load",
            "the TUI, the API and two workers on one SQLite file under load",
            "no 'database is locked' reaches a user or a job; the counts equal what ran",
        ),
        Fault(
            "disk-full",
            "a small filesystem (tmpfs) filled while a job writes an .eml and a log row "
            "(the preview's case: tests/pipelines/media/test_hostile_files.py)",
            "the job fails with a message that says so; earlier files stay; nothing is "
            "half-written; the next run after space returns succeeds",
        ),
        Fault(
            "clock-skew",
            "one worker's clock an hour fast",
            "no job longer than stalled_after (30 s) is marked stalled wrongly; no "
            "scheduled minute runs twice",
        ),
    )
}


def observe(name: str, observed: str, variant: str = "") -> None:
    """Record what the test `name` (a FAULTS key) observed, after its assertions held;
    a test run once per backend names it as `variant` (the table keeps one of each)."""
    fault = FAULTS[name]
    LOG.parent.mkdir(parents=True, exist_ok=True)
    line = {
        **asdict(fault),
        "observed": observed,
        "variant": variant,
        "at": time.strftime("%Y-%m-%d"),
    }
    with LOG.open("a") as out:
        out.write(json.dumps(line) + "\n")


def git_head() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
    except OSError:
        return "?"
