"""`ygmon jobs replay ID [--queue Q] [--args JSON | --edit] [--json]`: run a finished job
again as a new job of its task, linked to it both ways. `--args` gives the new keyword
arguments; `--edit` opens the job's own in $EDITOR, shows the change as a diff and asks
for the job's short id before sending; neither replays them as they were. Arguments the
task does not declare, or of the wrong type, are listed and nothing is enqueued.
Through the Monitor, so a remote profile replays on the server (ADMIN, not read-only).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from ygmon.commands.common import settings_from
from ygmon.commands.job_show import queue_of
from ygmon.errors import ConfigError, InvalidQueryError


def register(actions: argparse._SubParsersAction) -> None:
    replay = actions.add_parser("replay", help="run a finished job again, arguments edited")
    replay.add_argument("job_id", metavar="ID", help="the job's id")
    replay.add_argument("--queue", metavar="Q", help="its queue (default: found by the id)")
    given = replay.add_mutually_exclusive_group()
    given.add_argument("--args", metavar="JSON", help="the new keyword arguments (an object)")
    given.add_argument("--edit", action="store_true", help="edit the arguments in $EDITOR")
    replay.add_argument("--json", action="store_true", help="print the answer as JSON")
    replay.set_defaults(handler=run_replay)


def _edited(old: dict[str, Any]) -> Any:
    from ygmon.monitor.replay_schemas import parse_edited
    from ygmon.tui.editor import edit_text

    text = json.dumps(old, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return parse_edited(edit_text(text))


def _confirmed(job_id: str) -> bool:
    from ygmon.widgets.job_id import confirm_code

    code = confirm_code(job_id)
    try:
        typed = input(f"Type {code} (the job's short id) to replay it: ")
    except EOFError:
        return False
    return typed.strip() in (code, job_id)


def run_replay(args: argparse.Namespace) -> int:
    from ygmon.monitor.factory import make_monitor
    from ygmon.monitor.replay_schemas import ReplayResult, issue_lines

    settings = settings_from(args)
    kwargs = None
    if args.args is not None:
        try:
            kwargs = json.loads(args.args)
        except ValueError as exc:
            raise ConfigError(f"--args is not JSON: {exc}") from None

    async def act() -> ReplayResult | None:
        monitor = make_monitor(settings)
        try:
            queue = args.queue or await queue_of(monitor, args.job_id)
            chosen = kwargs
            if args.edit:
                old = await monitor.job(queue, args.job_id)
                chosen = _edited(old.kwargs)
                dry = await monitor.replay(queue, args.job_id, chosen, dry_run=True)
                print("\n".join(dry.diff()) or "The arguments are unchanged.")
                if not _confirmed(args.job_id):
                    return None
            return await monitor.replay(queue, args.job_id, chosen)
        finally:
            await monitor.close()

    try:
        result = asyncio.run(act())
    except InvalidQueryError as exc:
        print("ygmon: the arguments do not fit the task; nothing was sent:", file=sys.stderr)
        for line in issue_lines(exc.details):
            print(f"  {line}", file=sys.stderr)
        return 1
    if result is None:
        print("Not replayed.", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(f"{result.job_id}  {result.queue}  {result.task}  replays {result.replay_of}")
    return 0
