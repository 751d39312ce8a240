"""Text edited in the user's editor ($VISUAL, else $EDITOR, else vi): written to a
temporary file, the editor run on it, the file read back. The caller suspends the
terminal app around it (Textual's App.suspend); `ygmon jobs replay --edit` calls it as is.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from ygmon.errors import ConfigError


def editor_command() -> list[str]:
    """The editor to run, split as a shell would (`code --wait` is two words)."""
    chosen = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    return shlex.split(chosen)


def edit_text(text: str, suffix: str = ".json") -> str:
    """`text` as the user left it in the editor; ConfigError when the editor cannot be
    run or exits with an error (what was typed is then not used)."""
    with tempfile.TemporaryDirectory(prefix="ygmon-edit-") as folder:
        path = Path(folder) / f"arguments{suffix}"
        path.write_text(text, encoding="utf-8")
        command = editor_command()
        try:
            done = subprocess.run([*command, str(path)], check=False)
        except OSError as exc:
            raise ConfigError(f"cannot run the editor {command[0]!r}: {exc}") from None
        if done.returncode != 0:
            raise ConfigError(f"the editor {command[0]!r} exited with {done.returncode}")
        return path.read_text(encoding="utf-8")
