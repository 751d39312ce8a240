"""An aiosmtpd server in its own process that counts what it accepted, for the benches.

A mail server never shares a process (and its GIL) with the code that sends to it, so
the benches run it apart: each side is measured against the same server, without the
server's event loop competing with the sender for one interpreter lock.

Protocol over the child's stdin/stdout, one line each: the child prints `port N` once
listening; `expect N` resets its count and answers `ready`; once N messages were
accepted it prints `done T`, T the time.monotonic() (system-wide on Linux) of the Nth.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from typing import Any


class _Counter:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.count = 0
        self.goal = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.count += 1
            if self.goal and self.count == self.goal:
                print(f"done {time.monotonic()!r}", flush=True)
        return "250 OK"


def _serve() -> None:
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    counter = _Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    print(f"port {port}", flush=True)
    for line in sys.stdin:
        word, _, value = line.strip().partition(" ")
        if word == "expect":
            with counter.lock:
                counter.count, counter.goal = 0, int(value)
            print("ready", flush=True)
    controller.stop()


class SinkProcess:
    """The parent's handle: `port`, `expect(n)`, then `wait()` for the Nth's time."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.smtp_sink"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.port = int(self._line("port"))

    def _line(self, word: str, timeout: float = 300.0) -> str:
        assert self.proc.stdout is not None
        got: list[str] = []
        reader = threading.Thread(target=lambda: got.append(self.proc.stdout.readline()))  # type: ignore[union-attr]
        reader.start()
        reader.join(timeout)
        if not got:
            self.proc.kill()
            raise TimeoutError(f"smtp sink: no {word!r} within {timeout:.0f} s")
        line = got[0]
        got, _, value = line.strip().partition(" ")
        if got != word:
            raise RuntimeError(f"smtp sink: expected {word!r}, got {line!r}")
        return value

    def expect(self, count: int) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"expect {count}\n")
        self.proc.stdin.flush()
        self._line("ready")

    def wait(self) -> float:
        """time.monotonic() at which the server accepted the expected Nth message."""
        return float(self._line("done"))

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


if __name__ == "__main__":
    _serve()
