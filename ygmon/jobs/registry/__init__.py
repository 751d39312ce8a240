"""The job registry: one record per job, the truth the monitor, the API and the CLI read.

job_registry.JobRegistry is the one class callers hold; snapshot, history, search and
bulk answer its questions; store/ holds the records (base.RegistryStore, over SQLite or
Redis beside Huey's own queues).
"""
