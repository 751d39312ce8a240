"""The demo's video and audio uploads: raw inputs only.

The rows are what an upload leaves (title, type, file, a CLEAN scan); no thumbnail,
preview, preview state, URL or size is written here. With a media folder the files are
real (ygmon.demo.media) and go in through the import path
(ygmon.pipelines.media.assets.import_file), which enqueues each thumbnail job; the live
worker then makes thumbnails and previews, so the Previews screen fills in from
generating to ready, and the corrupt upload ends failed with its error. Without one,
the rows carry a storage key and an estimated size only (and no job is enqueued).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ygmon.db.models import AssetType, ScanStatus
from ygmon.demo import media
from ygmon.demo import vocabulary as words
from ygmon.demo.context import SeedContext

KEY_PREFIX = "demo"


@dataclass(frozen=True)
class Upload:
    kind: AssetType
    seconds: int
    size: str = ""
    rate: int = 0
    corrupt: bool = False

    @property
    def suffix(self) -> str:
        return ".mp4" if self.kind == AssetType.VIDEO else ".mp3"

    @property
    def estimated_size(self) -> int:
        if self.corrupt:
            return 60_000
        return self.seconds * (300_000 if self.kind == AssetType.VIDEO else 128_000) // 8


# One per title of the vocabulary, in order.
VIDEO_UPLOADS = (
    Upload(AssetType.VIDEO, 60, "1920x1080", 10),  # 60 s 1080p with sound
    Upload(AssetType.VIDEO, 12, "640x480", 15),  # 4:3: padded to 1280x720
    Upload(AssetType.VIDEO, 6, "640x360", 15),
    Upload(AssetType.VIDEO, 3, "320x240", 15),  # shorter than the 10 s clip
    Upload(AssetType.VIDEO, 0, corrupt=True),  # the broken upload
)
AUDIO_UPLOADS = (
    Upload(AssetType.AUDIO, 180),  # a 3-minute MP3
    Upload(AssetType.AUDIO, 45),
    Upload(AssetType.AUDIO, 20),
    Upload(AssetType.AUDIO, 8),
    Upload(AssetType.AUDIO, 4),
)


@dataclass
class AssetPlan:
    rows: list[dict[str, Any]] = field(default_factory=list)
    uploads: list[Upload] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    """The stored originals (filled in by `import_uploads`)."""


def plan_assets(ctx: SeedContext, creator_ids: list[str], project_ids: list[str]) -> AssetPlan:
    plan = AssetPlan()
    for titles, uploads in (
        (words.VIDEO_TITLES, VIDEO_UPLOADS),
        (words.AUDIO_TITLES, AUDIO_UPLOADS),
    ):
        for title, upload in zip(titles, uploads, strict=True):
            asset_id = ctx.new_id()
            created = ctx.ago(days=ctx.rng.uniform(1, 60))
            video = upload.kind == AssetType.VIDEO
            plan.uploads.append(upload)
            plan.rows.append(
                {
                    "id": asset_id,
                    "title": title,
                    "description": (
                        f"{title}. An upload that broke on its way."
                        if upload.corrupt
                        else f"{title}. A {upload.seconds}-second demo "
                        f"{'clip' if video else 'track'}."
                    ),
                    "tags": sorted(ctx.rng.sample(words.TAGS, 3)),
                    "type": upload.kind,
                    "mime_type": "video/mp4" if video else "audio/mpeg",
                    "file_size": upload.estimated_size,
                    "storage_key": f"{KEY_PREFIX}/originals/{asset_id}{upload.suffix}",
                    "scan_status": ScanStatus.CLEAN,
                    "creator_id": ctx.choice(creator_ids),
                    "project_id": ctx.choice(project_ids) if ctx.rng.random() < 0.5 else None,
                    "created_at": created,
                    "updated_at": created,
                }
            )
    return plan


def _job(upload: Upload, path: Path, tone_hz: int) -> media.MediaJob:
    if upload.corrupt:
        return media.corrupt_file(path)
    if upload.kind == AssetType.VIDEO:
        return media.video_file(
            path, seconds=upload.seconds, size=upload.size, rate=upload.rate, tone_hz=tone_hz
        )
    return media.audio_file(path, seconds=upload.seconds, tone_hz=tone_hz)


async def import_uploads(
    db: Any, media_dir: Path, plan: AssetPlan, enqueue: Callable[..., str] | None
) -> None:
    """Make each upload's file, then store it as its asset through the import path."""
    from ygmon.pipelines.media.assets import import_file
    from ygmon.storage import LocalStorage

    storage = LocalStorage(media_dir)
    tones = (220, 330, 440, 523, 660)
    with tempfile.TemporaryDirectory(prefix="ygmon-demo-uploads-") as staging:
        paths = [Path(staging) / f"upload-{n}{u.suffix}" for n, u in enumerate(plan.uploads)]
        jobs = [
            _job(u, p, tones[n % 5])
            for n, (u, p) in enumerate(zip(plan.uploads, paths, strict=True))
        ]
        await media.make_all(jobs)
        for row, upload, path in zip(plan.rows, plan.uploads, paths, strict=True):
            fields = {k: row[k] for k in ("description", "tags", "project_id", "created_at")}
            fields["updated_at"] = row["updated_at"]
            done = await import_file(
                db, storage, path, enqueue,
                kind=upload.kind, title=row["title"], scan=row["scan_status"],
                creator_id=row["creator_id"], asset_id=row["id"], key_prefix=f"{KEY_PREFIX}/",
                fields=fields,
            )  # fmt: skip
            row["file_size"] = done.file_size
            plan.files.append(storage.path(done.storage_key))
