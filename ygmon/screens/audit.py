"""Audit: every recorded action (retry, bulk actions, pause, resume, trigger, worker
start and stop), newest first, one page at a time: when, who and from where, what, and
how it ended. Enter shows a record whole (a bulk action's selection is long)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Label, Static

from ygmon.monitor.audit_schemas import AuditRecord
from ygmon.monitor.schemas import Page
from ygmon.screens.paged_table import PagedTableScreen, page_bindings
from ygmon.widgets.empty_state import EmptyState
from ygmon.widgets.keyed_table import KeyedTable

PAGE_SIZE = 15
"""One page fits an 80x24 terminal under the header, the title and above the footer."""
# The outcome's word before the target and the error, the longest cells, so an
# 80-column terminal still shows every column's head and how each action ended.
COLUMNS = [
    ("at", "At (UTC)"),
    ("who", "Who"),
    ("action", "Action"),
    ("outcome", "Outcome"),
    ("detail", "Target · error"),
]


def audit_row(record: AuditRecord) -> tuple[str, tuple[str, ...]]:
    who = record.actor + (f"@{record.address}" if record.address else "")
    detail = record.target + (f" · {record.error}" if record.error else "")
    return record.id, (
        f"{record.at:%m-%d %H:%M:%S}",
        who[:28],
        record.action,
        record.outcome,
        detail[:120],
    )


class AuditScreen(PagedTableScreen[AuditRecord]):
    TITLE = "Audit"
    CSS_PATH = "audit.tcss"
    AUTO_FOCUS = "#audit-table"
    TABLE_ID = "audit-table"
    PANEL_ID = "audit-expanded"
    BINDINGS = page_bindings("audit")

    def compose_body(self) -> ComposeResult:
        yield Label("Audit: who changed what, newest first", classes="screen-title")
        yield KeyedTable(COLUMNS, free="detail", id="audit-table")
        yield EmptyState(
            "No recorded actions yet. Every retry, bulk retry or discard, pause, resume, "
            "trigger and worker start or stop is recorded here with who asked for it.",
            id="audit-empty",
        )
        yield Static("", id="audit-expanded", markup=False)
        yield Label("", id="audit-page")

    async def fetch(self) -> Page[AuditRecord]:
        return await self.monitor.audit_log(page=self.page, page_size=PAGE_SIZE)

    def show(self, data: Page[AuditRecord]) -> None:
        self.total_pages = max(1, data.pagination.total_pages)
        self.rows = {r.id: r for r in data.data}
        self.query_one(KeyedTable).sync([audit_row(r) for r in data.data])
        self._show_expanded()
        self.query_one(EmptyState).set_shown(not data.data)
        self.query_one("#audit-page", Label).update(
            f"page {self.page} of {self.total_pages} ({data.pagination.total:,} actions)"
            "  PgUp/PgDn pages, Enter shows one whole"
        )

    def expanded_text(self, key: str) -> str | None:
        record = self.rows.get(key)
        if record is None:
            return None
        where = f" from {record.address}" if record.address else ""
        lines = [
            f"{record.action} by {record.actor} ({record.actor_kind}){where}",
            f"at {record.at:%Y-%m-%d %H:%M:%S} UTC, {record.outcome}"
            + (f" at {record.finished_at:%H:%M:%S}" if record.finished_at else ""),
            f"target: {record.target or '-'}",
        ]
        if record.error:
            lines.append(f"error: {record.error}")
        return "\n".join(lines)
