"""What the Queues screen says of a limit, worked out from the monitor's answers: a
per-host limit is multiplied by the hosts whose workers (not gone) serve the queue,
and a queue holds its waiting jobs back once its active jobs reach that ceiling."""

from __future__ import annotations

from conftest import NOW

from ygmon.monitor.live_control_schemas import LimitState, LiveControls, TaskControl
from ygmon.monitor.schemas import QueueStats, WorkerInfo
from ygmon.tui.live_control_words import active_cell, control_lines, hosts_serving


def _worker(worker_id: str, host: str, queues: list[str], liveness: str) -> WorkerInfo:
    return WorkerInfo(
        id=worker_id,
        host=host,
        pid=1,
        queues=queues,
        concurrency=2,
        started_at=NOW,
        last_heartbeat=NOW,
        liveness=liveness,
    )


WORKERS = [
    _worker("a1", "host-a", ["email", "maintenance"], "live"),
    _worker("a2", "host-a", ["email"], "live"),  # the same host again
    _worker("b1", "host-b", ["email"], "late"),
    _worker("c1", "host-c", ["email"], "gone"),  # counts for nothing
]


def test_a_per_host_limit_counts_the_hosts_that_serve_the_queue() -> None:
    hosts = hosts_serving(WORKERS)
    assert hosts == {"email": 2, "maintenance": 1}
    per_host = LimitState(queue="email", limit=3, scope="host")
    at_limit = QueueStats(name="email", active=6, waiting=9)
    below = QueueStats(name="email", active=5, waiting=9)
    assert active_cell(at_limit, per_host, hosts["email"]) == "6/6"
    assert active_cell(below, None, hosts["email"]) == "5"
    controls = LiveControls(
        limits=[per_host],
        tasks=[
            TaskControl(task="deliver", queue="email", paused=True, paused_at=NOW, waiting=500,
                        waiting_exact=False),
            TaskControl(task="send", queue="email", per_minute=60, last_minute=61),
        ],
    )  # fmt: skip
    assert control_lines(controls, {"email": at_limit}, hosts, NOW) == [
        "limit   email ≤ 3 active per host (2 hosts): 6 active, 9 waiting held back",
        "paused  deliver (email) 0s ago: ≥500 waiting",
        "rate    send ≤ 60/min: 61 started in the last minute",
    ]
    assert control_lines(controls, {"email": below}, hosts, NOW)[0] == (
        "limit   email ≤ 3 active per host (2 hosts): 5 active"
    )
