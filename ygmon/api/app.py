"""The ASGI app of `ygmon serve`: the routers behind the guard, over one LocalMonitor."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from fastapi import FastAPI

from ygmon import __version__
from ygmon.api import (
    routes_assets,
    routes_audit,
    routes_backfill,
    routes_contract,
    routes_coverage,
    routes_extension,
    routes_history,
    routes_job_ops,
    routes_latency,
    routes_live_control,
    routes_media,
    routes_queue_control,
    routes_replay,
    routes_search,
    routes_stream,
)
from ygmon.api.errors import install_error_handlers
from ygmon.api.etags import ETags
from ygmon.api.guard import Guard
from ygmon.api.media_base import MediaBase
from ygmon.api.rate_limit import PER_MINUTE, RateLimiter, make_storage
from ygmon.api.request_limits import RequestLimits
from ygmon.api.stream_feed import StreamFeed
from ygmon.config import LocalProfile
from ygmon.monitor.local import LocalMonitor
from ygmon.monitor.user_roles import UserRoles
from ygmon.storage.secret import signing_secret


def create_app(
    profile: LocalProfile,
    *,
    read_only: bool | None = None,
    clock: Callable[[], datetime] | None = None,
    per_minute: int = PER_MINUTE,
) -> FastAPI:
    """The admin API over `profile`'s database and job registry.

    ConfigError when the JWT secret is too short. `read_only` defaults to the profile's.
    """
    read_only = profile.read_only if read_only is None else read_only
    secret = signing_secret(profile)
    monitor = LocalMonitor(profile, clock, read_only=read_only)

    feed = StreamFeed(monitor)
    user_roles = UserRoles(monitor.read) if profile.require_known_users else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await feed.close()
            await monitor.close()

    app = FastAPI(
        title="ygmon admin API",
        version=__version__,
        description=(
            "The platform's Admin Job Monitoring API. Endpoints marked "
            "`x-ygmon-extension` (tag `extension`) are ygmon's additions to the contract."
        ),
        lifespan=lifespan,
    )
    app.state.monitor = monitor
    app.state.read_only = read_only
    app.state.feed = feed
    app.state.max_streams = profile.max_streams
    app.state.user_roles = user_roles
    install_error_handlers(app)
    app.include_router(routes_contract.router)
    app.include_router(routes_extension.router)
    app.include_router(routes_history.router)
    app.include_router(routes_latency.router)
    app.include_router(routes_coverage.router)
    app.include_router(routes_search.router)
    app.include_router(routes_assets.router)
    app.include_router(routes_media.router)
    app.include_router(routes_audit.router)
    app.include_router(routes_queue_control.router)
    app.include_router(routes_job_ops.router)
    app.include_router(routes_replay.router)
    app.include_router(routes_backfill.router)
    app.include_router(routes_live_control.router)
    app.include_router(routes_stream.snapshot_router)
    if profile.max_streams > 0:
        app.include_router(routes_stream.stream_router)
    app.add_middleware(ETags)
    app.add_middleware(
        Guard,
        secret=secret,
        limiter=RateLimiter(make_storage(profile), per_minute),
        read_only=read_only,
        user_roles=user_roles,
    )
    if not profile.media_base_url:
        app.add_middleware(MediaBase)
    # Added last, so it runs first: an oversized head is refused before the guard
    # parses its token.
    app.add_middleware(RequestLimits)
    return app
