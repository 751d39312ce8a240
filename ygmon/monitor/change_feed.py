"""One reader of the live topics (ygmon.monitor.live_topics) for everyone who asks: each
topic read at most once per interval, however many screens or streams want it, and its
changes numbered.

The server's stream (ygmon.api.stream_feed) and the local monitor's screens
(ygmon.monitor.local_live) both read through one: a topic asked again within its interval
is answered from the last read, and callers asking at once share the read under way.

A read compares the topic's value with the last one, leaving out the read's own clock
(`Topic.clock`: the schedules' `checkedAt`, new at every read): only a change of what it
says becomes a numbered change, kept in a bounded log for those who send changes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import Counter, deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ygmon.errors import YgmonError
from ygmon.monitor.live_topics import TOPICS

if TYPE_CHECKING:
    from ygmon.monitor.protocol import Monitor

READ_EVERY = 1.0
"""Seconds between two reads of a topic: a change shows within this (plus a read's time)."""
SLOW_EVERY = 5.0
SLOW_TOPICS = frozenset(
    {
        "history",
        "alerts",
        "schedules",
        "notificationStats",
        "searchIndexStats",
        "searchIndexOverview",
    }
)
"""Topics read every SLOW_EVERY seconds only: each costs more than the counts, and what
they show (per-minute history, next runs, index sizes) moves slowly; the counts, the
workers and the failed count, read every interval, carry the news."""
KEEP_CHANGES = 1000
"""Changes kept for resuming: at one change of every topic a second, ~100 s of them."""


@dataclass(frozen=True)
class Change:
    seq: int
    topic: str
    text: str
    """The topic's JSON, encoded once for everyone who sends it."""
    frame: bytes = b""
    """The change as its sender sends it (the stream's SSE event), encoded once."""


class ChangeFeed:
    def __init__(
        self,
        monitor: Monitor,
        every: float = READ_EVERY,
        slow_every: float = SLOW_EVERY,
        keep_log: bool = True,
    ) -> None:
        """`slow_every`: the interval of SLOW_TOPICS; `keep_log`: number the changes and
        keep them (with their JSON) for someone to send on, else only share the reads."""
        self.monitor = monitor
        self.every = every
        self.slow_every = slow_every
        self._keep_log = keep_log
        self.objects: dict[str, Any] = {}
        """Each topic's value at its last read."""
        self.errors: dict[str, YgmonError] = {}
        """Why each topic whose last read failed failed (it has no value then)."""
        self.seq = 0
        """The number of the last change."""
        self.reads = 0
        """Reads done (tests and the bench check one per interval, not one per asker)."""
        self.topic_reads: Counter[str] = Counter()
        """Reads of each topic (tests check one per interval, whoever asks)."""
        self._texts: dict[str, str] = {}
        self._log: deque[Change] = deque(maxlen=KEEP_CHANGES)
        self._began: dict[str, float] = {}
        self._under_way: dict[str, asyncio.Future[None]] = {}
        self._tick = asyncio.Event()

    def interval_of(self, topic: str) -> float:
        return max(self.every, self.slow_every) if topic in SLOW_TOPICS else self.every

    # --- reading --------------------------------------------------------------------

    async def fresh(self, names: list[str] | None = None) -> None:
        """Read the topics `names` (default all) whose last read began an interval ago
        or more; a topic being read already is waited for, not read twice. A topic read
        from others (health from the workers) asks this feed for them in turn."""
        now = time.monotonic()
        wanted = list(TOPICS) if names is None else names
        waits = [self._under_way[n] for n in wanted if n in self._under_way]
        due = [
            n
            for n in wanted
            if n not in self._under_way
            and now - self._began.get(n, -float("inf")) >= self.interval_of(n)
        ]
        if due:
            loop = asyncio.get_running_loop()
            for name in due:
                # The interval runs from a read's start, so a slow read does not stretch it.
                self._began[name] = now
                self._under_way[name] = loop.create_future()
            self.reads += 1
            changed = await asyncio.gather(*(self._read(n) for n in due))
            if any(changed):
                self._tick.set()
                self._tick = asyncio.Event()
        for wait in waits:
            # Another caller's read: its failure is its caller's to see.
            with contextlib.suppress(Exception):
                await asyncio.shield(wait)

    def forget(self, keep: frozenset[str] = frozenset()) -> None:
        """Make every topic but `keep` due: the next ask reads it (this client changed
        something, or a read showed that something changed)."""
        for name in [n for n in self._began if n not in keep]:
            del self._began[name]

    async def _read(self, name: str) -> bool:
        """Read one topic, hold its value (or its error), and say whether it changed; its
        waiters are released as soon as it is held, not when the whole read ends."""
        topic = TOPICS[name]
        done = self._under_way[name]
        self.topic_reads[name] += 1
        try:
            value = await topic.read(self.monitor)
        except YgmonError as error:
            self.objects.pop(name, None)
            self.errors[name] = error
            return False
        finally:
            del self._under_way[name]
            done.set_result(None)
        old = self.objects.get(name, ...)
        self.objects[name] = value
        self.errors.pop(name, None)
        self._texts.pop(name, None)
        if not self._keep_log:
            return False  # nobody sends the changes on: spare the comparison
        if old is not ... and topic.steady(old) == topic.steady(value):
            return False
        self.seq += 1
        self._log.append(self.change(self.seq, name, self.text(name)))
        return True

    def change(self, seq: int, topic: str, text: str) -> Change:
        """The logged change (a sender encodes its frame here, once)."""
        return Change(seq, topic, text)

    def text(self, name: str) -> str:
        """The topic's JSON at its last read, encoded once per read."""
        text = self._texts.get(name)
        if text is None:
            data = TOPICS[name].to_json(self.objects[name])
            text = self._texts[name] = json.dumps(data, separators=(",", ":"))
        return text

    def value(self, name: str) -> Any | None:
        """The topic's value at its last read (None: not read yet); the error of its last
        read, raised, when that failed."""
        if name in self.errors:
            raise self.errors[name]
        return self.objects.get(name)

    # --- changes --------------------------------------------------------------------

    def tick(self) -> asyncio.Event:
        """Set at the next read that changes something (take it before reading `seq`)."""
        return self._tick

    def oldest(self) -> int:
        """The number of the oldest change kept (seq + 1 when none is)."""
        return self._log[0].seq if self._log else self.seq + 1

    def changes_after(self, seq: int, topics: set[str] | None = None) -> list[Change]:
        """The changes numbered after `seq` (of `topics` only, when given)."""
        # Numbers are consecutive: take the newest from the end instead of walking the
        # log (every stream asks at every change).
        count = min(len(self._log), max(0, self.seq - seq))
        after = (self._log[-i] for i in range(count, 0, -1))
        return [c for c in after if topics is None or c.topic in topics]
