"""Everything that subclasses or hooks Huey: the storages and Huey classes per broker
(broker), the signal handlers that write the registry (signals), revocation checks,
periodic claims, the schedule hand-off, SQLite's group commit and the pause gate."""
