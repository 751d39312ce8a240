"""`e` on a list screen: the format dialog, then the shared exporter (ygmon.monitor.export)
writes the whole list to a new file in the profile's export_dir, and a notification says
where. Collecting the rows is the monitor's; writing the file runs off the UI thread."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from textual.screen import Screen

from ygmon.errors import YgmonError
from ygmon.screens.export_dialog import ExportDialog

Collect = Callable[[Any], Awaitable[Sequence[Any]]]


def start_export(screen: Screen, what: str, stem: str, model: type, collect: Collect) -> None:
    """Ask for the format over `screen`, then export `what` (e.g. "the failed jobs")."""
    app: Any = screen.app

    def chosen(fmt: str | None) -> None:
        if fmt is not None:
            screen.run_worker(
                _export(screen, stem, model, collect, fmt),
                group="export",
                exclusive=True,
                exit_on_error=False,
            )

    app.push_screen(ExportDialog(what, app.export_dir), chosen)


async def _export(screen: Screen, stem: str, model: type, collect: Collect, fmt: str) -> None:
    from ygmon.monitor.export import ExportFormat, write_export

    app: Any = screen.app
    try:
        rows = await collect(app.monitor)
        path = await asyncio.to_thread(
            write_export, rows, model, ExportFormat(fmt), app.export_dir, stem, app.ui.clock()
        )
    except YgmonError as exc:
        app.notify(exc.message, title=exc.title, severity="error")
        return
    noun = "row" if len(rows) == 1 else "rows"
    app.notify(f"{len(rows)} {noun} written to {path}", title="Exported", timeout=10)
    app.last_export = path
