"""What a profile's `broker_url` names: Huey's SQLite file or a Redis server.

A base module: the job runtime, the registry's stores, the e-mail breaker (which keeps
its state beside the broker) and readers which never start Huey (`ygmon status`, the
terminal app's polls) all resolve the URL here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from ygmon.errors import ConfigError


def broker_kind(url: str) -> Literal["sqlite", "redis"]:
    if url.startswith("sqlite:///"):
        return "sqlite"
    if url.startswith(("redis://", "rediss://", "unix://")):
        return "redis"
    raise ConfigError(
        f"config error: broker_url '{url}' is neither sqlite:///PATH nor redis://HOST:PORT/DB"
    )


def sqlite_path(url: str, create_parent: bool = True) -> str:
    """The file of a `sqlite:///PATH` broker URL, its directory created unless told not."""
    path = url[len("sqlite:///") :]
    if not path:
        raise ConfigError(f"config error: broker_url '{url}' names no file")
    if create_parent:
        Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
    return str(Path(path).expanduser())
