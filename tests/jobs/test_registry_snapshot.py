"""`ygmon status` reads the registry without Huey or pydantic; it must agree with the
registry's own models on both brokers, and stay free of the heavy imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ygmon.config import LocalProfile
from ygmon.jobs.registry.snapshot import snapshot
from ygmon.jobs.runtime import JobRuntime


def test_snapshot_equals_the_registry_models(runtime: JobRuntime, job_profile: LocalProfile):
    runtime.enqueue("canary", seconds=0)
    runtime.enqueue("canary", seconds=0, delay=3600)
    for n, started in enumerate((1_700_000_000.123456, 1_700_000_500.5)):
        runtime.registry.store.beat(
            {
                "id": f"w{n}",
                "host": "h",
                "pid": str(100 + n),
                "queues": ["maintenance"],  # type: ignore[dict-item]
                "concurrency": "2",
                "started_at": repr(started),
                "last_heartbeat": repr(started + 1),
            }
        )
    queues = [q.to_json() for q in runtime.registry.queue_stats()]
    # Liveness and running jobs are the monitor's (judged at its read), not the registry's.
    workers = [
        {k: v for k, v in w.to_json().items() if k not in ("liveness", "running")}
        for w in runtime.registry.workers()
    ]
    got = snapshot(
        job_profile.broker_url,
        job_profile.namespace,
        gone_after=job_profile.worker_gone_after,
        stalled_after=job_profile.stalled_after,
    )
    assert got["queues"] == queues
    # Beats of 2023 are long gone: status says so, with their age.
    assert [w.pop("liveness") for w in got["workers"]] == ["gone", "gone"]
    assert all(w.pop("beatAge") > 3600 for w in got["workers"])
    assert got["workers"] == workers
    assert got["health"]["maintenance"]["workers"]["maintenance"]["isRunning"] is False
    maintenance = next(q for q in got["queues"] if q["name"] == "maintenance")
    assert (maintenance["waiting"], maintenance["delayed"]) == (1, 1)
    assert [w["id"] for w in got["workers"]] == ["w1", "w0"]
    assert got["workers"][1]["startedAt"] == "2023-11-14T22:13:20.123Z"


_PROBE = """
import contextlib, io, json, sys
from ygmon.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    assert main(["--config", sys.argv[1], "status", "--json"]) == 0
heavy = ["asyncio", "pydantic", "sqlalchemy", "huey", "redis", "dataclasses", "cronsim"]
print(json.dumps({"loaded": [m for m in heavy if m in sys.modules], "doc": out.getvalue()}))
"""


def test_status_on_a_migrated_embedded_database_loads_nothing_heavy(
    runtime: JobRuntime, job_profile: LocalProfile, tmp_path: Path
) -> None:
    """The 50 ms budget of `ygmon status` holds only while its path stays this light."""
    import json

    runtime.enqueue("canary", seconds=0)
    config = tmp_path / "status.toml"
    database = f"sqlite+aiosqlite:///{tmp_path / 'status-app.db'}"
    config.write_text(
        "[profiles.local]\n"
        f"broker_url = {job_profile.broker_url!r}\nnamespace = {job_profile.namespace!r}\n"
        f"database_url = {database!r}\n"
    )
    run = [sys.executable, "-c", _PROBE, str(config)]
    first = subprocess.run(run, capture_output=True, text=True, check=True)  # migrates
    assert "sqlalchemy" in json.loads(first.stdout)["loaded"]
    second = json.loads(subprocess.run(run, capture_output=True, text=True, check=True).stdout)
    assert second["loaded"] == []
    doc = json.loads(second["doc"])
    assert doc["database"]["upToDate"] is True
    assert next(q for q in doc["queues"] if q["name"] == "maintenance")["waiting"] == 1
