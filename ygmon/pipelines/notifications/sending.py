"""Sending a run of claimed e-mails with their bookkeeping in group commits.

A transaction per message (the first version) cost as much as the message itself. Here
one helper thread builds and sends the messages one after another (smtplib blocks),
while this event loop commits, every RECORD_EVERY seconds, whatever the server accepted
since the last commit: a message is recorded within RECORD_EVERY plus one commit of its
acceptance. The thread never waits for the loop, and the loop's transaction runs while
the thread sends, so it holds SQLite's write lock for its own statements only. (A send
handed to a thread per message cost a GIL hand-over each, and sends on the loop's own
thread would keep a started transaction, and its lock, open across them.)

Crash safety is unchanged: a message is recorded as soon as the next commit can take
it, so a worker killed mid-run resends nothing recorded. What no scheme can close is the
window between the server's acceptance and the commit that records it; a message
accepted in that window is sent again by the retry, with the same deterministic
Message-ID, so the duplicate is recognisable.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Sequence
from email.message import Message
from typing import TypeVar

from ygmon.mail.mailer import Mailer

T = TypeVar("T")
RECORD_EVERY = 0.01


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
    lock = threading.Lock()
    stop = threading.Event()

    def send_all() -> None:
        for item in items:
            if stop.is_set():
                return
            message = build(item)
            mailer.send(message)
            with lock:
                accepted.append(item)

    def take() -> list[T]:
        with lock:
            group = accepted[:]
            del accepted[:]
        return group

    sent = 0
    commit_failed = False
    sending = asyncio.ensure_future(asyncio.to_thread(send_all))
    try:
        while not sending.done():
            await asyncio.wait([sending], timeout=RECORD_EVERY)
            group = take()
            if group:
                try:
                    await record(group)
                except BaseException:
                    commit_failed = True
                    raise
                sent += len(group)
    finally:
        stop.set()  # after a failed commit (or a cancel): send nothing more
        await asyncio.wait([sending])
        group = take()
        if group and not commit_failed:
            await record(group)
            sent += len(group)
    sending.result()  # a failed send, after what went before it was recorded
    return sent
