"""What a job's own log costs (issue 25): CPU time per job of a job that writes 100 lines
(50 printed, 50 through `logging`) against one that writes none, through ygmon's worker
on each storage, with the capture and the attempt records on. Rounds alternate the two
kinds; the figure is the median difference.

    YGMON_BENCH_KINDS=sqlite .venv/bin/python -m bench jobs
"""

from __future__ import annotations

import logging
import statistics
from typing import Any

from bench.figure import Figure
from ygmon.config import LocalProfile
from ygmon.jobs.runtime import open_runtime
from ygmon.jobs.worker import in_process_worker

JOBS = 300
ROUNDS = 5
LINES = 100
TARGET_MS = 2.0
_log = logging.getLogger("bench.chatty")


def _chatty(lines: int) -> None:
    for i in range(lines // 2):
        print(f"bench line {i} of a chatty job, about as long as a real one")
        _log.warning("bench record %d of a chatty job, about as long as a real one", i)


def _cpu_per_job(runtime: Any, lines: int, cpu: Any) -> float:
    started = cpu()
    for _ in range(JOBS):
        runtime.enqueue("bench-chatty", lines=lines)
    runtime.wait_idle(120, ["maintenance"])
    return (cpu() - started) / JOBS


def figures(kind: str, url: str, ns: str, cpu: Any) -> list[Figure]:
    """The log's cost on one storage (`url`), measured with `cpu()` (CPU seconds)."""
    runtime = open_runtime(LocalProfile(broker_url=url, namespace=ns))
    was = logging.root.manager.disable
    logging.disable(logging.NOTSET)  # the throughput bench silences logging
    try:
        runtime.register_task("bench-chatty", "maintenance", _chatty)
        runtime.registry.limits["completed"] = (JOBS, runtime.registry.limits["completed"][1])
        diffs = []
        with in_process_worker(runtime.profile, ["maintenance"], 2, runtime=runtime):
            _cpu_per_job(runtime, LINES, cpu)  # warm-up
            for round_ in range(ROUNDS):
                order = (0, LINES) if round_ % 2 == 0 else (LINES, 0)
                got = {lines: _cpu_per_job(runtime, lines, cpu) for lines in order}
                diffs.append((got[LINES] - got[0]) * 1000)
        # The capture kept them: the last job's attempt holds its 100 lines.
        page, _ = runtime.registry.list_jobs("maintenance", None, 0, 1)
        (attempt,) = runtime.registry.get_job(page[0].id).attempts
        if attempt.log is not None and len(attempt.log.splitlines()) != LINES:
            raise RuntimeError(f"the log kept {len(attempt.log.splitlines())} lines")
    finally:
        logging.disable(was)
        runtime.close()
    cost = statistics.median(diffs)
    return [
        Figure(
            f"  job log: CPU per job logging {LINES} lines minus logging none, {kind}, "
            f"{JOBS} jobs each, median of {ROUNDS} (range {min(diffs):.2f}-{max(diffs):.2f})",
            cost,
            "ms",
            target=f"<= {TARGET_MS} ms",
            ok=cost <= TARGET_MS,
        )
    ]
