"""`ygmon outbox [--limit N]`: the messages the local outbox "sent", newest last."""

from __future__ import annotations

import argparse

from ygmon.cli_numbers import integer
from ygmon.commands.common import settings_from
from ygmon.commands.table import print_table, when
from ygmon.errors import ConfigError
from ygmon.profile_targets import local_profile


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("outbox", help="list the e-mails written to the local outbox")
    parser.add_argument(
        "--limit", type=integer(1, 100_000), default=50, metavar="N", help="last N (default 50)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ygmon.mail.outbox import list_outbox

    profile = local_profile(settings_from(args), "outbox")
    if args.limit < 1:
        raise ConfigError("--limit expects a whole number of at least 1")
    if profile.mail_backend != "outbox":
        print(
            f"mail_backend is '{profile.mail_backend}': messages go to "
            f"{profile.smtp_host}:{profile.smtp_port}, not to an outbox"
        )
        return 0
    entries = list_outbox(profile.outbox_dir)
    print_table(
        ("DATE", "TO", "FILE", "SUBJECT"),
        ((when(e.date), e.to, e.path.name, e.subject) for e in entries[-args.limit :]),
    )
    print(f"{len(entries)} message{'s' if len(entries) != 1 else ''} in {profile.outbox_dir}")
    return 0
