"""A `ygmon worker` subprocess started from the app: start, stop, and its output line by line."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable, Sequence


class LocalWorker:
    def __init__(self, command: Sequence[str], grace: float = 10.0) -> None:
        self.command = list(command)
        self.grace = grace
        self._process: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task | None = None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.returncode is None

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    @property
    def returncode(self) -> int | None:
        return None if self._process is None else self._process.returncode

    async def start(self, on_line: Callable[[str], None]) -> None:
        if self.running:
            return
        self._process = await asyncio.create_subprocess_exec(
            *self.command,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        self._reader = asyncio.create_task(self._follow(self._process, on_line))

    async def _follow(self, process: asyncio.subprocess.Process, on_line) -> None:
        assert process.stdout is not None
        async for raw in process.stdout:
            self._tell(on_line, raw.decode(errors="replace").rstrip("\n"))
        await process.wait()
        self._tell(on_line, f"[worker exited with code {process.returncode}]")

    @staticmethod
    def _tell(on_line: Callable[[str], None], line: str) -> None:
        # The log view may be gone already (the app is quitting): the line is dropped.
        with contextlib.suppress(Exception):
            on_line(line)

    async def stop(self) -> None:
        """SIGTERM (a graceful stop), then SIGKILL after the grace period."""
        process = self._process
        if process is None or process.returncode is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), self.grace)
        except TimeoutError:
            process.kill()
            await process.wait()
        if self._reader is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._reader, 2)
