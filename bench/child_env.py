"""The environment of a bench's child process (an app, a server, a worker)."""

from __future__ import annotations

import os


def child_env() -> dict[str, str]:
    """This process's environment without its YGMON_* variables: none of the caller's
    shell may pick another profile or database for a child the bench configures."""
    return {k: v for k, v in os.environ.items() if not k.startswith("YGMON_")}
