"""What a profile's `broker_url` names (Huey's SQLite file or a Redis server), and the
job registry's store beside it.

Apart from ygmon.jobs.huey.broker so that readers which never start Huey (`ygmon status`,
the terminal app's polls) resolve the URL and open the registry without importing Huey.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ygmon.errors import ConfigError

if TYPE_CHECKING:
    from ygmon.jobs.registry.store.base import RegistryStore


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


def make_store(url: str, namespace: str) -> RegistryStore:
    """The registry's store in the broker `url` names (its tables or keys, no Huey)."""
    if broker_kind(url) == "sqlite":
        from ygmon.jobs.registry.store.sqlite.store import SqliteRegistryStore

        return SqliteRegistryStore(sqlite_path(url), namespace)
    from ygmon.jobs.registry.store.redis.store import RedisRegistryStore

    return RedisRegistryStore(url, namespace)
