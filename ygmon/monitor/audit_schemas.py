"""The typed models of the audit log: who acted, and one record as every reader sees it."""

from __future__ import annotations

from typing import Literal

from ygmon.monitor.schemas import CamelModel, Timestamp

Outcome = Literal["pending", "ok", "refused", "error"]


class Actor(CamelModel):
    """Who asked for an action: a JWT subject through the API, else an OS user here."""

    subject: str
    kind: Literal["api", "local"]
    address: str | None = None
    """The HTTP client's address, or the SSH client's (SSH_CONNECTION); None at a local
    terminal."""


class AuditRecord(CamelModel):
    """One action as `GET /api/admin/jobs/audit`, `ygmon audit` and the Audit screen show it."""

    id: str
    at: Timestamp
    actor: str
    actor_kind: Literal["api", "local"]
    address: str | None = None
    action: str
    target: str
    outcome: Outcome
    error: str | None = None
    finished_at: Timestamp | None = None
