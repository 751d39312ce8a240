"""Enqueues the bench's jobs into one peer, inside that peer's virtual environment, and
prints what it did as one JSON line. `send` is also ygmon's (bench/peers/ygmon_driver.py):
one loop, so every tool is fed alike.

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
from collections.abc import Callable
from typing import Any

Enqueue = Callable[[str, int, float, float], Any]
"""enqueue(mode, i, at, seconds): the i-th job of `mode`, called at `at`; returns the
job's id when the tool gives one."""


def send(enqueue: Enqueue, mode: str, n: int, seconds: float = 0.0) -> dict[str, Any]:
    if mode not in ("noop", "paced", "sleep"):
        raise SystemExit(f"unknown mode {mode!r}")
    calls: dict[str, float] = {}
    cpu, started = time.process_time(), time.time()
    for i in range(n):
        if mode == "paced":
            pause = started + i * seconds - time.time()
            if pause > 0:
                time.sleep(pause)
        at = time.time()
        job_id = enqueue(mode, i, at, seconds)
        if mode == "paced" and job_id is not None:
            calls[job_id] = at
    return {"t0": started, "t1": time.time(), "cpu": time.process_time() - cpu, "calls": calls}


def main(app_name: str, mode: str, *values: str) -> dict[str, Any]:
    app = importlib.import_module(app_name)
    if mode == "held":
        import marks

        return {"held": app.held(marks.R)}

    def enqueue(kind: str, i: int, at: float, seconds: float) -> None:
        if kind == "noop":
            app.enqueue("noop")
        elif kind == "paced":
            app.enqueue("stamp", at)
        else:
            app.enqueue("sleeper", i, seconds)

    return send(enqueue, mode, int(values[0]), float(values[1]) if len(values) > 1 else 0.0)


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:])), flush=True)
