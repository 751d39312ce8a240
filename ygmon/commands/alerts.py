"""`ygmon alerts --once [--json]`: apply the profile's alert rules now and exit 1 when
any fires, 0 otherwise (for cron, a tmux status line or a monitoring agent);
`ygmon alerts --watch [--interval S]`: check every S seconds and print each change."""

from __future__ import annotations

import argparse
import sys

from ygmon.commands.common import require_positive, settings_from
from ygmon.commands.table import one_line
from ygmon.errors import ConfigError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("alerts", help="check the profile's alert rules")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--once", action="store_true", help="check once; exit 1 if any fires")
    mode.add_argument("--watch", action="store_true", help="check repeatedly, print changes")
    parser.add_argument("--json", action="store_true", help="print JSON (with --once)")
    parser.add_argument(
        "--interval", type=float, default=30.0, metavar="S", help="seconds between checks"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import asyncio

    from ygmon.monitor.factory import make_monitor

    require_positive(args.interval, "--interval expects a number of seconds greater than 0")
    settings = settings_from(args)
    if not (settings.profile.alerts or settings.profile.slo):
        where = settings.source or "built-in defaults"
        print(
            f"ygmon: profile '{settings.profile_name}' ({where}) has no alert rules",
            file=sys.stderr,
        )

    async def once() -> int:
        import json

        monitor = make_monitor(settings)
        try:
            states = await monitor.alerts()
        finally:
            await monitor.close()
        firing = [s for s in states if s.firing]
        if args.json:
            print(json.dumps([s.to_json() for s in states], indent=2))
        else:
            for s in firing:
                print(f"FIRING {s.kind} {s.subject}: {one_line(s.message)}")
            if not firing:
                print(f"ok: {len(states)} rule checks, none firing")
        return 1 if firing else 0

    async def watch() -> int:
        from datetime import UTC, datetime

        from ygmon.errors import YgmonError

        monitor = make_monitor(settings)
        seen: dict[str, bool] = {}
        failing: str | None = None
        try:
            while True:
                stamp = datetime.now(UTC).strftime("%H:%M:%S")
                try:
                    states = await monitor.alerts()
                except ConfigError:
                    raise
                except YgmonError as exc:
                    # One line when the backend stops answering, then quiet until it does.
                    if exc.message != failing:
                        print(f"{stamp} cannot check: {exc.message}", flush=True)
                    failing = exc.message
                    await asyncio.sleep(args.interval)
                    continue
                failing = None
                for s in states:
                    if seen.get(s.key, False) != s.firing:
                        word = "FIRING" if s.firing else "resolved"
                        if s.firing or s.key in seen:
                            line = f"{stamp} {word} {s.kind} {s.subject}: {one_line(s.message)}"
                            print(line, flush=True)
                    seen[s.key] = s.firing
                await asyncio.sleep(args.interval)
        finally:
            await monitor.close()

    return asyncio.run(once() if args.once else watch())
