"""Bulk retry / discard from a job list: the dry run, the confirm dialog naming the
count, the batches behind a progress bar, the outcome in a notification (the base of a
PolledScreen that says what it has selected)."""

from __future__ import annotations

import contextlib

from textual import work

from ygmon.errors import YgmonError
from ygmon.monitor.job_search_schemas import BulkSelection
from ygmon.screens.bulk_dialogs import BulkConfirmDialog, BulkOutcome, BulkProgressDialog
from ygmon.screens.polled_screen import PolledScreen

TITLES = {"retry": "Bulk retry", "discard": "Bulk discard"}


class BulkActions(PolledScreen):
    """Subclasses say what is selected: `bulk_selection() -> (BulkSelection, description)`."""

    def bulk_selection(self) -> tuple[BulkSelection, str]:
        raise NotImplementedError

    def action_bulk_retry(self) -> None:
        self._start_bulk("retry")

    def action_bulk_discard(self) -> None:
        self._start_bulk("discard")

    def _start_bulk(self, action: str) -> None:
        if not self.monitor.SUPPORTS_RETRY:
            self.notify(
                "This backend is read-only (--read-only or a read-only server): "
                "bulk changes are refused.",
                title=f"{TITLES[action]} refused",
                severity="error",
            )
            return
        selection, what = self.bulk_selection()
        self._dry_run(action, selection, what)

    @work(exclusive=True, exit_on_error=False, group="bulk-dry-run")
    async def _dry_run(self, action: str, selection: BulkSelection, what: str) -> None:
        monitor = self.monitor
        run = monitor.bulk_retry if action == "retry" else monitor.bulk_discard
        try:
            dry = await run(selection, True)
        except YgmonError as exc:
            self.notify(exc.message, title=exc.title, severity="error")
            return
        if dry.matched == 0:
            self.notify(f"No failed job matches ({what}).", title=TITLES[action])
            return
        paused: list[str] = []
        if action == "retry":
            # A retried job waits in its queue: a paused one runs nothing until resumed.
            # On failure the confirm still names the count; the poll's banner says why.
            with contextlib.suppress(YgmonError):
                paused = [q.name for q in await monitor.queues() if q.paused]
        paused = [q for q in dry.by_queue if q in paused]

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.app.push_screen(
                    BulkProgressDialog(action, selection, dry.matched), self._finished
                )

        self.app.push_screen(BulkConfirmDialog(action, dry, what, paused), confirmed)

    def _finished(self, outcome: BulkOutcome | None) -> None:
        if outcome is not None:
            self.notify(
                outcome.message(),
                title=TITLES[outcome.action],
                severity="error" if outcome.error else "information",
            )
        self.refresh_now()
