"""The media pipeline's failures: a short sentence for the asset's `previewError`, with
ffmpeg's own words kept for the job's error stack."""

from __future__ import annotations

from ygmon.errors import YgmonError


class MediaError(YgmonError):
    """A human sentence ("Source file is not a valid video"); `detail` is the tool's
    output (ffmpeg's stderr), for the job's error stack, never for the asset."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.message}\n{self.detail}" if self.detail else self.message


class InvalidMediaError(MediaError):
    """The source is not media of the asset's type."""


class FfmpegTimeoutError(MediaError):
    """An ffmpeg run passed its time limit and was killed."""
