"""The demo's live part: a local worker running the enqueued jobs, and the app showing them.

The worker is a `ygmon worker` child process with its output in a log file beside the
database; whatever way the demo ends (quit, Ctrl-C, an error), the worker is stopped.
With --follow the demo prints `ygmon status` every 2 s instead of opening the app.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ygmon.config import Settings
from ygmon.demo.fresh_database import sqlite_path
from ygmon.demo.worker_process import WorkerProcess
from ygmon.errors import YgmonError
from ygmon.profile_targets import local_profile

FOLLOW_INTERVAL = 2.0
# The "fixable" demo jobs fail until this file exists; the live demo creates it after
# FIX_AFTER seconds, by when they have failed, so retrying them then completes them.
FIX_FILE_NAME = "cause-fixed"
FIX_AFTER = 20.0


def _global_args(args: argparse.Namespace) -> list[str]:
    out = []
    if args.config:
        out += ["--config", args.config]
    if args.profile:
        out += ["--profile", args.profile]
    return out


def run_live(
    args: argparse.Namespace,
    settings: Settings,
    *,
    fix_file: Path,
    open_app: Callable[[], int],
    print_status: Callable[[], object],
    follow: bool = False,
) -> int:
    """Start the worker, then the app (or follow status); the worker stops on any exit.
    The CLI hands over how to open the app and print the status: the demo runs them,
    the commands own them."""
    profile = local_profile(settings, "demo")
    database = sqlite_path(profile.database_url, settings.profile_name)
    log_path = database.with_name("ygmon-demo-worker.log")
    worker = WorkerProcess(_global_args(args), log_path, grace=profile.shutdown_grace)
    # A closed terminal or a plain `kill` ends the demo like Ctrl-C does, so the
    # `finally` below stops the worker.
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGHUP, _interrupt)
    worker.start()
    fixer = threading.Timer(FIX_AFTER, _fix_the_cause, (fix_file,))
    fixer.daemon = True
    fixer.start()
    print(f"worker         pid {worker.pid}, log in {log_path}", flush=True)
    try:
        if not follow:
            return open_app()
        print("Ctrl-C stops the demo and its worker.", flush=True)
        return _follow_status(worker, print_status)
    except KeyboardInterrupt:
        return 0
    finally:
        fixer.cancel()
        if worker.exit_code() is None:
            print(
                f"stopping the worker (running jobs get up to {profile.shutdown_grace:g} s)",
                flush=True,
            )
        worker.stop()


def _fix_the_cause(fix_file: Path) -> None:
    # Runs on a timer thread while the app owns the terminal: never print from here.
    with contextlib.suppress(OSError):
        fix_file.touch()


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _follow_status(worker: WorkerProcess, print_status: Callable[[], object]) -> int:
    while True:
        code = worker.exit_code()
        if code is not None:
            raise YgmonError(
                f"the worker exited with status {code}: {worker.last_log_line() or 'no output'}"
            )
        print(f"\n-- {time.strftime('%H:%M:%S')} " + "-" * 40)
        try:
            print_status()
        except YgmonError as exc:
            # A failed poll is shown and the next one tried: the worker may be busy.
            print(f"status: {exc}", file=sys.stderr)
        sys.stdout.flush()
        time.sleep(FOLLOW_INTERVAL)
