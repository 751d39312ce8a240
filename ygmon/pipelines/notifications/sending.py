"""Sending a run of claimed e-mails with their bookkeeping in group commits.

A transaction per message (the first version) cost as much as the message itself. Here
the SMTP exchange of each message runs on a thread of its own (smtplib blocks) while
this event loop builds the next message and commits what was accepted so far: each
commit records every message the server accepted while the previous commit ran, so a
message is recorded one commit after its acceptance at most.

Crash safety is unchanged: a message is recorded as soon as a commit can take it, never
held back for a batch, so a worker killed mid-run resends nothing recorded. What no
scheme can close is the window between the server's acceptance and the commit that
records it (a commit or two long); a message accepted in that window is sent again by
the retry, with the same deterministic Message-ID, so the duplicate is recognisable.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage
from typing import TypeVar

from ygmon.mail.mailer import Mailer

T = TypeVar("T")


async def send_recorded(
    items: Sequence[T],
    build: Callable[[T], EmailMessage],
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

    loop = asyncio.get_running_loop()
    sent = 0
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ygmon-smtp") as sender:
        committing = asyncio.create_task(recorder())
        try:
            message = build(items[0]) if items else None
            for index, item in enumerate(items):
                assert message is not None
                in_flight = loop.run_in_executor(sender, mailer.send, message)
                # Build the next one while the server answers this one.
                message = build(items[index + 1]) if index + 1 < len(items) else None
                await in_flight
                if committing.done():
                    committing.result()  # a failed commit: stop sending
                accepted.append(item)
                sent += 1
                wake.set()
        finally:
            finished = True
            wake.set()
            await committing
    return sent
