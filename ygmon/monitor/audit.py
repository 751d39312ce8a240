"""The audit trail of LocalMonitor's mutating methods: `@audited("action")` and AuditTrail
(the object LocalMonitor and its parts record through, given the database it writes to).

Every action that changes something is recorded in the database's `audit_log` with who
asked (the JWT subject the API's guard put in `acting_as`, else the OS user and the SSH
client from SSH_CONNECTION), what, when and the outcome. The row is inserted before the
action runs and completed after it, so no change happens without a row: when the row
cannot be written, the action is refused with the database's error.

A refusal by the backend (a read-only LocalMonitor, directly or behind `ygmon serve
--read-only`) is recorded with outcome 'refused': an attempted change of a read-only
production server is what an auditor looks for. A read-only *client* (a remote profile
with read_only) refuses before sending anything, so no backend ever hears of it and
there is nothing to record.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import getpass
import inspect
import json
import logging
import os
import secrets
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, Protocol, TypeVar, runtime_checkable

from ygmon.errors import InvalidQueryError, ReadOnlyError, UnavailableError, YgmonError
from ygmon.monitor.audit_schemas import Actor, AuditRecord
from ygmon.monitor.local_access import DatabaseAccess
from ygmon.monitor.schemas import CamelModel, Page, Pagination, page_of

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")
P = ParamSpec("P")
log = logging.getLogger("ygmon.audit")
TARGET_CHARS = 2000
"""A bulk selection's JSON can be long; the record keeps its start."""


class AuditUnavailableError(UnavailableError):
    """The action's record could not be written, so the action was not run."""

    title = "Not done: audit unavailable"


_acting: ContextVar[Actor | None] = ContextVar("ygmon_audit_actor", default=None)


@contextmanager
def acting_as(actor: Actor) -> Iterator[None]:
    """Actions inside are recorded as `actor`'s (the API's guard: the token's subject)."""
    token = _acting.set(actor)
    try:
        yield
    finally:
        _acting.reset(token)


def local_actor(environ: Mapping[str, str] | None = None) -> Actor:
    """The OS user running this process, and the SSH client's address when over SSH."""
    env = os.environ if environ is None else environ
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry and no LOGNAME/USER (a bare container)
        user = f"uid {os.getuid()}"
    ssh = env.get("SSH_CONNECTION", "").split()
    return Actor(subject=user, kind="local", address=ssh[0] if ssh else None)


def current_actor() -> Actor:
    return _acting.get() or local_actor()


def describe(arguments: Mapping[str, Any]) -> str:
    """The target text of a call: positional values joined by '/', models as JSON."""
    parts = []
    for name, value in arguments.items():
        if isinstance(value, CamelModel):
            # The fields given, not every default: a bulk selection reads as its filter.
            given = {k: v for k, v in value.to_json().items() if v is not None}
            value = json.dumps(given, separators=(",", ":"), sort_keys=True)
        parts.append(f"{name}={value}" if isinstance(value, bool) else str(value))
    return "/".join(parts)[:TARGET_CHARS]


class ActionRecorder(Protocol):
    async def run_audited(
        self,
        action: str,
        target: str,
        work: Callable[[], Awaitable[T]],
        done_target: Callable[[T], str] | None = None,
    ) -> T:
        """Run `work()` as one recorded action (AuditTrail.run_audited)."""
        ...


@runtime_checkable
class Audited(Protocol):
    """What `@audited` needs of the object whose methods it records."""

    @property
    def audit_trail(self) -> ActionRecorder: ...


A = TypeVar("A", bound=Audited)
Method = Callable[Concatenate[A, P], Coroutine[Any, Any, T]]


Describer = Callable[[Any, dict[str, Any]], Awaitable[str]]
"""`(self, arguments) -> target text`: what a call will act on, in words, when its
arguments alone do not say it (a bulk selection's cause key names no cause)."""


def audited(
    action: str, target: Describer | None = None
) -> Callable[[Method[A, P, T]], Method[A, P, T]]:
    """Record each call of a method of an Audited object (LocalMonitor and its parts)
    as one `action` in its audit trail.

    The target is `await target(self, arguments)` when given, else the call's arguments
    (`retry("maintenance", "bad-1")` is 'maintenance/bad-1'). A call with `dry_run=True`
    changes nothing and is not recorded.
    """

    def decorate(method: Method[A, P, T]) -> Method[A, P, T]:
        signature = inspect.signature(method)

        @functools.wraps(method)
        async def wrapper(self: A, /, *args: P.args, **kwargs: P.kwargs) -> T:
            bound = signature.bind(self, *args, **kwargs)
            arguments = dict(list(bound.arguments.items())[1:])
            if arguments.get("dry_run") is True:
                return await method(self, *args, **kwargs)
            arguments.pop("dry_run", None)
            text = describe(arguments)
            if target is not None:
                # On failure the record names the arguments; the action says what failed.
                with contextlib.suppress(YgmonError):
                    text = await target(self, arguments)
            return await self.audit_trail.run_audited(
                action, text[:TARGET_CHARS], lambda: method(self, *args, **kwargs)
            )

        return wrapper

    return decorate


def new_entry_id() -> str:
    """Sortable by insertion (nanoseconds first), unique across processes."""
    return f"{time.time_ns():016x}{secrets.token_hex(8)}"


def _refused_value(exc: BaseException | None) -> bool:
    """True when the database refused a value of the record (too long, not text): a
    DataError, or a driver error of SQLSTATE class 22 ("data exception")."""
    from sqlalchemy.exc import DataError

    while exc is not None:
        if isinstance(exc, DataError) or str(getattr(exc, "sqlstate", "")).startswith("22"):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


class AuditTrail:
    """The audit log's writes and its paginated read, in `storage`'s database at the
    times `now` gives."""

    def __init__(self, storage: DatabaseAccess, now: Callable[[], datetime]) -> None:
        self.storage = storage
        self.now = now

    async def run_audited(
        self,
        action: str,
        target: str,
        work: Callable[[], Awaitable[T]],
        done_target: Callable[[T], str] | None = None,
    ) -> T:
        """Run `work()` as one recorded action (for calls that are not monitor methods,
        e.g. the app's worker start and stop). `done_target(result)`, when given,
        replaces the target once the action is done: a started worker's pid is known
        only then."""
        try:
            entry_id = await self._audit_begin(action, target, current_actor())
        except Exception as exc:
            if _refused_value(exc):  # the request's own fault: a 400, not "unavailable"
                raise InvalidQueryError(
                    [{"code": "invalid_string", "path": ["audit"], "message": "Not storable"}]
                ) from exc
            reason = getattr(exc, "message", None) or str(exc).splitlines()[0]
            raise AuditUnavailableError(
                f"{action} not done: its audit record cannot be written ({reason})"
            ) from exc
        try:
            result = await work()
        except ReadOnlyError as exc:
            await self._audit_finish(entry_id, "refused", exc.message)
            raise
        except YgmonError as exc:
            await self._audit_finish(entry_id, "error", exc.message)
            raise
        except asyncio.CancelledError:
            await asyncio.shield(self._audit_finish(entry_id, "error", "cancelled"))
            raise
        except Exception as exc:
            await self._audit_finish(entry_id, "error", str(exc) or type(exc).__name__)
            raise
        done = None if done_target is None else done_target(result)[:TARGET_CHARS]
        await self._audit_finish(entry_id, "ok", None, done)
        return result

    async def _audit_finish(
        self, entry_id: str, outcome: str, error: str | None, target: str | None = None
    ) -> None:
        # The action already ran: a record that cannot be completed stays 'pending'
        # (its outcome unknown to the log) rather than turn a done action into an error.
        try:
            await self._audit_end(entry_id, outcome, error, target)
        except Exception:
            log.warning("audit record %s stays pending: cannot write its outcome", entry_id)

    async def _audit_begin(self, action: str, target: str, actor: Actor) -> str:
        from ygmon.db.models.audit import AuditEntry
        from ygmon.db.reachability import checked

        entry_id = new_entry_id()
        db = await self.storage.database()

        async def write() -> None:
            async with db.writer() as session:
                session.add(
                    AuditEntry(
                        id=entry_id,
                        at=self.now(),
                        actor=actor.subject[:255],
                        actor_kind=actor.kind,
                        address=actor.address,
                        action=action,
                        target=target,
                        outcome="pending",
                    )
                )

        await checked(db, write())
        return entry_id

    async def _audit_end(
        self, entry_id: str, outcome: str, error: str | None, target: str | None
    ) -> None:
        from sqlalchemy import update

        from ygmon.db.models.audit import AuditEntry
        from ygmon.db.reachability import checked

        db = await self.storage.database()

        async def write() -> None:
            async with db.writer() as session:
                await session.execute(
                    update(AuditEntry)
                    .where(AuditEntry.id == entry_id)
                    .values(
                        outcome=outcome,
                        error=error,
                        finished_at=self.now(),
                        **({} if target is None else {"target": target}),
                    )
                )

        await checked(db, write())

    async def audit_log(self, page: int = 1, page_size: int = 50) -> Page[AuditRecord]:
        """Recorded actions, newest first."""
        from sqlalchemy import func, select

        from ygmon.db.models.audit import AuditEntry

        async def query(session: AsyncSession) -> Page[AuditRecord]:
            total = (
                await session.execute(select(func.count()).select_from(AuditEntry))
            ).scalar_one()
            rows = (
                await session.execute(
                    select(AuditEntry)
                    .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                    .offset((page - 1) * page_size)
                    .limit(page_size)
                )
            ).scalars()
            return page_of(AuditRecord)(
                data=[AuditRecord.model_validate(row) for row in rows],
                pagination=Pagination.of(page, page_size, total),
            )

        return await self.storage.read(query)
