"""The dialogs of a bulk retry or discard: the dry run's answer with a confirm, then the
run in batches behind a progress bar.

The progress dialog asks the monitor for at most BULK_BATCH jobs a call: each call takes
the oldest still-failed jobs of the selection, so the batches walk through it whichever
backend answers, and a job someone else retried meanwhile is simply not found again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, ProgressBar

from ygmon.errors import YgmonError
from ygmon.monitor.job_search_schemas import BULK_BATCH, BulkResult, BulkSelection
from ygmon.screens.confirm_dialog import YesNoDialog, yes_no_bindings

if TYPE_CHECKING:
    from ygmon.tui.monitor_app import MonitorApp

VERBS = {"retry": ("Retry", "retried"), "discard": ("Discard", "discarded")}


def plural(n: int) -> str:
    return f"{n:,} failed job" + ("" if n == 1 else "s")


class BulkConfirmDialog(YesNoDialog):
    """What the dry run matched (count, queues) and the question naming the count; a
    retry into a paused queue says that those jobs will wait there."""

    CSS_PATH = "bulk_dialogs.tcss"
    BINDINGS = yes_no_bindings("bulk")
    YES_BUTTON = "bulk-yes"

    def __init__(self, action: str, dry: BulkResult, what: str, paused: Sequence[str] = ()) -> None:
        super().__init__()
        self.action = action
        self.dry = dry
        self.what = what
        self.paused = list(paused)
        """Queues of the selection that are paused."""

    def compose(self) -> ComposeResult:
        verb = VERBS[self.action][0]
        queues = ", ".join(f"{q} {n:,}" for q, n in self.dry.by_queue.items())
        with Vertical(id="bulk-confirm", classes="dialog"):
            yield Label(f"{verb} {plural(self.dry.matched)}?", id="bulk-question")
            yield Label(f"Selected: {self.what}", id="bulk-what")
            yield Label(f"Queues: {queues}", id="bulk-queues")
            if self.action == "discard":
                yield Label("Discarded jobs move to cancelled.", id="bulk-note")
            if self.paused:
                waiting = sum(self.dry.by_queue.get(q, 0) for q in self.paused)
                names = ", ".join(self.paused)
                yield Label(
                    f"{names} {'is' if len(self.paused) == 1 else 'are'} paused: "
                    f"{waiting:,} of these will wait there until resumed (P on Queues).",
                    id="bulk-paused",
                )
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    f"{verb} {self.dry.matched:,} (y)", id=self.YES_BUTTON, variant="primary"
                )
                yield Button("No (n)", id="bulk-no")


@dataclass(frozen=True)
class BulkOutcome:
    action: str
    matched: int
    done: int
    error: YgmonError | None = None

    @property
    def skipped(self) -> int:
        """Matched by the dry run, no longer failed when its batch came."""
        return max(0, self.matched - self.done) if self.error is None else 0

    def message(self) -> str:
        verb = VERBS[self.action][1]
        text = f"{self.done:,} {verb}, {self.skipped:,} skipped (no longer failed)."
        if self.error is not None:
            text = f"Stopped after {self.done:,} {verb}: {self.error.message}"
        return text


class BulkProgressDialog(ModalScreen[BulkOutcome]):
    """Runs the action in batches; dismisses with the outcome when done or stopped."""

    CSS_PATH = "bulk_dialogs.tcss"

    BINDINGS = [Binding("escape", "stop", "Stop", id="bulk.stop")]

    app: MonitorApp

    def __init__(self, action: str, selection: BulkSelection, matched: int) -> None:
        super().__init__()
        self.action = action
        self.selection = selection
        self.matched = matched
        self.done = 0
        self._stopping = False

    def compose(self) -> ComposeResult:
        verb = VERBS[self.action][0]
        with Vertical(id="bulk-progress", classes="dialog"):
            yield Label(f"{verb}ing {plural(self.matched)}…", id="bulk-progress-title")
            yield ProgressBar(total=self.matched, show_eta=False, id="bulk-bar")
            yield Label("", id="bulk-count")
            yield Label("escape stops after this batch", classes="dialog-hint")

    def on_mount(self) -> None:
        self._show()
        self.run_batches()

    def _show(self) -> None:
        self.query_one(ProgressBar).update(progress=self.done)
        verb = VERBS[self.action][1]
        self.query_one("#bulk-count", Label).update(f"{self.done:,} of {self.matched:,} {verb}")

    def action_stop(self) -> None:
        self._stopping = True

    @work(exclusive=True, exit_on_error=False, group="bulk")
    async def run_batches(self) -> None:
        monitor = self.app.monitor
        run = monitor.bulk_retry if self.action == "retry" else monitor.bulk_discard
        processed = 0
        error: YgmonError | None = None
        while processed < self.matched and not self._stopping:
            size = min(BULK_BATCH, self.matched - processed)
            try:
                result = await run(self.selection.model_copy(update={"limit": size}), False)
            except YgmonError as exc:
                error = exc
                break
            processed += result.matched
            self.done += result.done
            self._show()
            if result.matched == 0 or result.done == 0:
                break  # nothing of the selection is failed any more
        self.dismiss(BulkOutcome(self.action, self.matched, self.done, error))
