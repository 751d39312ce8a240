"""An action whose audit row the database refuses because of the request's own values
(an address longer than its column, from a proxy's X-Forwarded-For) is a 400, not the
503 "audit unavailable" that tells clients the service is down. SQLite stores it."""

from __future__ import annotations

import pytest
from servers import fixed_clock, local_settings

from ygmon.config import LocalProfile
from ygmon.errors import InvalidQueryError
from ygmon.monitor.audit import acting_as
from ygmon.monitor.audit_schemas import Actor
from ygmon.monitor.factory import make_monitor


async def test_an_audit_row_the_database_refuses_is_a_400(seeded: LocalProfile) -> None:
    monitor = make_monitor(local_settings(seeded), clock=fixed_clock)
    long_address = Actor(subject="admin-1", kind="api", address="2001:db8::" + "f" * 300)
    try:
        with acting_as(long_address):
            if seeded.database_url.startswith("postgresql"):
                with pytest.raises(InvalidQueryError):
                    await monitor.pause_queue("email")
                assert not any(q.paused for q in await monitor.queues() if q.name == "email")
            else:
                await monitor.pause_queue("email")
                await monitor.resume_queue("email")
    finally:
        await monitor.close()
