"""`b` on Schedules: backfill the selected aggregation task over a range of days. The
preview (a dry run) lists each period with its state on the coverage strip and what
the backfill would do to it; Run starts the backfill's job, and the dialog follows its
progress (its runs finished) until it ends or escape closes it (the backfill goes on)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, Select, Static

from ygmon.errors import InvalidQueryError, YgmonError
from ygmon.monitor.backfill_schemas import BackfillMode, BackfillPlan, BackfillRequest
from ygmon.widgets.job_id import short_id

if TYPE_CHECKING:
    from ygmon.tui.monitor_app import MonitorApp

POLL_SECONDS = 1.0


def slot_lines(plan: BackfillPlan) -> str:
    """One line a period: its label, state and what the backfill does to it."""
    return "\n".join(
        f"{'→ run ' if s.action == 'run' else '  skip'}  {s.label:<22} {s.state.value}"
        for s in plan.slots
    )


class BackfillDialog(ModalScreen[None]):
    CSS_PATH = "backfill_dialog.tcss"
    BINDINGS = [Binding("escape", "close", "Close", id="backfill.close")]

    app: MonitorApp

    def __init__(self, name: str, today: date) -> None:
        super().__init__()
        self.task_name = name
        self.today = today
        self.plan: BackfillPlan | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="backfill", classes="dialog"):
            yield Label(f"Backfill {self.task_name}", id="backfill-title")
            with Horizontal(id="backfill-fields"):
                start = (self.today - timedelta(days=7)).isoformat()
                yield Input(start, placeholder="from", id="backfill-from")
                yield Input((self.today - timedelta(days=1)).isoformat(), id="backfill-to")
                yield Select(
                    [(m.value, m.value) for m in BackfillMode],
                    value=BackfillMode.MISSING.value,
                    allow_blank=False,
                    id="backfill-mode",
                )
                yield Input(placeholder="at once", id="backfill-max", type="integer")
            with VerticalScroll(id="backfill-slots-box"):
                yield Static("Preview lists the periods first.", id="backfill-slots", markup=False)
            yield Label("", id="backfill-summary")
            yield ProgressBar(show_eta=False, id="backfill-bar")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Preview", id="backfill-preview", variant="primary")
                yield Button("Run", id="backfill-run", variant="warning", disabled=True)
                yield Button("Close (esc)", id="backfill-close")

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False
        for field in self.query(Input):
            field.cursor_blink = self.app.ui.cursor_blink

    def _request(self) -> BackfillRequest | None:
        try:
            first = date.fromisoformat(self.query_one("#backfill-from", Input).value.strip())
            last = date.fromisoformat(self.query_one("#backfill-to", Input).value.strip())
        except ValueError:
            self.notify("From and to are days: YYYY-MM-DD.", severity="warning")
            return None
        cap = self.query_one("#backfill-max", Input).value.strip()
        return BackfillRequest(
            name=self.task_name,
            first=first,
            last=last,
            mode=BackfillMode(str(self.query_one(Select).value)),
            max_running=int(cap) if cap.isdigit() and int(cap) > 0 else None,
        )

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self) -> None:
        # A preview holds for the range it listed: a changed field asks for a new one.
        self.plan = None
        self.query_one("#backfill-run", Button).disabled = True

    @on(Button.Pressed, "#backfill-preview")
    def _preview_pressed(self) -> None:
        request = self._request()
        if request is not None:
            self.preview(request)

    @on(Button.Pressed, "#backfill-run")
    def _run_pressed(self) -> None:
        request = self._request()
        if request is not None and self.plan is not None:
            self.start(request)

    @on(Button.Pressed, "#backfill-close")
    def action_close(self) -> None:
        self.dismiss(None)

    def _failed(self, exc: YgmonError) -> None:
        if isinstance(exc, InvalidQueryError):
            words = "; ".join(str(i.get("message", "")) for i in exc.details)
            self.notify(words or exc.message, title="Not a backfill range", severity="error")
        else:
            self.notify(exc.message, title=exc.title, severity="error")

    @work(exclusive=True, exit_on_error=False, group="backfill")
    async def preview(self, request: BackfillRequest) -> None:
        try:
            plan = await self.app.monitor.backfill(request, dry_run=True)
        except YgmonError as exc:
            self._failed(exc)
            return
        self.query_one("#backfill-slots", Static).update(slot_lines(plan) or "No closed period.")
        self.query_one("#backfill-summary", Label).update(
            f"{plan.to_run} of {len(plan.slots)} periods would run, oldest first, "
            f"at most {plan.max_running} at once."
        )
        self.plan = plan
        self.query_one("#backfill-run", Button).disabled = self.app.read_only or not plan.to_run

    @work(exclusive=True, exit_on_error=False, group="backfill")
    async def start(self, request: BackfillRequest) -> None:
        self.query_one("#backfill-run", Button).disabled = True
        try:
            plan = await self.app.monitor.backfill(request, dry_run=False)
        except YgmonError as exc:
            self._failed(exc)
            return
        if plan.job_id is None:
            self.notify("Nothing to run: the range changed since the preview.")
            return
        self.notify(f"Backfill job {short_id(plan.job_id)} started.", title="Backfill")
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=100, progress=0)
        await self._follow(plan)

    async def _follow(self, plan: BackfillPlan) -> None:
        """The backfill job's progress until it ends (escape leaves it running)."""
        import asyncio

        summary = self.query_one("#backfill-summary", Label)
        while True:
            try:
                job = await self.app.monitor.job("maintenance", plan.job_id or "")
            except YgmonError as exc:
                summary.update(f"Cannot follow the backfill: {exc.message}")
                return
            self.query_one(ProgressBar).update(progress=job.progress or 0)
            summary.update(
                f"Backfill job {short_id(job.id)}: {job.state.value}, {job.progress or 0}%"
            )
            if job.state.value in ("completed", "failed", "cancelled"):
                return
            await asyncio.sleep(POLL_SECONDS)
