"""Feeds Flower the events of N finished Celery tasks (1 in 10 failed), through
Celery's own EventDispatcher and the broker, as workers run with -E would send them:
task-received, then task-succeeded or task-failed (task-started is left out: Flower's
list and counts read neither its time nor its state). Flower only knows
what it receives while it runs, so this is how its store is filled. Prints the seconds
it took as one JSON line.

    python flower_feed.py N
"""

from __future__ import annotations

import json
import sys
import time
import uuid

from celery.events import EventDispatcher
from celery_app import app

RATE = 1500
"""Jobs a second (two events each)."""


def feed(n: int) -> float:
    started = time.perf_counter()
    with app.connection_for_write() as connection:
        dispatcher = EventDispatcher(
            connection, hostname="bench@peers", buffer_group={"task"}, buffer_limit=3000
        )
        for i in range(n):
            # Flower takes a few thousand events a second; faster, Redis drops it as a
            # slow subscriber (its pubsub output limit) and the events are lost.
            pause = started + i / RATE - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            task_id = str(uuid.uuid4())
            dispatcher.send(
                "task-received",
                uuid=task_id,
                name="noop",
                args="()",
                kwargs="{}",
                retries=0,
                eta=None,
                root_id=task_id,
                parent_id=None,
            )
            if i % 10 == 0:
                dispatcher.send(
                    "task-failed",
                    uuid=task_id,
                    exception=f"RuntimeError('job {i} failed')",
                    traceback="Traceback (most recent call last):\nRuntimeError",
                )
            else:
                dispatcher.send("task-succeeded", uuid=task_id, result="None", runtime=0.001)
        dispatcher.flush()
        dispatcher.close()
    return time.perf_counter() - started


if __name__ == "__main__":
    print(json.dumps({"seconds": feed(int(sys.argv[1]))}), flush=True)
