"""The registry in Redis, beside Huey's queues (store.RedisRegistryStore, its Lua scripts,
the direct calls a job makes on its way through, and a minimal read-only RESP client)."""
