"""Worker: start, stop or restart a local `ygmon worker` process and follow its log."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Label, Log

from ygmon.tui.local_worker import LocalWorker
from ygmon.widgets.app_footer import AppFooter
from ygmon.widgets.app_header import AppHeader


class WorkerScreen(Screen):
    TITLE = "Worker"
    BINDINGS = [
        Binding("s", "start", "Start", id="worker.start"),
        Binding("x", "stop", "Stop", id="worker.stop"),
        Binding("R", "restart", "Restart", id="worker.restart"),
    ]

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with Vertical(id="worker-panel"):
            yield Label("", id="worker-state")
            yield Log(id="worker-log", max_lines=2000)
        yield AppFooter(compact=True, show_command_palette=False)

    @property
    def worker(self) -> LocalWorker | None:
        return self.app.local_worker

    def on_screen_resume(self) -> None:
        self.query_one(AppHeader).show_backend(self.app.target, self.app.read_only)
        policy = self.app.policy
        header = self.query_one(AppHeader)
        header.show_refresh(policy.interval, policy.paused, not self.app.ui.auto_refresh)
        self.show_state()

    def show_state(self) -> None:
        label = self.query_one("#worker-state", Label)
        if self.worker is None and self.app.monitor.SUPPORTS_LOCAL_WORKER:
            label.update("This app was started without a worker command.")
        elif self.worker is None:
            label.update(
                "Worker control needs a local profile: this app reads a remote server, "
                "whose workers run there."
            )
        elif self.worker.running:
            label.update(f"Worker running (pid {self.worker.pid}). x stops, R restarts.")
        else:
            code = self.worker.returncode
            ended = "" if code is None else f" It exited with code {code}."
            label.update(f"No worker started from this app.{ended} Press s to start one.")

    def append_log(self, line: str) -> None:
        self.query_one(Log).write_line(line)

    async def action_start(self) -> None:
        if self.worker is not None:
            await self.worker.start(self.append_log)
        self.show_state()

    async def action_stop(self) -> None:
        if self.worker is not None:
            await self.worker.stop()
        self.show_state()

    async def action_restart(self) -> None:
        await self.action_stop()
        await self.action_start()
