"""Starting and stopping the app's local worker as audited actions: each is one record
in the audit log (ygmon.monitor.audit) with the OS user and SSH client, like a retry.

Start, stop and restart name their target alike (`worker_target`): "worker on HOST,
pid N", the pid being the started one for a start (known once it runs) and the stopped
one for a stop, then why it stopped."""

from __future__ import annotations

import socket
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from ygmon.monitor.audit import Audited

if TYPE_CHECKING:
    from ygmon.tui.monitor_app import MonitorApp

T = TypeVar("T")


async def _audited(
    app: MonitorApp,
    action: str,
    target: str,
    work: Callable[[], Awaitable[T]],
    done_target: Callable[[T], str] | None = None,
) -> T:
    monitor = app.monitor
    if isinstance(monitor, Audited):
        return await monitor.audit_trail.run_audited(action, target, work, done_target)
    return await work()  # a remote monitor: no local worker to start (never reached)


def worker_target(pid: int | None, reason: str = "") -> str:
    """The one wording of a worker action's target."""
    text = f"worker on {socket.gethostname()}"
    if pid is not None:
        text += f", pid {pid}"
    return text + (f" ({reason})" if reason else "")


async def start_worker(app: MonitorApp, on_line: Callable[[str], None]) -> bool:
    """Start the worker; False when there is none to start or it already runs."""
    worker = app.local_worker
    if worker is None or worker.running:
        return False
    await _audited(
        app,
        "worker-start",
        worker_target(None),
        lambda: worker.start(on_line),
        lambda _: worker_target(worker.pid),
    )
    return True


async def stop_worker(app: MonitorApp, reason: str = "") -> bool:
    """Stop the worker this app started; False when none runs."""
    worker = app.local_worker
    if worker is None or not worker.running:
        return False
    await _audited(app, "worker-stop", worker_target(worker.pid, reason), worker.stop)
    return True


async def restart_worker(app: MonitorApp, on_line: Callable[[str], None]) -> bool:
    """Stop then start, recorded as one action."""
    worker = app.local_worker
    if worker is None:
        return False

    async def restart() -> None:
        await worker.stop()
        await worker.start(on_line)

    stopped = worker.pid
    await _audited(
        app,
        "worker-restart",
        worker_target(stopped),
        restart,
        lambda _: worker_target(worker.pid, f"was pid {stopped}" if stopped else ""),
    )
    return True
