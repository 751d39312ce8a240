"""`ygmon serve [--host H] [--port P] [--read-only]`: the admin REST API on uvicorn."""

from __future__ import annotations

import argparse

from ygmon.cli_numbers import integer
from ygmon.commands.common import settings_from
from ygmon.profile_targets import local_profile


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("serve", help="serve the admin REST API (FastAPI on uvicorn)")
    parser.add_argument("--host", help="address to bind (default: the profile's, 127.0.0.1)")
    parser.add_argument(
        "--port", type=integer(1, 65535), help="port (default: the profile's, 8420)"
    )
    parser.add_argument(
        "--read-only",
        dest="serve_read_only",
        action="store_true",
        default=None,
        help="refuse retries (403) and say so in an X-Ygmon-Read-Only header",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from ygmon.api.app import create_app
    from ygmon.api.request_limits import MAX_HEAD_BYTES, HeadDeadlineH11Protocol

    profile = local_profile(settings_from(args), "serve")
    read_only = bool(args.serve_read_only or args.read_only or profile.read_only)
    app = create_app(profile, read_only=read_only)  # ConfigError on a weak secret
    host = args.host or profile.serve_host
    port = args.port or profile.serve_port
    mode = " (read-only)" if read_only else ""
    print(f"ygmon serve on http://{host}:{port}{mode}", flush=True)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        http=HeadDeadlineH11Protocol,
        h11_max_incomplete_event_size=MAX_HEAD_BYTES,
        # uvicorn's default believes X-Forwarded-For from 127.0.0.1: any local process
        # could then forge the address the audit log records and the per-address
        # rate limit counts. Only the configured proxies are believed.
        proxy_headers=bool(profile.trusted_proxies),
        forwarded_allow_ips=list(profile.trusted_proxies) or None,
    )
    return 0
