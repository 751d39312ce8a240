"""A running job's own log: the `logging` records and stdout/stderr lines its task
emits, kept per attempt with a cap (the tail survives, the cut is counted).

Huey runs several jobs at once, one per worker thread, so capture is per thread: a
handler on the root logger and a stand-in for sys.stdout/sys.stderr each hand what
they get to the capture of the thread that emits it, and pass everything else on
untouched. A job that logs nothing costs one object and two thread-local writes.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections import deque
from typing import Any, TextIO

_local = threading.local()
_install_lock = threading.Lock()
_installed = False
_MACHINERY = ("huey", "ygmon.jobs.huey", "ygmon.jobs.registry", "ygmon.worker")
_MACHINE = frozenset({"huey", "ygmon.jobs", "ygmon.worker"})
"""Loggers of the runner itself, not of the task: their lines stay out of a job's log
(a failure's stack is the job's error_stack already)."""


class Capture:
    """One attempt's log lines, at most `max_lines` lines and `max_bytes` bytes (UTF-8):
    older lines are dropped and counted in `cut`."""

    __slots__ = ("_bytes", "_lines", "_partial", "cut", "max_bytes", "max_lines")

    def __init__(self, max_lines: int, max_bytes: int) -> None:
        self.max_lines = max_lines
        self.max_bytes = max_bytes
        self._lines: deque[str] = deque()
        self._bytes = 0
        self._partial = ""
        self.cut = 0

    def line(self, text: str) -> None:
        size = len(text.encode("utf-8", "replace")) + 1
        if size > self.max_bytes:
            # One line longer than the whole cap keeps its end.
            text = text.encode("utf-8", "replace")[-(self.max_bytes - 1) :].decode(
                "utf-8", "ignore"
            )
            size = len(text.encode("utf-8")) + 1
        self._lines.append(text)
        self._bytes += size
        while len(self._lines) > self.max_lines or self._bytes > self.max_bytes:
            gone = self._lines.popleft()
            self._bytes -= len(gone.encode("utf-8", "replace")) + 1
            self.cut += 1

    def write(self, text: str) -> None:
        """Stream text: whole lines go in, a trailing part waits for its newline."""
        text = self._partial + text
        *lines, self._partial = text.split("\n")
        for line in lines:
            self.line(line)

    def result(self) -> dict[str, Any]:
        """{"log": text, "cut": lines dropped}, or {} when the job logged nothing."""
        if self._partial:
            self.line(self._partial)
            self._partial = ""
        if not self._lines:
            return {}
        out: dict[str, Any] = {"log": "\n".join(self._lines)}
        if self.cut:
            out["cut"] = self.cut
        return out


def start(max_lines: int, max_bytes: int) -> None:
    """Capture this thread's output from now on (a new attempt)."""
    if not _installed:
        _install()
    if type(sys.stdout) is not _ThreadStream or type(sys.stderr) is not _ThreadStream:
        _wrap_streams()  # again after someone put theirs back (pytest does)
    _local.capture = Capture(max_lines, max_bytes)


def take() -> dict[str, Any]:
    """End this thread's capture: what it kept (see Capture.result), {} when none."""
    capture = getattr(_local, "capture", None)
    if capture is None:
        return {}
    _local.capture = None
    return capture.result()


class _Handler(logging.Handler):
    """Hands a record to the emitting thread's capture, if it has one."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        capture = getattr(_local, "capture", None)
        if capture is None or record.name in _MACHINE or record.name.startswith(_MACHINERY):
            return
        try:
            for line in self.format(record).split("\n"):
                capture.line(line)
        except Exception:
            self.handleError(record)


class _ThreadStream:
    """sys.stdout / sys.stderr: a capturing thread's writes go to its capture, every
    other thread's to the real stream."""

    def __init__(self, real: TextIO) -> None:
        self._real = real

    def write(self, text: str) -> int:
        capture = getattr(_local, "capture", None)
        if capture is None:
            return self._real.write(text)
        capture.write(text)
        return len(text)

    def flush(self) -> None:
        if getattr(_local, "capture", None) is None:
            self._real.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def _install() -> None:
    global _installed
    with _install_lock:
        if _installed:
            return
        logging.getLogger().addHandler(_Handler())
        _installed = True


def _wrap_streams() -> None:
    with _install_lock:
        if type(sys.stdout) is not _ThreadStream:
            sys.stdout = _ThreadStream(sys.stdout)  # type: ignore[assignment]
        if type(sys.stderr) is not _ThreadStream:
            sys.stderr = _ThreadStream(sys.stderr)  # type: ignore[assignment]
