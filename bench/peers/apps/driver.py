"""Enqueues the bench's jobs into one peer, inside that peer's virtual environment, and
prints what it did as one JSON line.

    python driver.py APP noop N            N no-op jobs, as fast as one client can
    python driver.py APP paced N SECONDS   N stamp jobs, one every SECONDS
    python driver.py APP sleep N SECONDS   N sleeper jobs of SECONDS each
    python driver.py APP held              the messages the peer's broker still holds
"""

from __future__ import annotations

import importlib
import json
import sys
import time


def main(app_name: str, mode: str, *values: str) -> dict[str, float]:
    app = importlib.import_module(app_name)
    if mode == "held":
        import marks

        return {"held": app.held(marks.R)}
    n = int(values[0])
    cpu, started = time.process_time(), time.time()
    if mode == "noop":
        for _ in range(n):
            app.enqueue("noop")
    elif mode == "paced":
        every = float(values[1])
        for i in range(n):
            pause = started + i * every - time.time()
            if pause > 0:
                time.sleep(pause)
            app.enqueue("stamp", time.time())
    elif mode == "sleep":
        for i in range(n):
            app.enqueue("sleeper", i, float(values[1]))
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    return {"t0": started, "t1": time.time(), "cpu": time.process_time() - cpu}


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:])), flush=True)
