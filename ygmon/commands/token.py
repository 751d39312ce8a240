"""`ygmon token --role ADMIN [--user ID] [--ttl SECONDS]`: print a bearer token.

Signed with the same secret `ygmon serve` verifies with (the profile's jwt_secret, or
the local profile's generated one).
"""

from __future__ import annotations

import argparse

from ygmon.commands.common import require_positive, settings_from
from ygmon.enums import UserRole
from ygmon.profile_targets import local_profile


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("token", help="print a JWT for `ygmon serve`")
    parser.add_argument(
        "--role", required=True, choices=[r.value for r in UserRole], help="the token's role"
    )
    parser.add_argument("--user", default="ygmon-admin", metavar="ID", help="the user id (sub)")
    parser.add_argument(
        "--ttl", type=float, default=3600.0, metavar="SECONDS", help="lifetime (default 3600)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ygmon.api.auth import issue_token
    from ygmon.storage.secret import signing_secret

    require_positive(args.ttl, "--ttl expects a positive number of seconds")
    profile = local_profile(settings_from(args), "token")
    print(issue_token(signing_secret(profile), args.role, args.user, args.ttl))
    return 0
