"""`E` on a job's detail: its keyword arguments open as JSON in the user's editor (the
app suspended around it, as a shell does; ygmon.tui.editor), are checked by a dry run
of the monitor's replay (a bad key or type is shown here and nothing is sent), the
change is shown as a diff, and the new job is sent once the job's short id is typed
(ygmon.screens.replay_dialog)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from textual.app import SuspendNotSupported

from ygmon.errors import InvalidQueryError, YgmonError
from ygmon.job_models import JobDetail
from ygmon.monitor.replay_schemas import ReplayResult, issue_lines, parse_edited
from ygmon.screens.replay_dialog import ReplayConfirmDialog
from ygmon.tui.editor import edit_text
from ygmon.widgets.job_id import short_id

if TYPE_CHECKING:
    from ygmon.screens.polled_screen import PolledScreen


def edit_in_editor(screen: PolledScreen, job: JobDetail) -> str | None:
    """The job's arguments as the user saved them, or None (told why) when the editor
    failed. Outside a real terminal (headless, Textual Web) the editor runs unsuspended."""
    text = json.dumps(job.kwargs, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    try:
        try:
            with screen.app.suspend():
                return edit_text(text)
        except SuspendNotSupported:
            return edit_text(text)
    except YgmonError as exc:
        screen.notify(exc.message, title="Not replayed", severity="error")
        return None


async def check_edit(screen: PolledScreen, job: JobDetail, text: str) -> ReplayResult | None:
    """The dry run of the edited arguments, or None after showing what is wrong."""
    try:
        return await screen.monitor.replay(job.queue, job.id, parse_edited(text), dry_run=True)
    except InvalidQueryError as exc:
        lines = "\n".join(issue_lines(exc.details))
        screen.notify(
            f"{lines}\nNothing was sent.",
            title="Arguments do not fit",
            severity="error",
            timeout=15,
        )
    except YgmonError as exc:
        screen.notify(exc.message, title=exc.title, severity="error")
    return None


async def replay_flow(screen: PolledScreen, job: JobDetail) -> None:
    """The whole of `E`: edit, check, confirm, send."""
    if screen.app.read_only:
        screen.notify(
            "This backend is read-only (--read-only or a read-only server): replay is refused.",
            title="Replay refused",
            severity="error",
        )
        return
    text = edit_in_editor(screen, job)
    if text is None:
        return
    dry = await check_edit(screen, job, text)
    if dry is None or not await screen.app.push_screen_wait(ReplayConfirmDialog(dry)):
        return
    try:
        done = await screen.monitor.replay(job.queue, job.id, dry.kwargs)
    except YgmonError as exc:
        screen.notify(exc.message, title=exc.title, severity="error")
        return
    screen.notify(
        f"Job {short_id(done.job_id or '')} enqueued on {done.queue}, linked to this one.",
        title="Replayed",
    )
    screen.refresh_now()
