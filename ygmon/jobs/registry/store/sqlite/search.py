"""The job search index of the SQLite registry: an FTS5 table beside `ygmon_job`.

Kept off the hot path: `index_since` (the worker's index thread, or a search that
finds too much unindexed) writes the jobs whose `sort_at` moved past the last pass,
in small transactions so enqueues never wait long for the write lock. A row's FTS5
rowid is a hash of its namespace and id, so indexing a job again replaces its row.
Also kept per indexed job: its failure group (`ygmon_search_grp`), and per group its
exception type and normalised message (`ygmon_search_group`).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from typing import Any

from ygmon.errors import UnavailableError
from ygmon.jobs.registry.search_text import Doc, Filters, GroupCount, Term, doc_of, id_key
from ygmon.jobs.registry.store.base import FIELDS
from ygmon.jobs.registry.store.sqlite.schema import _MERGED, _STATES

GroupRow = tuple[str, str, str, float, str]
"""(job id, queue, group key, failed at, task)."""

SEARCH_DDL = (
    """create virtual table if not exists ygmon_search_fts using fts5(
        ns unindexed, job_id unindexed, id, rid, body,
        tokenize = 'unicode61 remove_diacritics 0')""",
    """create table if not exists ygmon_search_grp (
        ns text not null, id text not null, grp text not null, task text not null,
        primary key (ns, id)) without rowid""",
    """create table if not exists ygmon_search_group (
        ns text not null, key text not null, exc_type text not null, message text not null,
        primary key (ns, key)) without rowid""",
    """create table if not exists ygmon_search_mark (
        ns text primary key, indexed_to real not null, prune_from integer not null)""",
)
_ROW_STATES = tuple(s for s in _STATES if s != "active")
"""States a `ygmon_job` row holds (a running job's row stays `waiting`)."""
_CHUNK = 500
"""Jobs written per transaction: each holds the write lock enqueues and dequeues wait on."""
_PRUNE_CHUNK = 5000
_DOC_COLUMNS = "j.id, j.task, j.args, j.kwargs, j.error_message, substr(j.error_stack, -400)"


def doc_rowid(ns: str, job_id: str) -> int:
    digest = hashlib.blake2b(f"{ns}\0{job_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def fts_query(terms: list[Term]) -> str:
    parts = []
    for term in terms:
        options = []
        if term.raw:
            options += [f"id : {_quoted(term.raw)}*", f"rid : {_quoted(term.raw[::-1])}*"]
        if term.words:
            words = [_quoted(w) + ("*" if prefix else "") for w, prefix in term.prefixed()]
            options.append("(" + " AND ".join(f"body : {w}" for w in words) + ")")
        parts.append("(" + " OR ".join(options) + ")")
    return " AND ".join(parts)


def _state_sql(state: str | None) -> str:
    if state is None:
        return ""
    if state == "active":
        return " and a.id is not null"
    if state == "waiting":
        return " and j.state = 'waiting' and a.id is null"
    return f" and j.state = '{state}' and a.id is null" if state in _STATES else " and 0"


class SqliteJobSearch:
    """The index over a SqliteRegistryStore (its connection, lock and namespace)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.ns: str = store.ns
        with store._write() as cur:
            for sql in SEARCH_DDL:
                cur.execute(sql)

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        return self.store._read(sql, params)

    def _queues(self) -> list[str]:
        return sorted({q for q, _ in self.store.counts()})

    # --- the pass ------------------------------------------------------------------

    def mark(self) -> float | None:
        rows = self._read("select indexed_to from ygmon_search_mark where ns = ?", (self.ns,))
        return rows[0][0] if rows else None

    def count_since(self, since: float) -> int:
        total = 0
        for queue in self._queues():
            for state in _ROW_STATES:
                total += self._read(
                    "select count(*) from ygmon_job where ns = ? and queue = ? and state = ? "
                    "and sort_at > ?",
                    (self.ns, queue, state, since),
                )[0][0]
        return total

    def _records_since(self, since: float) -> Iterable[dict[str, str | None]]:
        names = ("id", "task", "args", "kwargs", "error_message", "error_stack")
        for queue in self._queues():
            for state in _ROW_STATES:
                for row in self._read(
                    f"select {_DOC_COLUMNS} from ygmon_job j where j.ns = ? and j.queue = ? "
                    "and j.state = ? and j.sort_at > ?",
                    (self.ns, queue, state, since),
                ):
                    yield dict(zip(names, row, strict=True))

    def index_since(self, since: float, mark: float) -> int:
        """Index every job whose sort_at is past `since`, then record `mark`."""
        docs: list[Doc] = []
        written = 0
        for record in self._records_since(since):
            docs.append(doc_of(record))
            if len(docs) >= _CHUNK:
                written += self._write_docs(docs)
                docs = []
        written += self._write_docs(docs)
        try:
            with self.store._write() as cur:
                cur.execute(
                    "insert into ygmon_search_mark (ns, indexed_to, prune_from) values (?, ?, 0) "
                    "on conflict (ns) do update set indexed_to = excluded.indexed_to",
                    (self.ns, mark),
                )
        except sqlite3.Error as exc:
            raise UnavailableError(f"cannot write the job search index: {exc}") from None
        return written

    def _write_docs(self, docs: list[Doc]) -> int:
        if not docs:
            return 0
        ns = self.ns
        try:
            with self.store._write() as cur:
                keys = [id_key(d.id) for d in docs]
                cur.executemany(
                    "insert or replace into ygmon_search_fts (rowid, ns, job_id, id, rid, body) "
                    "values (?, ?, ?, ?, ?, ?)",
                    [
                        (doc_rowid(ns, d.id), ns, d.id, key, key[::-1], d.body)
                        for d, key in zip(docs, keys, strict=True)
                    ],
                )
                cur.executemany(
                    "insert or replace into ygmon_search_grp (ns, id, grp, task) "
                    "values (?, ?, ?, ?)",
                    [(ns, d.id, d.group, d.task) for d in docs if d.group],
                )
                cur.executemany(
                    "delete from ygmon_search_grp where ns = ? and id = ?",
                    [(ns, d.id) for d in docs if not d.group],
                )
                cur.executemany(
                    "insert or ignore into ygmon_search_group (ns, key, exc_type, message) "
                    "values (?, ?, ?, ?)",
                    {(ns, d.group, d.exc_type, d.message) for d in docs if d.group},
                )
        except sqlite3.Error as exc:
            raise UnavailableError(f"cannot write the job search index: {exc}") from None
        return len(docs)

    def prune(self) -> int:
        """Drop the index rows of one chunk of jobs that retention has removed."""
        rows = self._read("select m.prune_from from ygmon_search_mark m where m.ns = ?", (self.ns,))
        start = rows[0][0] if rows else 0
        chunk = self._read(
            "select f.rowid, f.job_id, j.id from ygmon_search_fts f left join ygmon_job j "
            "on j.ns = f.ns and j.id = f.job_id where f.rowid > ? and f.ns = ? "
            "order by f.rowid limit ?",
            (start, self.ns, _PRUNE_CHUNK),
        )
        gone = [(rowid, job_id) for rowid, job_id, present in chunk if present is None]
        following = chunk[-1][0] if len(chunk) == _PRUNE_CHUNK else 0
        with self.store._write() as cur:
            cur.executemany("delete from ygmon_search_fts where rowid = ?", [(r,) for r, _ in gone])
            cur.executemany(
                "delete from ygmon_search_grp where ns = ? and id = ?",
                [(self.ns, job_id) for _, job_id in gone],
            )
            cur.execute(
                "update ygmon_search_mark set prune_from = ? where ns = ?", (following, self.ns)
            )
        return len(gone)

    # --- reads ---------------------------------------------------------------------

    def _filters(
        self, queue: str | None, state: str | None, since: float | None, until: float | None
    ) -> tuple[str, tuple]:
        sql, params = _state_sql(state), []
        if queue is not None:
            sql += " and j.queue = ?"
            params.append(queue)
        if since is not None:
            sql += " and j.sort_at >= ?"
            params.append(since)
        if until is not None:
            sql += " and j.sort_at <= ?"
            params.append(until)
        return sql, tuple(params)

    def indexed_matches(
        self, terms: list[Term], cut: float, _tail_ids: list[str], filters: Filters, limit: int
    ) -> tuple[list[dict[str, str | None]], int]:
        """Indexed jobs matching `terms` whose sort_at is at most `cut` (the rest are
        the tail the caller reads live): the newest `limit` and how many in all. (The
        tail's ids are for stores that cannot compare sort_at at once.)"""
        where, params = self._filters(*filters)
        body = (
            "from ygmon_search_fts f join ygmon_job j on j.ns = f.ns and j.id = f.job_id "
            "left join ygmon_active a on a.ns = j.ns and a.id = j.id "
            f"where ygmon_search_fts match ? and f.ns = ? and j.sort_at <= ?{where}"
        )
        args = (fts_query(terms), self.ns, cut, *params)
        total = self._read(f"select count(*) {body}", args)[0][0]
        rows = self._read(
            f"select {_MERGED} {body} order by j.sort_at desc limit ?", (*args, limit)
        )
        return [dict(zip(FIELDS, r, strict=True)) for r in rows], total

    def live_since(self, since: float) -> list[dict[str, str | None]]:
        """Every job whose sort_at is past `since`, as callers see it (the tail)."""
        found = []
        for queue in self._queues():
            for state in _ROW_STATES:
                found += self._read(
                    f"select {_MERGED} from ygmon_job j left join ygmon_active a "
                    "on a.ns = j.ns and a.id = j.id where j.ns = ? and j.queue = ? "
                    "and j.state = ? and j.sort_at > ?",
                    (self.ns, queue, state, since),
                )
        return [dict(zip(FIELDS, r, strict=True)) for r in found]

    def listing(self, filters: Filters, limit: int) -> tuple[list[dict[str, str | None]], int]:
        """Jobs by the filters alone, newest first: one index range per queue and state."""
        queue, state, since, until = filters
        rows: list[tuple] = []
        total = 0
        where, params = self._filters(None, state, since, until)
        row_states = _ROW_STATES if state is None else ["waiting" if state == "active" else state]
        for q in [queue] if queue is not None else self._queues():
            for s in row_states:
                body = (
                    "from ygmon_job j left join ygmon_active a on a.ns = j.ns and a.id = j.id "
                    f"where j.ns = ? and j.queue = ? and j.state = ?{where}"
                )
                args = (self.ns, q, s, *params)
                total += self._read(f"select count(*) {body}", args)[0][0]
                rows += self._read(
                    f"select {_MERGED} {body} order by j.sort_at desc limit ?", (*args, limit)
                )
        sort_at = FIELDS.index("sort_at")
        rows.sort(key=lambda r: float(r[sort_at]), reverse=True)
        return [dict(zip(FIELDS, r, strict=True)) for r in rows[:limit]], total

    def failed_groups(self, queue: str | None, cut: float) -> list[GroupRow]:
        """(job id, queue, group key, failed at, task) of every indexed failed job of
        `queue` (or of every queue) failed at most at `cut` (later ones: the tail)."""
        found: list[GroupRow] = []
        for q in [queue] if queue is not None else self._queues():
            found += self._read(
                "select j.id, j.queue, g.grp, j.sort_at, g.task from ygmon_job j "
                "join ygmon_search_grp g on g.ns = j.ns and g.id = j.id "
                "where j.ns = ? and j.queue = ? and j.state = 'failed' and j.sort_at <= ?",
                (self.ns, q, cut),
            )
        return found

    def group_counts(self, queue: str | None, cut: float) -> dict[str, GroupCount]:
        """Per failure group: its indexed failed jobs of `queue` (or every queue)
        failed at most at `cut`, counted by SQLite."""
        counts: dict[str, GroupCount] = {}
        for q in [queue] if queue is not None else self._queues():
            for group, n, first, last, tasks in self._read(
                "select g.grp, count(*), min(j.sort_at), max(j.sort_at), "
                "group_concat(distinct g.task) from ygmon_job j "
                "join ygmon_search_grp g on g.ns = j.ns and g.id = j.id "
                "where j.ns = ? and j.queue = ? and j.state = 'failed' and j.sort_at <= ? "
                "group by g.grp",
                (self.ns, q, cut),
            ):
                counts.setdefault(group, GroupCount(0, first, last, set(), set())).add(
                    GroupCount(n, first, last, {q}, set(tasks.split(",")))
                )
        return counts

    def group_names(self) -> dict[str, tuple[str, str]]:
        return {
            key: (exc, message)
            for key, exc, message in self._read(
                "select key, exc_type, message from ygmon_search_group where ns = ?", (self.ns,)
            )
        }
