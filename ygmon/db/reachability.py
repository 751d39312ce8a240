"""Turns "the database cannot be reached" into one clear UnavailableError."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from ygmon.db.engine import Database
from ygmon.errors import UnavailableError

T = TypeVar("T")


def describe_unreachable(db: Database, exc: BaseException) -> UnavailableError:
    reason = getattr(exc, "orig", None) or exc
    text = str(reason).strip().splitlines()[0] if str(reason).strip() else type(reason).__name__
    return UnavailableError(f"cannot reach the database ({db.dialect}): {text}")


async def checked(db: Database, work: Awaitable[T]) -> T:
    """Await `work`, mapping connection failures to UnavailableError."""
    try:
        return await work
    except (OperationalError, InterfaceError, OSError, ConnectionError) as exc:
        raise describe_unreachable(db, exc) from exc
    except DBAPIError as exc:
        if exc.connection_invalidated:
            raise describe_unreachable(db, exc) from exc
        raise
