"""Job search, failure groups and the failed-job selections of bulk actions, over the
registry's search index (ygmon.jobs.registry.store.sqlite.search / redis_job_search).

The index is written off the hot path, by `catch_up` (each worker's index thread,
one worker at a time). What it has not seen yet is never missed: every read also
scans the jobs whose sort_at moved past the last pass (less SLACK, for writes that
committed late or on a host whose clock runs behind), matching them live with the same
rules (ygmon.jobs.registry.search_text). A search that finds that tail grown past TAIL_MAX (no
worker running) indexes it first.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ygmon.jobs.registry.search_text import Filters, GroupCount, Term, doc_of, matches, parse_query

SLACK = 5.0
"""Seconds a job's sort_at may lag the moment its write becomes visible."""
TAIL_MAX = 20_000
CLAIM_KEY = "search-index"
ALL = 10**9

"""(queue, state, since, until) of a search; since/until bound sort_at."""


def backend_for(store: Any) -> Any:
    from ygmon.jobs.registry.store.sqlite.store import SqliteRegistryStore

    if isinstance(store, SqliteRegistryStore):
        from ygmon.jobs.registry.store.sqlite.search import SqliteJobSearch

        return SqliteJobSearch(store)
    from ygmon.jobs.registry.store.redis.search import RedisJobSearch

    return RedisJobSearch(store)


def _sort_at(record: dict[str, Any]) -> float:
    return float(record.get("sort_at") or 0)


def _kept(record: dict[str, Any], filters: Filters) -> bool:
    queue, state, since, until = filters
    at = _sort_at(record)
    return (
        (queue is None or record["queue"] == queue)
        and (state is None or record["state"] == state)
        and (since is None or at >= since)
        and (until is None or at <= until)
    )


class JobSearch:
    """The search index of one registry store; `now` is the registry's clock."""

    def __init__(self, store: Any, now: Callable[[], float]) -> None:
        self.store = store
        self.now = now
        self.backend = backend_for(store)

    def catch_up(self) -> int:
        """Index what changed since the last pass, and prune a chunk of removed jobs."""
        now = self.now()
        mark = self.backend.mark()
        since = -math.inf if mark is None else mark - SLACK
        written = self.backend.index_since(since, now)
        self.backend.prune()
        return written

    def maintain(self, every: float) -> None:
        """`catch_up` if no other worker did within `every` seconds (the worker's index thread)."""
        if self.store.claim(CLAIM_KEY, every):
            self.catch_up()

    def _cut(self) -> float:
        mark = self.backend.mark()
        if mark is None or self.backend.count_since(mark - SLACK) > TAIL_MAX:
            self.catch_up()
            mark = self.backend.mark()
        return mark - SLACK

    def search(
        self, q: str | None, filters: Filters, offset: int, limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        """The newest matching records from `offset` and how many match in all."""
        terms = parse_query(q)
        if not terms:
            if q and q.strip():
                return [], 0  # only punctuation: no word to look for
            rows, total = self.backend.listing(filters, offset + limit)
            return rows[offset:], total
        cut = self._cut()
        tail = self.backend.live_since(cut)
        found = [r for r in tail if _kept(r, filters) and _match(terms, r)]
        rows, total = self.backend.indexed_matches(
            terms, cut, [r["id"] for r in tail], filters, offset + limit
        )
        merged = sorted(rows + found, key=_sort_at, reverse=True)
        return merged[offset : offset + limit], total + len(found)

    def group_page(
        self, group: str, q: str | None, filters: Filters, offset: int, limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        """The failed jobs of one failure group (and matching `q`), newest first."""
        queue, state, since, until = filters
        if state not in (None, "failed"):
            return [], 0
        rows, _ = self.failed_group_rows(queue)
        chosen = sorted(
            (
                r
                for r in rows
                if r[2] == group
                and (since is None or r[3] >= since)
                and (until is None or r[3] <= until)
            ),
            key=lambda r: r[3],
            reverse=True,
        )
        if q is not None and q.strip():
            found, _ = self.search(q, (queue, "failed", since, until), 0, ALL)
            ids = {r["id"] for r in found}
            chosen = [r for r in chosen if r[0] in ids]
        records = [self.store.get(r[0]) for r in chosen[offset : offset + limit]]
        return [r for r in records if r is not None], len(chosen)

    def failed_group_rows(self, queue: str | None) -> tuple[list[tuple], dict[str, tuple]]:
        """(id, queue, group key, failed at, task) of every failed job of `queue` (or
        every queue), and the exception type and message of each group key."""
        cut = self._cut()
        rows = list(self.backend.failed_groups(queue, cut))
        names = self.backend.group_names()
        for record in self.backend.live_since(cut):
            if record["state"] != "failed" or (queue is not None and record["queue"] != queue):
                continue
            doc = doc_of(record)
            rows.append((doc.id, record["queue"], doc.group, _sort_at(record), doc.task))
            names.setdefault(doc.group, (doc.exc_type, doc.message))
        return rows, names

    def group_counts(
        self, queue: str | None
    ) -> tuple[dict[str, GroupCount], dict[str, tuple[str, str]]]:
        """Every failure group of `queue` (or every queue) with its counts, and the
        exception type and message of each: what the Failed screen's causes show."""
        cut = self._cut()
        counts = self.backend.group_counts(queue, cut)
        names = self.backend.group_names()
        for record in self.backend.live_since(cut):
            if record["state"] != "failed" or (queue is not None and record["queue"] != queue):
                continue
            doc, at = doc_of(record), _sort_at(record)
            one = GroupCount(1, at, at, {record["queue"]}, {doc.task})
            if doc.group in counts:
                counts[doc.group].add(one)
            else:
                counts[doc.group] = one
            names.setdefault(doc.group, (doc.exc_type, doc.message))
        return counts, names

    def failed_ids(
        self, queue: str | None, q: str | None, group: str | None
    ) -> list[tuple[str, str, float]]:
        """(id, queue, failed at) of the failed jobs a bulk selection names, oldest first."""
        chosen: dict[str, tuple[str, str, float]] | None = None
        if group is not None:
            rows, _ = self.failed_group_rows(queue)
            chosen = {r[0]: (r[0], r[1], r[3]) for r in rows if r[2] == group}
        if q is not None and q.strip():
            records, _ = self.search(q, (queue, "failed", None, None), 0, ALL)
            found = {r["id"]: (r["id"], r["queue"], _sort_at(r)) for r in records}
            chosen = found if chosen is None else {k: v for k, v in chosen.items() if k in found}
        if chosen is None:
            records, _ = self.backend.listing((queue, "failed", None, None), ALL)
            chosen = {r["id"]: (r["id"], r["queue"], _sort_at(r)) for r in records}
        return sorted(chosen.values(), key=lambda r: (r[2], r[0]))


def _match(terms: list[Term], record: dict[str, Any]) -> bool:
    return matches(terms, record["id"], doc_of(record).body)
