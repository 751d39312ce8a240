"""The job search index of the Redis registry: a sorted set of job ids per word.

Kept off the hot path like the SQLite one (ygmon.jobs.registry.store.sqlite.search): `index_since`
indexes the jobs whose place in the registry's `idx:<queue>:<state>` sets (their
sort_at) moved past the last pass, a few hundred per script run; the keys are listed in
ygmon.jobs.registry.store.redis.search_lua.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import redis

from ygmon.jobs.registry.search_text import Doc, Filters, GroupCount, Term, doc_of, id_key
from ygmon.jobs.registry.store.base import FIELDS
from ygmon.jobs.registry.store.redis.search_lua import (
    GROUP_COUNTS_LUA,
    PRUNE_LUA,
    SEARCH_LUA,
    WRITE_DOCS_LUA,
)

GroupRow = tuple[str, str, str, float, str]
"""(job id, queue, group key, failed at, task)."""

STATES = ("waiting", "delayed", "active", "completed", "failed", "cancelled")
_CHUNK = 500
_PRUNE_CHUNK = 2000
EXPANSIONS = 500
"""Words (or ids) a prefix stands for at most; a broader prefix matches the first ones."""


class RedisJobSearch:
    """The index over a RedisRegistryStore (its connection and key prefix)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.r: redis.Redis = store.r
        self.p: str = store.p
        self.s = self.p + "srch:"
        self._write = self.r.register_script(WRITE_DOCS_LUA)
        self._prune = self.r.register_script(PRUNE_LUA)
        self._search = self.r.register_script(SEARCH_LUA)
        self._group_counts = self.r.register_script(GROUP_COUNTS_LUA)

    def _keys(self, queue: str | None = None, state: str | None = None) -> list[str]:
        counts = self.store.counts()
        queues = [queue] if queue is not None else sorted({q for q, _ in counts})
        states = [state] if state is not None else STATES
        return [f"{self.p}idx:{q}:{s}" for q in queues for s in states]

    # --- the pass ------------------------------------------------------------------

    def mark(self) -> float | None:
        value = self.r.hget(self.s + "mark", "indexed_to")
        return float(value) if value is not None else None

    def count_since(self, since: float) -> int:
        pipe = self.r.pipeline()
        for key in self._keys():
            pipe.zcount(key, f"({since!r}", "+inf")
        return sum(pipe.execute())

    def _ids_since(self, since: float) -> list[tuple[str, float]]:
        pipe = self.r.pipeline()
        for key in self._keys():
            pipe.zrangebyscore(key, f"({since!r}", "+inf", withscores=True)
        return [pair for chunk in pipe.execute() for pair in chunk]

    def _records(self, ids: list[str]) -> Iterator[dict[str, str | None]]:
        for i in range(0, len(ids), _CHUNK):
            pipe = self.r.pipeline()
            for job_id in ids[i : i + _CHUNK]:
                pipe.hgetall(self.p + "job:" + job_id)
            for data in pipe.execute():
                if data:
                    yield {f: data.get(f) for f in FIELDS}

    def index_since(self, since: float, mark: float) -> int:
        pairs = self._ids_since(since)
        written = 0
        batch: list[list[Any]] = []
        for record in self._records([job_id for job_id, _ in pairs]):
            doc = doc_of(record)
            batch.append(_doc_args(doc, float(record["sort_at"] or 0)))
            if len(batch) >= _CHUNK:
                written += self._write(args=[self.p, json.dumps(batch)])
                batch = []
        if batch:
            written += self._write(args=[self.p, json.dumps(batch)])
        self.r.hset(self.s + "mark", "indexed_to", repr(mark))
        return written

    def prune(self) -> int:
        cursor = int(self.r.hget(self.s + "mark", "prune_from") or 0)
        cursor, found = self.r.hscan(self.s + "docs", cursor, count=_PRUNE_CHUNK)
        ids = [[job_id, id_key(job_id)] for job_id in found]
        gone = self._prune(args=[self.p, json.dumps(ids)]) if ids else 0
        self.r.hset(self.s + "mark", "prune_from", cursor)
        return int(gone)

    # --- reads ---------------------------------------------------------------------

    def indexed_matches(
        self, terms: list[Term], _cut: float, tail_ids: list[str], filters: Filters, limit: int
    ) -> tuple[list[dict[str, str | None]], int]:
        queue, state, since, until = filters
        keys = self._keys(queue, state) if queue is not None or state is not None else []
        if (queue is not None or state is not None) and not keys:
            return [], 0
        total, top = self._search(
            args=[
                self.p,
                f"{self.s}tmp:{uuid.uuid4().hex}:",
                json.dumps([[t.raw, [[w, 1 if x else 0] for w, x in t.prefixed()]] for t in terms]),
                json.dumps(keys),
                "-inf" if since is None else repr(since),
                "+inf" if until is None else repr(until),
                limit,
                json.dumps(tail_ids),
                EXPANSIONS,
            ]
        )
        ids = [top[i] for i in range(0, len(top), 2)]
        return list(self._records(ids)), int(total)

    def live_since(self, since: float) -> list[dict[str, str | None]]:
        return list(self._records([job_id for job_id, _ in self._ids_since(since)]))

    def listing(self, filters: Filters, limit: int) -> tuple[list[dict[str, str | None]], int]:
        queue, state, since, until = filters
        low = "-inf" if since is None else repr(since)
        high = "+inf" if until is None else repr(until)
        keys = self._keys(queue, state)
        pipe = self.r.pipeline()
        for key in keys:
            pipe.zcount(key, low, high)
            pipe.zrevrangebyscore(key, high, low, start=0, num=limit, withscores=True)
        answers = pipe.execute()
        total = sum(answers[0::2])
        pairs = sorted(
            (pair for chunk in answers[1::2] for pair in chunk), key=lambda p: p[1], reverse=True
        )
        return list(self._records([job_id for job_id, _ in pairs[:limit]])), total

    def failed_groups(self, queue: str | None, cut: float) -> list[GroupRow]:
        keys = self._keys(queue, "failed")
        pipe = self.r.pipeline()
        for key in keys:
            pipe.zrangebyscore(key, "-inf", repr(cut), withscores=True)
        found: list[GroupRow] = []
        for key, pairs in zip(keys, pipe.execute(), strict=True):
            q = key[len(self.p) + 4 : -len(":failed")]
            for i in range(0, len(pairs), 5000):
                chunk = pairs[i : i + 5000]
                entries = self.r.hmget(self.s + "grp", [job_id for job_id, _ in chunk])
                for (job_id, at), entry in zip(chunk, entries, strict=True):
                    if entry:
                        group, _, task = entry.partition("\t")
                        found.append((job_id, q, group, at, task))
        return found

    def group_counts(self, queue: str | None, cut: float) -> dict[str, GroupCount]:
        args: list[str] = [self.p, repr(cut)]
        for key in self._keys(queue, "failed"):
            args += [key, key[len(self.p) + 4 : -len(":failed")]]
        return {
            group: GroupCount(
                int(n), float(first), float(last), set(queues.split()), set(tasks.split())
            )
            for group, n, first, last, queues, tasks in self._group_counts(args=args)
        }

    def group_names(self) -> dict[str, tuple[str, str]]:
        names = {}
        for key, value in self.r.hgetall(self.s + "groups").items():
            exc, _, message = value.partition("\t")
            names[key] = (exc, message)
        return names


def _doc_args(doc: Doc, score: float) -> list[Any]:
    distinct = " ".join(dict.fromkeys(doc.body.split()))
    return [doc.id, score, doc.group, doc.task, distinct, doc.exc_type, doc.message, id_key(doc.id)]
