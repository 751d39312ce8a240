"""Enqueues the bench's jobs into ygmon, in ygmon's environment, through its public
runtime (`open_runtime(profile).enqueue`, what `ygmon enqueue canary` calls), with the
peers' own loop (bench/peers/apps/driver.py `send`), and prints what it did as one JSON
line. Every mode uses ygmon's `canary` task (a no-op at --seconds 0).

    python -m bench.peers.ygmon_driver CONFIG noop|paced|sleep|templates N [SECONDS]

In `paced`, each job's enqueue call time is returned by id, as the peers' jobs carry
it: the registry's own enqueued_at is written after the broker has the job, so a
worker may start it before that time.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from bench.peers.apps.driver import send
from ygmon.config import load_settings
from ygmon.jobs.runtime import open_runtime


def main(config: str, mode: str, *values: str) -> dict[str, Any]:
    runtime = open_runtime(load_settings(config=config).profile)
    try:
        if mode == "templates":
            return {"ok": runtime.enqueue("canary"), "failed": runtime.enqueue("canary", fail=True)}

        def enqueue(kind: str, i: int, at: float, seconds: float) -> str:
            if kind == "sleep":
                return runtime.enqueue("canary", seconds=seconds)
            return runtime.enqueue("canary")

        return send(enqueue, mode, int(values[0]), float(values[1]) if len(values) > 1 else 0.0)
    finally:
        runtime.close()


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:])), flush=True)
