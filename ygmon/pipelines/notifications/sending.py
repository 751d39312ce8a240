"""Sending a run of claimed e-mails with their bookkeeping in group commits.

A transaction per message (the first version) cost as much as the message itself. Here
the SMTP exchange of each message (smtplib, blocking) runs on this thread while the
database driver's thread executes the commit of what was accepted so far: each commit
records every message the server accepted while the previous commit ran, so a message
is recorded one commit after its acceptance at most. (Sending on a helper thread
instead, to overlap the next message's building, cost a GIL hand-over per message,
more than the building itself.)

Crash safety is unchanged: a message is recorded as soon as a commit can take it, never
held back for a batch, so a worker killed mid-run resends nothing recorded. What no
scheme can close is the window between the server's acceptance and the commit that
records it (a commit or two long); a message accepted in that window is sent again by
the retry, with the same deterministic Message-ID, so the duplicate is recognisable.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from email.message import Message
from typing import TypeVar

from ygmon.mail.mailer import Mailer

T = TypeVar("T")


async def send_recorded(
    items: Sequence[T],
    build: Callable[[T], Message],
    mailer: Mailer,
    record: Callable[[list[T]], Awaitable[None]],
) -> int:
    """Send `build(item)` for each item, in order, over `mailer`, and `record` the
    accepted ones in groups as described above; how many were sent.

    When a send fails, what was accepted before it is recorded, then the error
    propagates; when a commit fails, no further message is sent.
    """
    accepted: list[T] = []
    wake = asyncio.Event()
    finished = False

    async def recorder() -> None:
        while True:
            await wake.wait()
            wake.clear()
            while accepted:
                group = accepted[:]
                del accepted[:]
                await record(group)
            if finished:
                return

    sent = 0
    committing = asyncio.create_task(recorder())
    try:
        for item in items:
            # On this thread, blocking: the event loop has nothing else to run but the
            # recorder, whose statements execute on the database driver's thread
            # meanwhile. (A send on a helper thread cost a GIL hand-over per message,
            # slower than the send itself.)
            mailer.send(build(item))
            if committing.done():
                committing.result()  # a failed commit: stop sending
            accepted.append(item)
            sent += 1
            wake.set()
            await asyncio.sleep(0)  # the recorder's next step
    finally:
        finished = True
        wake.set()
        await committing
    return sent
