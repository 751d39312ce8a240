"""The job registry's SQLite tables and the SQL that reads a job as callers see it.

Shared by the store's parts (ygmon.jobs.registry.store.sqlite.store and its sqlite_* mixins): the
tables, the column lists and the per-state row selection.
"""

from __future__ import annotations

import sqlite3

from ygmon.jobs.registry.store.base import FIELDS

_JOB_TABLE = """create table if not exists ygmon_job (
        ns text not null, id text not null, queue text not null, task text not null,
        state text not null, args text, kwargs text, attempts_made text,
        attempts_allowed text, progress text, enqueued_at text, started_at text,
        finished_at text, worker_id text, error_message text, error_stack text,
        stalled_count text, result text, priority text, sort_at real not null,
        due_at text, attempts text, primary key (ns, id)) without rowid"""
_DDL = (
    _JOB_TABLE,
    "create index if not exists ygmon_job_qs on ygmon_job (ns, queue, state, sort_at)",
    # No (ns, state, ...) index: each index is one more page per state change, and
    # every cross-queue read walks the per-queue ranges instead (13 queues).
    """create table if not exists ygmon_count (
        ns text not null, queue text not null, state text not null,
        n integer not null default 0, primary key (ns, queue, state))""",
    """create table if not exists ygmon_worker (
        ns text not null, id text not null, data text not null, primary key (ns, id))""",
    """create table if not exists ygmon_last (
        ns text not null, key text not null, at real not null, primary key (ns, key))
        without rowid""",
    """create table if not exists ygmon_active (
        ns text not null, id text not null, queue text not null, worker_id text,
        started_at text, attempts_made text, primary key (ns, id)) without rowid""",
)
_ADDED_COLUMNS = (("due_at", "text"), ("attempts", "text"))
"""Columns added to `ygmon_job` after files were written without them, in order: a
file gains the missing ones when opened (add_missing_columns). `attempts` is last, so
reading the other columns of a row never touches its overflow pages (a job's log)."""


def add_missing_columns(cur: sqlite3.Cursor) -> None:
    """Bring an older file's `ygmon_job` up to _JOB_TABLE (the schema's only versioning:
    tables and columns are added, never changed)."""
    have = {row[1] for row in cur.execute("pragma table_info(ygmon_job)")}
    for name, kind in _ADDED_COLUMNS:
        if name not in have:
            cur.execute(f"alter table ygmon_job add column {name} {kind}")


_PLAIN = ", ".join(f"j.{c}" for c in FIELDS)
_STATES = ("waiting", "delayed", "active", "completed", "failed", "cancelled")
_ACTIVE_FIELDS = ("worker_id", "started_at", "attempts_made")
"""What taking a job records; kept in `ygmon_active` while it runs."""
_MERGED = ", ".join(
    f"case when a.id is null then j.{c} else 'active' end"
    if c == "state"
    else f"case when a.id is null then j.{c} else a.{c} end"
    if c in _ACTIVE_FIELDS
    else f"j.{c}"
    for c in FIELDS
)
"""A job's fields as callers see them: its `ygmon_active` row (alias a), if any, over
its `ygmon_job` row (alias j)."""
_ACTIVE = frozenset({"active"})
_NOT_ACTIVE = "not exists (select 1 from ygmon_active a where a.ns = j.ns and a.id = j.id)"

_BUMP = (
    "insert into ygmon_count (ns, queue, state, n) values (?, ?, ?, ?) "
    "on conflict (ns, queue, state) do update set n = n + excluded.n"
)

Deltas = dict[tuple[str, str], int]


def _in_state(state: str, columns: str | None = None) -> str:
    """`columns` (default: every field), FROM and WHERE (parameters: namespace, queue)
    of the jobs of a queue in `state`: running jobs are the `ygmon_active` rows, and
    their `ygmon_job` rows, still in state `waiting`, are no waiting jobs."""
    if state == "active":
        return (
            f"{columns or _MERGED} from ygmon_active a "
            "join ygmon_job j on j.ns = a.ns and j.id = a.id where a.ns = ? and a.queue = ?"
        )
    if state not in _STATES:
        raise ValueError(f"unknown job state {state!r}")
    where = f"j.ns = ? and j.queue = ? and j.state = '{state}'"
    if state == "waiting":
        where += f" and {_NOT_ACTIVE}"
    return f"{columns or _PLAIN} from ygmon_job j where {where}"
