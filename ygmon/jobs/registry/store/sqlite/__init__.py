"""The registry in the broker's SQLite file, beside Huey's own tables (store.SqliteRegistryStore
and the mixins it is built from: schema, moves, counters, history, search, claims, workers)."""
