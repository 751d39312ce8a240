"""One module per pipeline, each declaring `TASKS` (TaskSpec) and `ENQUEUE`
(EnqueueCommand); ygmon.jobs.tasks gathers them."""
