"""Which ffmpeg runs: the system's when one is on PATH, else imageio-ffmpeg's; an
$YGMON_FFMPEG that names nothing is a one-line config error."""

from __future__ import annotations

import os
from pathlib import Path

import imageio_ffmpeg
import pytest

from ygmon.errors import ConfigError
from ygmon.pipelines.media.ffmpeg_binary import FFMPEG_ENV, ffmpeg_exe


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(FFMPEG_ENV, raising=False)
    ffmpeg_exe.cache_clear()
    yield monkeypatch
    ffmpeg_exe.cache_clear()


def test_without_a_system_ffmpeg_the_bundled_one_runs(fresh, tmp_path: Path) -> None:
    fresh.setenv("PATH", str(tmp_path))
    assert ffmpeg_exe() == imageio_ffmpeg.get_ffmpeg_exe()


def test_a_system_ffmpeg_on_path_wins(fresh, tmp_path: Path) -> None:
    # A real ffmpeg installed on PATH (the bundled binary, linked under that name).
    (tmp_path / "ffmpeg").symlink_to(imageio_ffmpeg.get_ffmpeg_exe())
    fresh.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    assert ffmpeg_exe() == str(tmp_path / "ffmpeg")


def test_an_ffmpeg_env_naming_nothing_is_a_config_error(fresh, tmp_path: Path) -> None:
    fresh.setenv(FFMPEG_ENV, str(tmp_path / "nope"))
    with pytest.raises(ConfigError, match=f"{FFMPEG_ENV}=.*nope is not found"):
        ffmpeg_exe()
