"""Which ffmpeg to run: the system's when on PATH, else the one imageio-ffmpeg ships.

Shared by the media pipeline and the demo; `$YGMON_FFMPEG` names another one.
"""

from __future__ import annotations

import os
import shutil
from functools import cache

from ygmon.errors import ConfigError

FFMPEG_ENV = "YGMON_FFMPEG"


@cache
def ffmpeg_exe() -> str:
    """The path of an ffmpeg executable: $YGMON_FFMPEG, then PATH, then imageio-ffmpeg's."""
    explicit = os.environ.get(FFMPEG_ENV)
    if explicit:
        if not shutil.which(explicit):
            raise ConfigError(f"config error in environment: {FFMPEG_ENV}={explicit} is not found")
        return explicit
    on_path = shutil.which("ffmpeg")
    if on_path:
        return on_path
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError) as exc:
        raise ConfigError(
            f"no ffmpeg found: install ffmpeg or the imageio-ffmpeg package ({exc})"
        ) from None
