"""Demo video and audio assets in the contract's three preview states, with real media.

Per type: three ready (preview_url set; metadata previewGenerated true with its time,
size and duration), one failed (metadata previewError) and one generating (metadata
previewGenerated false). storage_key is relative to the profile's media_dir; a
preview_url is a file:// URL of the real preview when media files were made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ygmon.db.models import AssetType, ScanStatus
from ygmon.demo import media
from ygmon.demo import vocabulary as words
from ygmon.demo.context import SeedContext, iso

STATES = ("ready", "ready", "ready", "failed", "generating")
KEY_PREFIX = "demo"
# Preview lengths of the contract: 10 s of video, 30 s of audio (or the whole original).
PREVIEW_SECONDS = {AssetType.VIDEO: 10, AssetType.AUDIO: 30}
# Bitrates (bits/s) used to estimate sizes when no media directory was given.
_EST_BITRATE = {"original-VIDEO": 180_000, "original-AUDIO": 96_000}
_EST_BITRATE.update({"preview-VIDEO": 1_128_000, "preview-AUDIO": 128_000})


@dataclass
class AssetPlan:
    """The asset rows, and the ffmpeg runs that make their files."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    media: list[media.MediaJob] = field(default_factory=list)
    # (row, "original" | "preview", relative key, seconds): sizes to fill in once files exist.
    sized: list[tuple[dict[str, Any], str, str, int]] = field(default_factory=list)

    @property
    def files(self) -> list[Path]:
        return [out.path for job in self.media for out in job.outputs]


def plan_assets(ctx: SeedContext, creator_ids: list[str], project_ids: list[str]) -> AssetPlan:
    plan = AssetPlan()
    for kind, titles in (
        (AssetType.VIDEO, words.VIDEO_TITLES),
        (AssetType.AUDIO, words.AUDIO_TITLES),
    ):
        for title, state in zip(titles, STATES, strict=True):
            _plan_one(ctx, plan, kind, title, state, creator_ids, project_ids)
    return plan


def _plan_one(
    ctx: SeedContext,
    plan: AssetPlan,
    kind: AssetType,
    title: str,
    state: str,
    creator_ids: list[str],
    project_ids: list[str],
) -> None:
    asset_id = ctx.new_id()
    video = kind == AssetType.VIDEO
    seconds = ctx.rng.randint(2, 4) if video else ctx.rng.randint(3, 6)
    tone = ctx.choice((220, 330, 440, 523, 660))
    ext = "mp4" if video else "mp3"
    key = f"{KEY_PREFIX}/originals/{asset_id}.{ext}"
    thumb_key = f"{KEY_PREFIX}/thumbnails/{asset_id}.jpg" if video else None
    preview_key = f"{KEY_PREFIX}/previews/{asset_id}-preview.{ext}"
    created = ctx.ago(days=ctx.rng.uniform(1, 60))
    attempt = (
        ctx.ago(minutes=ctx.rng.uniform(0.5, 3))
        if state == "generating"
        else ctx.between(created, ctx.ago(hours=1))
    )
    row: dict[str, Any] = {
        "id": asset_id,
        "title": title,
        "description": f"{title}. A {seconds}-second demo {'clip' if video else 'track'}.",
        "tags": sorted(ctx.rng.sample(words.TAGS, 3)),
        "type": kind,
        "mime_type": "video/mp4" if video else "audio/mpeg",
        "file_size": None,
        "storage_key": key,
        "scan_status": ScanStatus.CLEAN,
        "thumbnail_url": _url(ctx, thumb_key) if thumb_key else None,
        "preview_url": None,
        "metadata_": None,
        "creator_id": ctx.choice(creator_ids),
        "project_id": ctx.choice(project_ids) if ctx.rng.random() < 0.5 else None,
        "created_at": created,
        "updated_at": attempt,
    }
    row["metadata_"] = _preview_metadata(ctx, state, attempt, min(seconds, PREVIEW_SECONDS[kind]))
    if state == "ready":
        row["preview_url"] = _url(ctx, preview_key)
        plan.sized.append((row, "preview", preview_key, min(seconds, PREVIEW_SECONDS[kind])))
    plan.rows.append(row)
    plan.sized.append((row, "original", key, seconds))
    if ctx.media_dir is None:
        return
    root = ctx.media_dir
    preview = root / preview_key if state == "ready" else None
    if video:
        job = media.video_asset(
            root / key, seconds=seconds, tone_hz=tone, thumbnail=root / thumb_key, preview=preview
        )
    else:
        job = media.audio_asset(root / key, seconds=seconds, tone_hz=tone, preview=preview)
    plan.media.append(job)


def _preview_metadata(
    ctx: SeedContext, state: str, attempt: datetime, duration: int
) -> dict[str, Any]:
    """The contract's AssetPreviewMetadata, camelCase; previewSize is filled in later."""
    if state == "ready":
        return {
            "previewGenerated": True,
            "previewGeneratedAt": iso(attempt),
            "previewLastAttempt": iso(attempt),
            "previewSize": None,
            "previewDuration": duration,
        }
    if state == "failed":
        return {
            "previewGenerated": False,
            "previewError": ctx.choice(words.PREVIEW_ERRORS),
            "previewLastAttempt": iso(attempt),
        }
    return {"previewGenerated": False, "previewLastAttempt": iso(attempt)}


def _url(ctx: SeedContext, key: str) -> str:
    if ctx.media_dir is None:
        return key
    return (ctx.media_dir / key).absolute().as_uri()


async def make_asset_files(ctx: SeedContext, plan: AssetPlan) -> None:
    """Run ffmpeg for every planned file, then record real sizes (estimates without media)."""
    if ctx.media_dir is not None:
        await media.make_all(plan.media)
    for row, what, key, seconds in plan.sized:
        size = _size(ctx, row, what, key, seconds)
        if what == "original":
            row["file_size"] = size
        else:
            row["metadata_"]["previewSize"] = size


def _size(ctx: SeedContext, row: dict[str, Any], what: str, key: str, seconds: int) -> int:
    if ctx.media_dir is not None:
        return (ctx.media_dir / key).stat().st_size
    return seconds * _EST_BITRATE[f"{what}-{row['type']}"] // 8
