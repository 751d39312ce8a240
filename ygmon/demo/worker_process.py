"""A `ygmon worker` child process the demo starts, logs to a file, and always stops.

The child runs in its own session, so Ctrl-C in the terminal reaches only the demo,
which then stops the worker itself: SIGTERM (the worker finishes running jobs within
its shutdown grace), then SIGKILL if it overstays. On Linux the child also asks the
kernel for SIGTERM when the demo dies without cleaning up (SIGKILL, a closed terminal),
so no orphan worker keeps running jobs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import IO

from ygmon.errors import YgmonError


class WorkerProcess:
    def __init__(self, global_args: list[str], log_path: Path, grace: float) -> None:
        self.command = [sys.executable, "-m", "ygmon", *global_args, "worker"]
        self.log_path = log_path
        self.grace = grace
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def start(self) -> None:
        self._log = self.log_path.open("ab")
        try:
            self._proc = subprocess.Popen(
                self.command,
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_term_when_parent_dies if sys.platform == "linux" else None,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        except OSError as exc:
            self._log.close()
            raise YgmonError(f"cannot start the worker: {exc.strerror}") from None

    def exit_code(self) -> int | None:
        """None while it runs."""
        return self._proc.poll() if self._proc else None

    def last_log_line(self) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").strip().splitlines()
        except OSError:
            return ""
        return lines[-1] if lines else ""

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=self.grace + 5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        if self._log is not None:
            self._log.close()
            self._log = None


_PR_SET_PDEATHSIG = 1


def _term_when_parent_dies() -> None:
    """Runs in the child between fork and exec (Linux only)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
