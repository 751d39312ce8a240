"""The `latency_burn` alert: a queue's latency target (ygmon.slo_config) spending its
error budget fast, by the multi-window burn-rate rule of SRE practice.

A target "p95 wait < 30s" allows 5% of the queue's waits (its budget) over 30 s. The
burn rate over a window is the share over the threshold divided by the budget: 1 spends
the budget exactly as fast as allowed. The alert fires while the rate is above
FAST_BURN over the last hour and over the last 5 minutes alike: the hour says the burn
is real, the 5 minutes that it still goes on, so the alert clears soon after the queue
recovers. FAST_BURN is the SRE workbook's paging rate, 14.4 (2% of a 30-day budget in an
hour), lowered for large budgets to halfway between 1 and the highest rate possible
(1 / budget: every job slow), which a p95 or p50 target could not otherwise reach.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

from ygmon.job_latency import LatencyShare
from ygmon.monitor.queue_control_schemas import AlertState
from ygmon.slo_config import LatencyTarget

KIND = "latency_burn"
LONG_MINUTES = 60
SHORT_MINUTES = 5
PAGE_BURN = 14.4


class ShareReads(Protocol):
    async def latency_share(
        self, queue: str, kind: str, over_ms: float, minutes: int
    ) -> LatencyShare: ...


def fast_burn(budget: float) -> float:
    """The burn rate above which the alert fires, for a target allowing `budget`."""
    return min(PAGE_BURN, (1 + 1 / budget) / 2)


def burn_rate(share: LatencyShare, budget: float) -> float:
    return share.over / share.count / budget if share.count else 0.0


def judge(target: LatencyTarget, short: LatencyShare, long: LatencyShare) -> AlertState:
    limit = fast_burn(target.budget)
    rates = burn_rate(short, target.budget), burn_rate(long, target.budget)
    firing = all(r > limit for r in rates)
    # Short: the Alerts screen shows messages whole at 80 columns.
    message = (
        f"{target.text}: burn {rates[0]:.1f}x in {SHORT_MINUTES}m, {rates[1]:.1f}x in "
        f"{LONG_MINUTES}m (fast: >{limit:.1f}x)"
    )
    return AlertState(
        key=f"{KIND}:{target.queue}:{target.text}",
        kind=KIND,
        subject=target.queue,
        firing=firing,
        message=message,
    )


async def burn_states(reads: ShareReads, targets: list[LatencyTarget]) -> list[AlertState]:
    """One state per target: two reads each (the short and the long window)."""
    shares = await asyncio.gather(
        *(
            reads.latency_share(t.queue, t.kind, t.below_ms, minutes)
            for t in targets
            for minutes in (SHORT_MINUTES, LONG_MINUTES)
        )
    )
    return [judge(t, shares[2 * i], shares[2 * i + 1]) for i, t in enumerate(targets)]
