"""`ygmon enqueue preview|thumbnail ASSET_ID`: an admin forcing a media job past the
gate, still refused for an INFECTED asset and for assets that are not video or audio."""

from __future__ import annotations

from ygmon.db import Database
from ygmon.errors import ConfigError, NotFoundError
from ygmon.job_ids import new_job_id
from ygmon.pipelines.media import source
from ygmon.pipelines.media.assets import locked_asset
from ygmon.pipelines.media.errors import MediaError


async def forced_job(database_url: str, asset_id: str, task: str) -> str:
    """The job id to enqueue, recorded as the asset's media job; ConfigError (one
    line) when the asset is missing, infected or not video/audio."""
    db = Database(database_url)
    try:
        async with db.writer() as session:
            try:
                asset = await locked_asset(session, asset_id)
                source.usable(asset)
            except (NotFoundError, MediaError) as exc:
                raise ConfigError(f"enqueue: asset {asset_id}: {exc.message}") from None
            job_id = new_job_id()
            asset.media_job_id = job_id
        return job_id
    finally:
        await db.dispose()
