"""Where the registry's records live: base.RegistryStore (the protocol every backend
implements), buckets (the history buckets both keep), and one package per backend;
make_store opens the one a broker URL names.

The backends are imported only when opened, so a reader of one never loads the other
(nor Huey: a store is the registry's tables or keys beside Huey's, not Huey itself).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ygmon.broker_url import broker_kind, sqlite_path

if TYPE_CHECKING:
    from ygmon.jobs.registry.store.base import RegistryStore


def make_store(url: str, namespace: str) -> RegistryStore:
    """The registry's store in the broker `url` names (its tables or keys, no Huey)."""
    if broker_kind(url) == "sqlite":
        from ygmon.jobs.registry.store.sqlite.store import SqliteRegistryStore

        return SqliteRegistryStore(sqlite_path(url), namespace)
    from ygmon.jobs.registry.store.redis.store import RedisRegistryStore

    return RedisRegistryStore(url, namespace)
