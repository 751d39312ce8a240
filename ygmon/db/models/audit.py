"""AuditEntry: one row per action that changed something (retry, bulk retry, discard,
pause, resume, trigger, a worker started or stopped from the app), with who asked for it,
from where, when, and how it ended.

A row is written before the action runs, with outcome 'pending', and completed after it:
no change happens without a row, and a process that died mid-action leaves the row
pending rather than no trace.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ygmon.db.base import Base, IdMixin, utcnow


class AuditEntry(IdMixin, Base):
    __tablename__ = "audit_log"
    # The Audit screen and GET .../audit read newest first, one page at a time.
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    at: Mapped[datetime] = mapped_column(default=utcnow)
    """When the action was asked for (the monitor's clock)."""
    actor: Mapped[str] = mapped_column(String(255))
    """The JWT subject through the API, else the local OS user."""
    actor_kind: Mapped[str] = mapped_column(String(16))
    """'api' (a bearer token's subject) or 'local' (an OS user on this machine)."""
    address: Mapped[str | None] = mapped_column(String(255))
    """The HTTP client's address through the API, else the SSH client's (SSH_CONNECTION)."""
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(Text, default="")
    """What the action was applied to, e.g. 'maintenance/bad-1' for a retry."""
    outcome: Mapped[str] = mapped_column(String(16), default="pending")
    """'pending' while it runs, then 'ok', 'refused' (read-only) or 'error'."""
    error: Mapped[str | None] = mapped_column(Text)
    """The refusal's or the failure's message."""
    finished_at: Mapped[datetime | None] = mapped_column()
