"""The changes the Queues screen's dialogs choose (ygmon.screens.limit_dialog,
ygmon.screens.task_dialog), made through the monitor; each answers what to say of it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ygmon.screens.limit_dialog import LimitChoice
from ygmon.screens.task_dialog import TaskChoice

if TYPE_CHECKING:
    from ygmon.monitor.protocol import Monitor


async def change_limit(monitor: Monitor, queue: str, choice: LimitChoice) -> str:
    if choice.limit is None:
        await monitor.clear_queue_limit(queue)
        return f"Queue {queue}: no limit."
    done = await monitor.set_queue_limit(queue, choice.limit, choice.scope)
    where = "on each host" if done.scope == "host" else "across hosts"
    return f"Queue {queue}: at most {done.limit} active {where}."


async def change_task(monitor: Monitor, choice: TaskChoice) -> str:
    name = choice.task
    if choice.action == "pause":
        await monitor.pause_task(name)
        return f"Task {name} paused: its jobs wait."
    if choice.action == "resume":
        await monitor.resume_task(name)
        return f"Task {name} resumed."
    if choice.action == "rate" and choice.per_minute is not None:
        await monitor.set_task_rate(name, choice.per_minute)
        return f"Task {name}: at most {choice.per_minute} starts a minute."
    await monitor.clear_task_rate(name)
    return f"Task {name}: no rate limit."
