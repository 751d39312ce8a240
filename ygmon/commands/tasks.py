"""`ygmon tasks [--csv | --json]`: every task a worker runs, with its queue, whether it
is paused (and its jobs waiting) and its rate limit (and its starts of the last minute);
`ygmon tasks pause|resume NAME`: hold one task's jobs while its queue's other tasks run;
`ygmon tasks rate NAME N | --clear`: at most N starts a minute across the deployment.
Through the Monitor, so a remote profile changes the server's tasks; a read-only backend
refuses with its reason."""

from __future__ import annotations

import argparse

from ygmon.commands.common import add_amount, add_named_action
from ygmon.commands.listing import act_on, add_format_flags, ask, print_rows
from ygmon.queues import MAX_RATE


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "tasks", help="list every task's pause and rate (--csv / --json), or change one"
    )
    add_format_flags(parser)
    parser.set_defaults(handler=run_list)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=False)
    for action, words in (
        ("pause", "its jobs wait, on every host, while its queue's other tasks run"),
        ("resume", "its jobs run again"),
    ):
        add_named_action(actions, action, words, "task", "ygmon tasks").set_defaults(
            handler=run_change
        )
    words = "at most N starts a minute across the deployment"
    rate = add_named_action(actions, "rate", words, "task", "ygmon tasks")
    rate.set_defaults(handler=run_change)
    add_amount(rate, "per_minute", "PER_MINUTE", MAX_RATE, "starts a minute", "drop the rate")


def _waiting(task) -> str:
    if task.waiting is None:
        return "-"
    return f"{task.waiting}" if task.waiting_exact else f">={task.waiting}"


def run_list(args: argparse.Namespace) -> int:
    from ygmon.monitor.live_control_schemas import TaskControl

    controls = ask(args, lambda monitor: monitor.live_controls())
    return print_rows(
        args,
        controls.tasks,
        TaskControl,
        lambda t: (
            t.task,
            t.queue,
            "yes" if t.paused else "no",
            _waiting(t),
            t.per_minute,
            t.last_minute,
        ),
        ("TASK", "QUEUE", "PAUSED", "WAITING", "RATE/MIN", "LAST MIN"),
    )


def run_change(args: argparse.Namespace) -> int:
    if args.action == "rate" and (args.per_minute is None) == (not args.clear):
        args.parser.error("give a PER_MINUTE or --clear (not both)")

    def act(monitor):
        if args.action == "pause":
            return monitor.pause_task(args.task)
        if args.action == "resume":
            return monitor.resume_task(args.task)
        if args.clear:
            return monitor.clear_task_rate(args.task)
        return monitor.set_task_rate(args.task, args.per_minute)

    result = act_on(args, "task", args.task, "ygmon tasks", act)
    if result is None:
        return 0
    name = f"{result.task} ({result.queue})"
    if args.action == "rate":
        limit = result.per_minute
        print(
            f"{name}: " + ("no rate limit" if limit is None else f"at most {limit} starts a minute")
        )
    elif result.paused:
        by = f" by {result.paused_by}" if result.paused_by else ""
        print(f"{name}: paused{by} (its jobs wait; the queue's other tasks run)")
    else:
        print(f"{name}: running")
    return 0
