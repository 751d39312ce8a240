"""`ygmon worker [--workers N] [--queues a,b]`: run the job consumers and the schedule.

All queues run in this one process, a Huey consumer per queue on threads (why: see
ygmon.jobs.worker). SIGTERM and SIGINT stop it gracefully: running jobs get the
profile's shutdown_grace to finish, whatever still runs is put back to waiting, and the
worker leaves the registry.
"""

from __future__ import annotations

import argparse

from ygmon.commands.common import settings_from
from ygmon.errors import ConfigError
from ygmon.profile_targets import local_profile


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("worker", help="run the job consumers until SIGTERM/SIGINT")
    parser.add_argument(
        "--workers", type=int, metavar="N", help="threads per queue (default: the profile's)"
    )
    parser.add_argument(
        "--queues", metavar="A,B", help="comma-separated queues to run (default: all)"
    )
    parser.add_argument(
        "--no-schedule",
        action="store_true",
        help="do not enqueue periodic jobs (when another worker runs the schedule)",
    )
    parser.add_argument(
        "--host-name",
        metavar="NAME",
        help="the host name this worker reports (default: the machine's; for containers)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # Imported here, as in every command module: `ygmon status` registers them all.
    import logging
    import signal
    import sys
    import threading

    from ygmon.jobs.registry import outage_log
    from ygmon.jobs.worker import WorkerProcess

    profile = local_profile(settings_from(args), "worker")
    if args.workers is not None and args.workers < 1:
        raise ConfigError("--workers expects a whole number of at least 1")
    queues = [q.strip() for q in args.queues.split(",") if q.strip()] if args.queues else None
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    # The console shows warnings; a job's own log (ygmon.jobs.job_log) keeps its task's
    # info lines too. So the root lets INFO through to that capture, the console handler
    # stays at WARNING, and the runner's own loggers stay at WARNING, making no record
    # per job that nothing would keep.
    logging.getLogger().setLevel(logging.INFO)
    for handler in logging.getLogger().handlers:
        handler.setLevel(logging.WARNING)
    for runner in ("huey", "ygmon.jobs"):
        logging.getLogger(runner).setLevel(logging.WARNING)
    outage_log.install()
    stop = threading.Event()

    def on_signal(_signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    worker = WorkerProcess(
        profile, queues, args.workers, periodic=not args.no_schedule, host_name=args.host_name
    )
    worker.start()
    print(
        f"worker {worker.id} running {len(worker.queues)} queues "
        f"({sum(worker.concurrency.values())} threads)",
        flush=True,
    )
    while not stop.wait(1.0):
        pass
    print(f"worker {worker.id} stopping (grace {profile.shutdown_grace:g}s)", flush=True)
    worker.stop()
    sys.stdout.flush()
    return 0
