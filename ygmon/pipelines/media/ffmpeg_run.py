"""Running one ffmpeg-python stream with a hard time limit.

Every run gets `-nostdin` (ffmpeg reading the terminal would hang a worker) and
`-loglevel error` (stderr is small and holds only what went wrong). Past `timeout`
the process is killed and reaped, and FfmpegTimeoutError raised; a non-zero exit
raises MediaError with `message` and ffmpeg's stderr as its detail.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from ygmon.pipelines.media.errors import FfmpegTimeoutError, MediaError
from ygmon.pipelines.media.ffmpeg_binary import ffmpeg_exe

STDERR_LIMIT = 8000
# Failures of the output, not of the source: the sentence must not blame the upload.
_STORAGE_ERRORS = (
    ("No space left on device", "Preview could not be stored: the media disk is full"),
    ("File too large", "Preview could not be stored: the file size limit was reached"),
    ("Permission denied", "Preview could not be stored: permission denied"),
)


def command(stream: Any) -> list[str]:
    """The whole command line of `stream` (for the bench's bare run and for tests)."""
    return [ffmpeg_exe(), *_quiet(stream).get_args()]


def _quiet(stream: Any) -> Any:
    return stream.global_args("-hide_banner", "-nostdin", "-loglevel", "error").overwrite_output()


def run(stream: Any, *, timeout: float, message: str, root: Path | None = None) -> None:
    """Run `stream`; ffmpeg's words name files relative to `root` (the storage's), as
    their keys: the job's error reaches clients, the server's paths must not."""
    proc = _quiet(stream).run_async(cmd=ffmpeg_exe(), pipe_stdout=True, pipe_stderr=True)
    try:
        _out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        _out, err = proc.communicate()
        raise FfmpegTimeoutError(
            f"Preview generation took longer than {timeout:g} s and was stopped",
            _tail(err, root),
        ) from None
    except BaseException:
        proc.kill()
        proc.communicate()
        raise
    if proc.returncode != 0:
        detail = _tail(err, root) or f"ffmpeg exit status {proc.returncode}"
        for words, sentence in _STORAGE_ERRORS:
            if words in detail:
                raise MediaError(sentence, detail)
        raise MediaError(message, detail)


def _tail(err: bytes | None, root: Path | None) -> str:
    text = (err or b"").decode(errors="replace").strip()
    if root is not None:
        text = text.replace(f"file:{root}/", "").replace(f"{root}/", "")
    return text[-STDERR_LIMIT:]
