"""Starting and stopping the app's local worker as audited actions: each is one record
in the audit log (ygmon.monitor.audit) with the OS user and SSH client, like a retry."""

from __future__ import annotations

import socket
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from ygmon.monitor.audit import Audited

if TYPE_CHECKING:
    from ygmon.tui.monitor_app import MonitorApp

T = TypeVar("T")


async def _audited(
    app: MonitorApp, action: str, target: str, work: Callable[[], Awaitable[T]]
) -> T:
    monitor = app.monitor
    if isinstance(monitor, Audited):
        return await monitor.audit_trail.run_audited(action, target, work)
    return await work()  # a remote monitor: no local worker to start (never reached)


def _where(pid: int | None) -> str:
    host = socket.gethostname()
    return host if pid is None else f"{host}:{pid}"


async def start_worker(app: MonitorApp, on_line: Callable[[str], None]) -> bool:
    """Start the worker; False when there is none to start or it already runs."""
    worker = app.local_worker
    if worker is None or worker.running:
        return False
    await _audited(app, "worker-start", _where(None), lambda: worker.start(on_line))
    return True


async def stop_worker(app: MonitorApp, reason: str = "") -> bool:
    """Stop the worker this app started; False when none runs."""
    worker = app.local_worker
    if worker is None or not worker.running:
        return False
    target = _where(worker.pid) + (f" ({reason})" if reason else "")
    await _audited(app, "worker-stop", target, worker.stop)
    return True


async def restart_worker(app: MonitorApp, on_line: Callable[[str], None]) -> bool:
    """Stop then start, recorded as one action."""
    worker = app.local_worker
    if worker is None:
        return False

    async def restart() -> None:
        await worker.stop()
        await worker.start(on_line)

    await _audited(app, "worker-restart", _where(worker.pid), restart)
    return True
