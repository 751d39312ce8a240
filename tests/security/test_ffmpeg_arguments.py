"""ffmpeg never receives a user string as an option: every path that comes from an
upload (its name, its storage key) reaches the command line only as a `file:` URL, so
a name such as `-f lavfi -i ...` or `concat:...` is a file name and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from ygmon.pipelines.media import recipes
from ygmon.pipelines.media.ffmpeg_run import command

HOSTILE = [
    "-f lavfi -i testsrc.mp4",
    "-y",
    "concat:/etc/passwd|x.mp4",
    "http://169.254.169.254/x.mp4",
    "$(touch pwned).mp4",
    "a;rm -rf ~.mp4",
]


def _commands(source: Path, out: Path) -> list[list[str]]:
    clip = recipes.Clip(start=1.0, length=5.0)
    return [
        command(recipes.video_preview(source, out, clip, has_audio=True)),
        command(recipes.audio_preview(source, out, clip)),
        command(recipes.video_thumbnail(source, out, 10.0)),
        command(recipes.audio_waveform(source, out)),
    ]


@pytest.mark.parametrize("name", HOSTILE)
def test_an_uploaded_name_is_only_ever_a_file_url(tmp_path: Path, name: str) -> None:
    source = tmp_path / "uploads" / name
    out = tmp_path / "previews" / f"{name}.out.mp4"
    for argv in _commands(source, out):
        carrying = [arg for arg in argv if str(source) in arg or str(out) in arg]
        assert carrying, argv
        for arg in carrying:
            assert arg.startswith("file:/"), (arg, argv)
        # The input is restricted to local files, whatever its text says.
        assert argv[argv.index("-protocol_whitelist") + 1] == "file", argv
