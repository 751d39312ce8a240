"""Enqueues the bench's jobs into ygmon, in ygmon's environment, through its public
runtime (`open_runtime(profile).enqueue`, what `ygmon enqueue canary` calls), and prints
what it did as one JSON line; the same modes as bench/peers/apps/driver.py, all with
ygmon's `canary` task (a no-op at --seconds 0).

    python -m bench.peers.ygmon_driver CONFIG noop|paced|sleep|templates N [SECONDS]
"""

from __future__ import annotations

import json
import sys
import time

from ygmon.config import load_settings
from ygmon.jobs.runtime import open_runtime


def main(config: str, mode: str, *values: str) -> dict[str, object]:
    runtime = open_runtime(load_settings(config=config).profile)
    try:
        if mode == "templates":
            return {"ok": runtime.enqueue("canary"), "failed": runtime.enqueue("canary", fail=True)}
        n = int(values[0])
        cpu, started = time.process_time(), time.time()
        calls: dict[str, float] = {}
        if mode == "noop":
            for _ in range(n):
                runtime.enqueue("canary")
        elif mode == "paced":
            every = float(values[1])
            for i in range(n):
                pause = started + i * every - time.time()
                if pause > 0:
                    time.sleep(pause)
                # The call's time, as the peers' jobs carry it: the registry's own
                # enqueued_at is written after the broker has the job, so a worker
                # may start it before that time.
                at = time.time()
                calls[runtime.enqueue("canary")] = at
        elif mode == "sleep":
            for _ in range(n):
                runtime.enqueue("canary", seconds=float(values[1]))
        else:
            raise SystemExit(f"unknown mode {mode!r}")
        return {"t0": started, "t1": time.time(), "cpu": time.process_time() - cpu, "calls": calls}
    finally:
        runtime.close()


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:])), flush=True)
