"""The demo's ffmpeg is the pipeline's (ygmon.pipelines.media.ffmpeg_binary)."""

from ygmon.pipelines.media.ffmpeg_binary import FFMPEG_ENV, ffmpeg_exe

__all__ = ["FFMPEG_ENV", "ffmpeg_exe"]
