"""`ygmon jobs show ID [--queue Q] [--json]`: one job with its attempts (due, start, end,
wait, run, worker, outcome, error) and each attempt's own log. Goes through the
Monitor, so a remote profile shows the server's job.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ygmon.commands.common import settings_from
from ygmon.errors import NotFoundError
from ygmon.job_models import Attempt, JobDetail


def register(actions: argparse._SubParsersAction) -> None:
    show = actions.add_parser("show", help="one job: its attempts and their logs")
    show.add_argument("job_id", metavar="ID", help="the job's id")
    show.add_argument("--queue", metavar="Q", help="its queue (default: found by the id)")
    show.add_argument("--json", action="store_true", help="print the job as JSON")
    show.set_defaults(handler=run_show)


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}s"


def _time(attempt: Attempt, name: str) -> str:
    value = getattr(attempt, name)
    return "-" if value is None else value.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def attempt_lines(job: JobDetail) -> list[str]:
    """The job and its attempts as the command prints them."""
    lines = [
        f"{job.id}  {job.queue}  {job.task}  {job.state.value}  "
        f"attempts {job.attempts_made}/{job.attempts_allowed}",
        f"enqueued {job.enqueued_at.strftime('%Y-%m-%d %H:%M:%S.%f')[:-3]}"
        + (f"  due {job.due_at.strftime('%Y-%m-%d %H:%M:%S.%f')[:-3]}" if job.due_at else ""),
    ]
    lines += [f"{label} {text}" for label, text in job.replay_notes()]
    if not job.attempts:
        lines.append("no finished attempt")
    for i, a in enumerate(job.attempts, 1):
        where = f"{a.host} pid {a.pid}" if a.host else (a.worker_id or "unknown worker")
        lines += [
            "",
            f"attempt {a.number or i}: {a.outcome}  wait {_seconds(a.wait_seconds)}  "
            f"run {_seconds(a.run_seconds)}  on {where}",
            f"  due {_time(a, 'due_at')}  started {_time(a, 'started_at')}  "
            f"ended {_time(a, 'finished_at')}",
        ]
        if a.error:
            lines.append(f"  error: {a.error}")
        if a.log_cut:
            lines.append(f"  log ({a.log_cut:,} earlier lines cut):")
        elif a.log:
            lines.append("  log:")
        lines += [f"  | {line}" for line in (a.log or "").splitlines()]
    return lines


async def queue_of(monitor: Any, job_id: str) -> str:
    """The queue of job `job_id`, found by searching for its id; NotFoundError."""
    from ygmon.monitor.job_search_schemas import JobQuery

    found = await monitor.search_jobs(JobQuery(q=job_id))
    queues = {j.queue for j in found.data if j.id == job_id}
    if not queues:
        raise NotFoundError("Job not found")
    return queues.pop()


def run_show(args: argparse.Namespace) -> int:
    import asyncio

    from ygmon.monitor.factory import make_monitor

    settings = settings_from(args)

    async def ask() -> JobDetail:
        monitor = make_monitor(settings)
        try:
            queue = args.queue or await queue_of(monitor, args.job_id)
            return await monitor.job(queue, args.job_id)
        finally:
            await monitor.close()

    job = asyncio.run(ask())
    if args.json:
        print(json.dumps(job.to_json(), ensure_ascii=False, indent=2))
        return 0
    print("\n".join(attempt_lines(job)))
    return 0
