"""Worker: the workers the registry's heartbeats show (wherever they run, the one this
app started marked), and start, stop or restart a local `ygmon worker` and follow its log."""

from __future__ import annotations

import socket
from collections.abc import Awaitable

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Label, Log, Static

from ygmon.errors import YgmonError
from ygmon.liveness import GONE, GONE_LISTED_FOR, beat_words
from ygmon.monitor.schemas import WorkerInfo
from ygmon.tui.age_ticker import tick_each_second
from ygmon.tui.formatting import age
from ygmon.tui.health_words import LIVENESS_ORDER
from ygmon.tui.local_worker import LocalWorker
from ygmon.tui.worker_actions import restart_worker, start_worker, stop_worker
from ygmon.widgets.app_footer import AppFooter
from ygmon.widgets.app_header import AppHeader

WORKER_KEYS = Binding.Group("Worker", compact=True)


class WorkerScreen(Screen):
    TITLE = "Worker"
    CSS_PATH = "worker_control.tcss"
    # One footer slot for the three (? lists each): the app's keys fill 80 columns.
    BINDINGS = [
        Binding("s", "start", "Start worker", id="worker.start", group=WORKER_KEYS),
        Binding("x", "stop", "Stop worker", id="worker.stop", group=WORKER_KEYS),
        # S, not R: R is "Retry all" on Failed; an upper-case key is its lower case's
        # bigger form (s start, S stop and start again).
        Binding("S", "restart", "Restart worker", id="worker.restart", group=WORKER_KEYS),
    ]

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with Vertical(id="worker-panel"):
            yield Label("", id="worker-state")
            yield Static("", id="worker-seen", markup=False)
            yield Log(id="worker-log", max_lines=2000)
        yield AppFooter()

    _seen: list[WorkerInfo] | None = None
    polls = 0
    """Finished reads of the workers (the app's warm-up waits on it, as on PolledScreen's)."""

    def on_mount(self) -> None:
        tick_each_second(self, self._tick)

    def _tick(self) -> None:
        """The beat and start ages tick between two reads of the workers (no fetch)."""
        if self._seen is not None:
            self.show_seen(self._seen)

    @property
    def worker(self) -> LocalWorker | None:
        return self.app.local_worker

    def on_screen_resume(self) -> None:
        self.query_one(AppHeader).show_app()
        self.show_state()
        if not self.is_current:
            # Built out of sight by the app's warm-up: one read where reads are free,
            # and no timer (no suspend would come to stop it).
            if self.app.monitor.READS_ARE_FREE:
                self.load_seen()
            return
        self.load_seen()
        if getattr(self, "_seen_timer", None) is None and self.app.ui.auto_refresh:
            self._seen_timer = self.set_interval(self.app.policy.interval, self.load_seen)

    def on_screen_suspend(self) -> None:
        timer = getattr(self, "_seen_timer", None)
        if timer is not None:
            timer.stop()
            self._seen_timer = None

    @work(exclusive=True, exit_on_error=False, group="worker-seen")
    async def load_seen(self) -> None:
        try:
            workers = await self.app.monitor.workers()
        except YgmonError as exc:
            self.query_one("#worker-seen", Static).update(f"Workers: {exc.message}")
            return
        finally:
            self.polls += 1
        self.query_one(AppHeader).show_read(self.app.ui.clock(), self.app.ui.clock)
        self.show_seen(workers)

    def _is_ours(self, w: WorkerInfo) -> bool:
        ours = self.worker
        return (
            ours is not None
            and ours.running
            and w.pid == ours.pid
            and w.host == socket.gethostname()
        )

    def show_seen(self, workers: list[WorkerInfo]) -> None:
        self._seen = workers
        now = self.app.ui.clock()
        text = Text()
        if not workers:
            text.append("No worker's heartbeat is in the registry: no worker runs these queues.")
        else:
            live = sum(1 for w in workers if w.liveness != GONE)
            text.append(
                f"Workers of the deployment ({live} live of {len(workers)} listed; a gone "
                f"one stays {GONE_LISTED_FOR / 60:g} min after its jobs are taken back):"
            )
            for w in sorted(workers, key=lambda w: LIVENESS_ORDER.get(w.liveness, 0)):
                mark = "  (started from this app)" if self._is_ours(w) else ""
                queues = ", ".join(w.queues) if len(w.queues) <= 3 else f"{len(w.queues)} queues"
                beat = beat_words(w.liveness, (now - w.last_heartbeat).total_seconds())
                running = "" if w.running is None else f"  {w.running} running"
                text.append(
                    f"\n  {w.host}:{w.pid}  x{w.concurrency}  {queues}  "
                    f"started {age(w.started_at, now)}{running}  {beat}{mark}",
                    style="dim" if w.liveness == GONE else "",
                )
        self.query_one("#worker-seen", Static).update(text)

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
            label.update(f"Worker running (pid {self.worker.pid}). x stops, S restarts.")
        else:
            code = self.worker.returncode
            ended = "" if code is None else f" It exited with code {code}."
            # Says nothing of the deployment's workers (listed below, the demo's among
            # them): only what this app itself can start.
            label.update(f"s starts a worker from this app (its log shows below).{ended}")

    def append_log(self, line: str) -> None:
        self.query_one(Log).write_line(line)

    async def action_start(self) -> None:
        await self._act(start_worker(self.app, self.append_log))

    async def action_stop(self) -> None:
        await self._act(stop_worker(self.app))

    async def action_restart(self) -> None:
        await self._act(restart_worker(self.app, self.append_log))

    async def _act(self, action: Awaitable[bool]) -> None:
        # Each start, stop and restart is an audited action (ygmon.tui.worker_actions);
        # when its record cannot be written, it does not happen, and the reason shows.
        try:
            await action
        except YgmonError as exc:
            self.notify(exc.message, title=exc.title, severity="error")
        self.show_state()
        self.load_seen()
