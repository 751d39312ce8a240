"""Huey signal and hook handlers that write the job registry.

Huey calls them synchronously in the thread that enqueues or runs the task, so each is
one atomic store move. Where the broker allows, the move rides on Huey's own write: the
enqueue record goes in the same SQLite transaction or Redis script as the task itself
(broker.defer_to_enqueue), and on SQLite the `active` mark, and the queue's batched
completions when due, go in the dequeue's transaction. A failed registry write is
logged, never raised: Huey would otherwise treat a registry hiccup as the task's own
failure.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from huey import signals as S

from ygmon.errors import YgmonError
from ygmon.jobs import job_log
from ygmon.jobs.huey.broker import RegistryHuey
from ygmon.jobs.huey.pending import defer_to_enqueue, header_for_enqueue
from ygmon.jobs.huey.revocations import take_revoke_delete
from ygmon.jobs.huey.sqlite_storage import RegistrySqliteStorage, SqliteHooks
from ygmon.jobs.huey.sqlite_take import SqliteTakeControl
from ygmon.jobs.registry.completions import CompletionWriter
from ygmon.jobs.registry.job_registry import JobRegistry
from ygmon.jobs.registry.store.base import ATTEMPT, TakeRules
from ygmon.jobs.registry.store.redis.store import RedisRegistryStore
from ygmon.jobs.registry.store.sqlite.store import SqliteRegistryStore
from ygmon.queues import queue_spec

log = logging.getLogger("ygmon.jobs")
_PENDING = frozenset({"waiting", "delayed", "active"})
_ACTIVE = frozenset({"active"})
_COMING_DUE = frozenset({"delayed", "active"})
"""Where a job enqueued to wait may come from besides nowhere (a new one)."""


def _result_json(value: Any) -> str | None:
    if value is None:  # most tasks return nothing: no encoder for it
        return "null"
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        text = json.dumps(repr(value))
    return text if len(text) <= 10_000 else None


def attempt_entry(end: float, outcome: str, error: str | None) -> str:
    """The ATTEMPT field closing the running attempt: when and how it ended, and the log
    this thread captured while it ran (ygmon.jobs.job_log)."""
    entry: dict[str, Any] = {"end": repr(end), "outcome": outcome}
    if error is not None:
        entry["error"] = error
    entry.update(job_log.take())
    return json.dumps(entry)


class Host(Protocol):
    """What the handlers use of the job runtime (ygmon.jobs.runtime.JobRuntime)."""

    registry: JobRegistry
    completions: CompletionWriter
    worker_id: str | None

    def attempts_allowed(self, task: Any) -> int: ...


def connect(huey: RegistryHuey, queue: str, runtime: Host) -> None:
    registry = runtime.registry
    store = registry.store
    storage = huey.storage
    on_sqlite = isinstance(storage, RegistrySqliteStorage)
    # The store beside this broker: SQLite's writes ride on Huey's transactions,
    # Redis's on its scripts.
    sqlite_store = store if isinstance(store, SqliteRegistryStore) else None
    redis_store = store if isinstance(store, RedisRegistryStore) else None
    # On SQLite every registry write of this queue uses its Huey connection: one
    # connection per queue, so the registry never waits on the process's own queue.
    writer = (lambda: storage.db(commit=True)) if on_sqlite else None
    # Where Huey keeps a revocation entry: its `kv` rows of this queue, or its hash.
    huey_where = storage.name if on_sqlite else storage.result_key
    # The queue's ceilings and its tasks' live controls, from the process's gate
    # (ygmon.jobs.huey.control_gate), checked in the same step as each take.
    gate = huey.hooks.gate
    plain = TakeRules(ceiling=queue_spec(queue).max_concurrency)
    rules = (lambda: gate.rules(queue)) if gate is not None else (lambda: plain)

    closing: dict[str, str] = {}
    """Per job id: the attempt a retry's on_error closed, until its re-enqueue writes it
    (Huey signals both from the thread that ran it, one right after the other)."""

    def guarded(fn):
        def handler(signal: str, task: Any, *args: Any) -> None:
            try:
                fn(signal, task, *args)
            except YgmonError as exc:
                log.error("job registry: %s (job %s, signal %s)", exc, task.id, signal)

        return handler

    @guarded
    def on_queued(signal: str, task: Any, *args: Any) -> None:
        now = repr(registry.now())
        eta = task.eta
        if eta is not None and eta.replace(tzinfo=UTC) > datetime.now(UTC):
            state = "delayed"
        else:
            state = "delayed" if signal == S.SIGNAL_SCHEDULED else "waiting"
        # A retry's re-enqueue (or schedule) closes the attempt its on_error described.
        closed = closing.pop(task.id, None)
        # Due now, or at its eta (a delay, a backoff, or the schedule handing over a task
        # come due); an eta left from an earlier attempt does not count.
        due = (
            repr(eta.replace(tzinfo=UTC).timestamp())
            if eta is not None and (signal == S.SIGNAL_SCHEDULED or closed is None)
            else now
        )
        fields: dict[str, str | None] = {}
        if closed is not None or eta is not None:
            # A job already recorded (a retry, a delay coming due) gets its new due time;
            # a new one takes it from `create`, which costs the hot path no fields.
            fields["due_at"] = due
        if closed is not None:
            fields[ATTEMPT] = closed
        move = {
            "job_id": task.id,
            "to_state": state,
            "fields": fields,
            "allowed_from": _COMING_DUE if state == "waiting" else _PENDING,
            "create": {
                "queue": queue,
                "task": task.name,
                "args": json.dumps(list(task.args)) if task.args else "[]",
                "kwargs": json.dumps(task.kwargs) if task.kwargs else "{}",
                "attempts_made": "0",
                "attempts_allowed": str(runtime.attempts_allowed(task)),
                "enqueued_at": now,
                "stalled_count": "0",
                "priority": str(task.priority or 0),
                "due_at": due,
            },
        }
        if signal != S.SIGNAL_ENQUEUED:
            store.move(**move, writer=writer)
        elif sqlite_store is not None:
            defer_to_enqueue(sqlite_store.enqueue_writer(move))
        elif redis_store is not None:
            header_for_enqueue(task.id, task.retries, huey.class_revoke_key(type(task)))
            defer_to_enqueue(
                lambda key, member, score, scheduled: redis_store.move(
                    **move, enqueue=(key, member, score), from_schedule=scheduled
                )
            )
        else:
            store.move(**move, writer=writer)

    def activate_in(cur: Any, task: Any, counts: dict) -> None:
        """SQLite: mark the job active inside the dequeue's transaction, its counter
        changes left to the transaction's `counts`."""
        assert sqlite_store is not None
        sqlite_store.activate_in(cur, task.id, queue, _active_fields(task), counts)

    def complete_in(cur: Any) -> Callable[[], None] | None:
        """SQLite: write this queue's due completions inside the dequeue's transaction;
        returns what hands them back to the flusher should the transaction roll back.

        A savepoint keeps a failing batch from taking the dequeue down with it; the
        batch goes back to the flusher, which logs it if it fails again."""
        moves = runtime.completions.take(queue)
        if not moves:
            return None
        cur.execute("savepoint ygmon_completions")
        try:
            assert sqlite_store is not None
            sqlite_store.move_many_in(cur, moves)
        except sqlite3.Error as exc:
            cur.execute("rollback to ygmon_completions")
            runtime.completions.give_back(queue, moves)
            log.warning("job registry: completions deferred: %s", exc)
            moves = []
        cur.execute("release ygmon_completions")
        return (lambda: runtime.completions.give_back(queue, moves)) if moves else None

    def unreadable(cur: Any, data: bytes, exc: Exception) -> None:
        """A task this worker cannot read was taken off the queue: its job fails."""
        try:
            message = huey.serializer.deserialize(data)
            job_id, name = message.id, message.name
        except Exception:
            log.error("job registry: an unreadable task of %s was dropped: %s", queue, exc)
            return
        error = f"this worker cannot run task '{name.rpartition('.')[2]}': {exc}"
        log.error("job registry: job %s failed: %s", job_id, error)
        move = _failed(job_id, error, exc, _PENDING)
        if cur is not None and sqlite_store is not None:
            sqlite_store.move_in(cur, **move)
        else:
            store.move(**move, writer=writer)

    def _failed(
        job_id: str, message: str, exc: BaseException, allowed_from: frozenset[str]
    ) -> dict[str, Any]:
        """The move of a job to `failed` for good, with its message and stack."""
        now = registry.now()
        return {
            "job_id": job_id,
            "to_state": "failed",
            "fields": {
                "finished_at": repr(now),
                "error_message": message,
                "error_stack": "".join(traceback.format_exception(exc)),
                ATTEMPT: attempt_entry(now, "failed", message),
            },
            "allowed_from": allowed_from,
            "sort_at": now,
            "retention": registry.retention("failed", now),
        }

    def _active_fields(task: Any) -> dict[str, str | None]:
        allowed = runtime.attempts_allowed(task)
        return {
            "started_at": repr(registry.now()),
            "worker_id": runtime.worker_id,
            "attempts_made": str(max(1, allowed - task.retries)),
        }

    def on_finished(task: Any, value: Any, exc: BaseException | None) -> None:
        # A post-execute hook rather than SIGNAL_COMPLETE: only the hook sees the value.
        revoke_delete = take_revoke_delete()
        if exc is not None:
            if revoke_delete is not None:
                storage.delete_data(revoke_delete)  # before Huey enqueues a retry
            return  # on_error has recorded it
        now = registry.now()
        runtime.completions.add(
            queue,
            {
                "job_id": task.id,
                "huey_delete": (huey_where, revoke_delete) if revoke_delete else None,
                "to_state": "completed",
                "fields": {
                    ATTEMPT: attempt_entry(now, "completed", None),
                    "finished_at": repr(now),
                    "progress": "100",
                    "result": _result_json(value),
                    # An earlier attempt's error no longer describes the job.
                    "error_message": None,
                    "error_stack": None,
                },
                "allowed_from": _ACTIVE,
                "sort_at": now,
                "retention": registry.retention("completed", now),
            },
        )

    @guarded
    def on_error(signal: str, task: Any, exc: BaseException) -> None:
        message = str(exc) or type(exc).__name__
        if task.retries:
            # Not final: Huey re-enqueues or schedules it next, and that signal moves it
            # and closes this attempt.
            closing[task.id] = attempt_entry(registry.now(), "retried", message)
            stack = "".join(traceback.format_exception(exc))
            store.set_fields(task.id, {"error_message": message, "error_stack": stack})
            return
        store.move(**_failed(task.id, message, exc, _ACTIVE), writer=writer)

    @guarded
    def on_cancelled(signal: str, task: Any, *args: Any) -> None:
        now = registry.now()
        closing.pop(task.id, None)
        store.move(
            task.id,
            "cancelled",
            # The attempt is closed only if the job was running.
            {"finished_at": repr(now), ATTEMPT: attempt_entry(now, "cancelled", None)},
            allowed_from=_PENDING,
            sort_at=now,
            retention=registry.retention("cancelled", now),
            writer=writer,
        )

    huey.signal(S.SIGNAL_ENQUEUED, S.SIGNAL_SCHEDULED)(on_queued)
    if isinstance(storage, RegistrySqliteStorage) and sqlite_store is not None:
        # Inside the take's transaction only what the gate already holds (see known_rules).
        known = (lambda: gate.known_rules(queue)) if gate is not None else (lambda: plain)
        control = SqliteTakeControl(sqlite_store, queue, storage.name, known, registry.now)
        storage.attach(
            SqliteHooks(unreadable, activate_in, complete_in, control, sqlite_store.bump_all_in)
        )
    elif redis_store is not None:

        def activate(conn: Any, key: str, result_key: str, woken: bool) -> Any:
            def take() -> Any:
                now = registry.injected_now()
                return redis_store.activate(
                    conn, key, result_key, now, runtime.worker_id, woken, queue, rules()
                )

            reply = take()
            if reply == 0 and runtime.completions.flush_queue(queue):
                # At the ceiling: this process's finished jobs count as active until
                # their write-behind is written; written now, they free their slots.
                reply = take()
            return reply

        storage.attach(activate, unreadable)
    huey.post_execute("ygmon-registry")(on_finished)
    huey.signal(S.SIGNAL_ERROR)(on_error)
    huey.signal(S.SIGNAL_REVOKED, S.SIGNAL_EXPIRED, S.SIGNAL_CANCELED)(on_cancelled)
