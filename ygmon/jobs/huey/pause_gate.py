"""The worker's side of a pause: a dequeue of a paused queue takes nothing (the paused
set comes from the process's ControlGate, ygmon.jobs.huey.control_gate)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from huey.api import Huey as _Huey
else:
    _Huey = object

from ygmon.jobs.huey.control_gate import STOPS_WITHIN, ControlGate

__all__ = ["STOPS_WITHIN", "GateHooks", "PausableDequeue"]


class GateHooks(Protocol):
    """What the runtime lends (ygmon.jobs.huey.broker.QueueHooks)."""

    queue: str
    gate: ControlGate | None


class PausableDequeue(_Huey):
    """Huey mixin: `dequeue` returns nothing while the runtime's gate says the queue
    is paused."""

    hooks: GateHooks

    def dequeue(self) -> Any:
        # Huey.dequeue: nothing is taken off a paused queue.
        gate = self.hooks.gate
        if gate is not None and gate.paused(self.hooks.queue):
            if self.storage.blocking:
                # Huey's worker loops at once after an empty dequeue of a blocking
                # storage (it expects the dequeue itself to have waited).
                time.sleep(gate.refresh)
            return None
        return super().dequeue()
