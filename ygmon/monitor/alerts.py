"""Alerts: the profile's rules (ygmon.alert_config) applied to what the Monitor reads,
for LocalMonitor and RemoteMonitor alike (an object over the protocol's reads), so a
remote profile's rules judge the server's answers.

One AlertState per rule and subject ("*" expands to every queue or schedule), firing
or quiet, with a message that says why. Times are compared with the backend's own
clock where it reports one (schedules carry `checkedAt`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from ygmon.alert_config import AlertRule, alert_rules
from ygmon.errors import ConfigError
from ygmon.job_history import History, HistoryWindow
from ygmon.job_latency import LatencyShare
from ygmon.monitor.latency_burn import burn_states
from ygmon.monitor.queue_control_schemas import AlertState, ScheduleInfo
from ygmon.monitor.schemas import AllWorkersHealth, JobSummary, QueueStats
from ygmon.queues import QUEUE_NAMES
from ygmon.slo_config import slo_targets


def _minutes(seconds: float) -> str:
    minutes = seconds / 60
    return f"{minutes:.0f}m" if minutes < 120 else f"{minutes / 60:.1f}h"


class AlertReads(Protocol):
    """The Monitor reads the rules judge."""

    async def queues(self) -> list[QueueStats]: ...

    async def health(self) -> AllWorkersHealth: ...

    async def schedules(self) -> list[ScheduleInfo]: ...

    async def oldest_waiting(self, queue: str) -> JobSummary | None: ...

    async def history(
        self,
        queue: str | None = None,
        task: str | None = None,
        window: HistoryWindow = HistoryWindow.HOUR,
    ) -> History: ...

    async def latency_share(
        self, queue: str, kind: str, over_ms: float, minutes: int
    ) -> LatencyShare: ...


@dataclass(eq=False)
class Alerts:
    """The rules of a profile's `alerts` table over `reads`, judged at `now()`, and
    the latency_burn alert of each target of its `slo` table."""

    reads: AlertReads
    config: dict[str, Any]
    now: Callable[[], datetime]
    slo: dict[str, list[str]] = field(default_factory=dict)

    async def alerts(self) -> list[AlertState]:
        rules = alert_rules(self.config)
        targets = slo_targets(self.slo)
        if not rules:
            return await burn_states(self.reads, targets) if targets else []
        kinds = {r.kind for r in rules}
        needs_queues = kinds & {"oldest_waiting", "paused_too_long"}
        reads = self.reads
        queues, health, schedules = await asyncio.gather(
            reads.queues() if needs_queues else _none(),
            reads.health() if "no_worker" in kinds else _none(),
            reads.schedules() if "schedule_missed" in kinds else _none(),
        )
        stats = {q.name: q for q in queues or []}
        # One history read per window for every queue's failure rate: a remote API
        # allows 100 requests a minute.
        windows = sorted({r.window for r in rules if r.kind == "failure_rate"})
        read = await asyncio.gather(*(reads.history(None, None, HistoryWindow(w)) for w in windows))
        histories = dict(zip(windows, read, strict=True))
        states: list[AlertState] = []
        for rule in rules:
            if rule.kind == "schedule_missed":
                states += self._schedule_missed(rule, schedules or [])
                continue
            for queue in QUEUE_NAMES if rule.subject == "*" else [rule.subject]:
                states.append(await self._queue_rule(rule, queue, stats, health, histories))
        return states + (await burn_states(self.reads, targets) if targets else [])

    async def _queue_rule(
        self,
        rule: AlertRule,
        queue: str,
        stats: dict[str, QueueStats],
        health: AllWorkersHealth | None,
        histories: dict[str, History],
    ) -> AlertState:
        def state(firing: bool, message: str) -> AlertState:
            return AlertState(
                key=f"{rule.kind}:{queue}", kind=rule.kind, subject=queue, firing=firing,
                message=message,
            )  # fmt: skip

        now = self.now()
        if rule.kind == "failure_rate":
            series = [s for s in histories[rule.window].series if s.queue == queue]
            done = sum(sum(s.completed) for s in series)
            failed = sum(s.failures for s in series)
            runs = done + failed
            rate = failed / runs if runs else 0.0
            firing = runs >= rule.min_jobs and rate > rule.above
            # Messages stay short: the Alerts screen shows them whole at 80 columns.
            return state(firing, f"{failed}/{runs} failed in {rule.window} ({rate:.0%})")
        if rule.kind == "no_worker":
            status = None
            for group in health.groups.values() if health else []:
                status = (group.workers or {}).get(queue) or status
            running = status is not None and status.is_running
            return state(not running, "a live worker runs it" if running else "no live worker")
        s = stats.get(queue, QueueStats(name=queue))
        if rule.kind == "paused_too_long":
            if not s.paused or s.paused_at is None:
                return state(False, "not paused")
            held = (now - s.paused_at).total_seconds()
            return state(
                held > rule.minutes * 60, f"paused {_minutes(held)}, limit {rule.minutes:g}m"
            )
        oldest = await self.reads.oldest_waiting(queue) if s.waiting else None
        if oldest is None:
            return state(False, "nothing waiting")
        waited = (now - oldest.enqueued_at).total_seconds()
        return state(
            waited > rule.minutes * 60, f"waiting {_minutes(waited)}, limit {rule.minutes:g}m"
        )

    def _schedule_missed(self, rule: AlertRule, schedules: list[ScheduleInfo]) -> list[AlertState]:
        chosen = [s for s in schedules if rule.subject in ("*", s.name)]
        if not chosen:
            names = ", ".join(s.name for s in schedules)
            raise ConfigError(
                f"config error: alerts.schedule_missed names no schedule {rule.subject!r} "
                f"(schedules: {names})"
            )
        states = []
        for s in chosen:
            late = (
                0.0 if s.missed_since is None else (s.checked_at - s.missed_since).total_seconds()
            )
            firing = s.missed > 0 and late > rule.minutes * 60
            message = (
                f"{s.missed} missed, first {_minutes(late)} ago" if s.missed else "no missed run"
            )
            states.append(
                AlertState(
                    key=f"schedule_missed:{s.name}",
                    kind="schedule_missed",
                    subject=s.name,
                    firing=firing,
                    message=message,
                )
            )
        return states


async def _none() -> None:
    return None
