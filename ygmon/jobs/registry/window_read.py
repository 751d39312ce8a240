"""What a window's answer (history, latency) reads: the window's steps, ending with the
step that holds now, and the queue and task it is narrowed to."""

from __future__ import annotations

from dataclasses import dataclass

from ygmon.job_history import WINDOW_STEPS, HistoryWindow


@dataclass(frozen=True)
class WindowRead:
    window: HistoryWindow
    now: float
    """Epoch seconds, by the registry's clock."""
    queue: str | None = None
    """Only this queue (None: every queue)."""
    task: str | None = None
    """Only this task (None: every task)."""

    @property
    def step(self) -> int:
        """Seconds per step (a bucket's width)."""
        return WINDOW_STEPS[self.window][0]

    @property
    def steps(self) -> int:
        return WINDOW_STEPS[self.window][1]

    @property
    def end(self) -> int:
        """The end of the step holding now: the window's last step is never cut short."""
        return (int(self.now) // self.step + 1) * self.step

    @property
    def start(self) -> int:
        return self.end - self.step * self.steps

    def keeps(self, queue: str, task: str) -> bool:
        """Whether a bucket of `queue` and `task` is one this read asks for."""
        return (self.queue is None or queue == self.queue) and (
            self.task is None or task == self.task
        )
